import type { Agent } from 'undici';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { createUpstreamAgent, UpstreamEndpoint } from '@apitopmix/providers/core';
import { drain, FakeUpstream, rejection } from '@apitopmix/providers/testing';
import { AnthropicChat } from './anthropic-chat.client';

const message = {
  id: 'msg_01',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-6',
  content: [{ type: 'text', text: 'Hi!' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 3, output_tokens: 2 },
};

describe('AnthropicChat', () => {
  let upstream: FakeUpstream;
  let agent: Agent;
  let endpoint: UpstreamEndpoint;
  let chat: AnthropicChat;

  beforeEach(async () => {
    upstream = new FakeUpstream();
    endpoint = { provider: 'anthropic', baseUrl: `${await upstream.start()}/`, apiKey: 'sk-ant-upstream-secret' };
    agent = createUpstreamAgent();
    chat = new AnthropicChat(agent, { firstByteMs: 2_000, idleMs: 2_000 });
  });

  afterEach(async () => {
    await agent.close();
    await upstream.stop();
  });

  it('POSTs the body to /v1/messages with x-api-key and anthropic-version, and returns bytes and JSON', async () => {
    const raw = JSON.stringify(message);
    upstream.handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(raw);

    const result = await chat.complete(endpoint, '{"model":"claude-sonnet-4-6","max_tokens":5,"messages":[]}');

    expect(result.body.toString('utf8')).toBe(raw);
    expect(result.json).toEqual(message);
    const [seen] = upstream.requests;
    expect(seen).toMatchObject({ method: 'POST', url: '/v1/messages', body: '{"model":"claude-sonnet-4-6","max_tokens":5,"messages":[]}' });
    expect(seen.headers).toMatchObject({ 'x-api-key': 'sk-ant-upstream-secret', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' });
    expect(seen.headers.authorization).toBeUndefined();
  });

  it('accepts a base URL configured with /v1', async () => {
    upstream.handler = (_req, res) => res.end(JSON.stringify(message));
    await chat.complete({ ...endpoint, baseUrl: `${endpoint.baseUrl}v1` }, '{}');
    expect(upstream.requests[0].url).toBe('/v1/messages');
  });

  it('maps an error status through anthropicError', async () => {
    upstream.handler = (_req, res) =>
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } }));
    expect(await rejection(chat.complete(endpoint, '{}'))).toMatchObject({
      code: ErrorCode.UpstreamRejected,
      status: 400,
      message: 'max_tokens: Field required',
    });

    upstream.handler = (_req, res) => res.writeHead(529).end(JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }));
    expect(await rejection(chat.stream(endpoint, '{}').next())).toMatchObject({ code: ErrorCode.UpstreamUnavailable, status: 503 });
  });

  it('refuses a 200 whose body is not a Message', async () => {
    upstream.handler = (_req, res) => res.end('<html>oops</html>');
    const error = await rejection(chat.complete(endpoint, '{}'));
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: ErrorCode.UpstreamUnavailable, message: 'The upstream provider (anthropic) sent an unreadable response.' });
  });

  it('streams server-sent events with their names, ping and error included, split across chunks', async () => {
    upstream.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1"}}\n\n');
      res.write('event: ping\ndata: {"type": "ping"}\n\nevent: content_block_delta\nda');
      res.write('ta: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hé"}}\n\n');
      res.end('event: message_stop\ndata: {"type":"message_stop"}\n\n');
    };

    expect(await drain(chat.stream(endpoint, '{"stream":true}'))).toEqual([
      { event: 'message_start', data: '{"type":"message_start","message":{"id":"msg_1"}}' },
      { event: 'ping', data: '{"type": "ping"}' },
      { event: 'content_block_delta', data: '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hé"}}' },
      { event: 'message_stop', data: '{"type":"message_stop"}' },
    ]);
    expect(upstream.requests[0]).toMatchObject({ url: '/v1/messages', body: '{"stream":true}' });
    expect(upstream.requests[0].headers['x-api-key']).toBe('sk-ant-upstream-secret');
  });

  it('times out when the upstream sends no headers', async () => {
    chat = new AnthropicChat(agent, { firstByteMs: 100, idleMs: 100 });
    upstream.handler = () => undefined;
    expect(await rejection(chat.complete(endpoint, '{}'))).toMatchObject({ code: ErrorCode.UpstreamTimeout });
  });
});
