import type { Agent } from 'undici';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { createUpstreamAgent, UpstreamEndpoint } from '@apitopmix/providers/core';
import { drain, FakeUpstream, rejection } from '@apitopmix/providers/testing';
import { GeminiChat } from './gemini-chat.client';
import { geminiFormat } from './gemini.chat';

/** Google frames alt=sse events with CRLF. */
const frame = (chunk: object) => `data: ${JSON.stringify(chunk)}\r\n\r\n`;
const text = (value: string, extra: object = {}) => ({
  candidates: [{ content: { role: 'model', parts: [{ text: value }] }, index: 0, ...extra }],
  modelVersion: 'gemini-2.5-flash',
});

describe('GeminiChat', () => {
  let google: FakeUpstream;
  let agent: Agent;
  let endpoint: UpstreamEndpoint;
  let chat: GeminiChat;

  beforeEach(async () => {
    google = new FakeUpstream();
    endpoint = { provider: 'google', baseUrl: `${await google.start()}/`, apiKey: 'AIza-upstream-secret' };
    agent = createUpstreamAgent();
    chat = new GeminiChat(agent, { firstByteMs: 5_000, idleMs: 5_000 });
  });

  afterEach(async () => {
    await agent.destroy();
    await google.stop();
  });

  describe('complete()', () => {
    it('posts to /v1beta/models/<model>:generateContent with x-goog-api-key, and returns the exact bytes, the usage and the model', async () => {
      const answer = Buffer.from(
        '{\n  "candidates": [{"content": {"parts": [{"text": "h\\u00e9 👋"}], "role": "model"}, "finishReason": "STOP", "index": 0}],\n' +
          '  "usageMetadata": {"promptTokenCount": 11, "candidatesTokenCount": 5, "totalTokenCount": 36, "thoughtsTokenCount": 20},\n  "modelVersion": "gemini-2.5-flash"\n}\n',
        'utf8',
      );
      google.handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
        res.end(answer);
      };
      const body = '{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}';

      const result = await chat.complete(endpoint, 'gemini-2.5-flash', body);

      expect(result.body.equals(answer)).toBe(true);
      expect(result.usage).toEqual({ inputTokens: 11, outputTokens: 25 });
      expect(result.model).toBe('gemini-2.5-flash');
      expect(google.requests[0]).toMatchObject({ method: 'POST', url: '/v1beta/models/gemini-2.5-flash:generateContent', body });
      expect(google.requests[0].headers['x-goog-api-key']).toBe('AIza-upstream-secret');
      expect(google.requests[0].headers.authorization).toBeUndefined();
      expect(google.requests[0].headers['content-type']).toBe('application/json');
    });

    it('does not add /v1beta twice when the base URL has it', async () => {
      await chat.complete({ ...endpoint, baseUrl: `${endpoint.baseUrl}v1beta` }, 'gemini-3-pro-preview', '{}');
      expect(google.requests[0].url).toBe('/v1beta/models/gemini-3-pro-preview:generateContent');
    });

    it('returns no usage when Google sent none', async () => {
      expect((await chat.complete(endpoint, 'm', '{"candidates":[]}')).usage).toBeUndefined();
    });

    it('maps a 400 INVALID_ARGUMENT to UpstreamRejected with Google’s message', async () => {
      google.handler = (_req, res) => {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end('{"error":{"code":400,"message":"Please use a valid role: user, model.","status":"INVALID_ARGUMENT"}}');
      };
      const error = await rejection(chat.complete(endpoint, 'm', '{}'));
      expect(error).toBeInstanceOf(GatewayError);
      expect(error).toMatchObject({ code: ErrorCode.UpstreamRejected, status: 400, message: 'Please use a valid role: user, model.' });
    });

    it('maps Google refusing our key (a 400 API_KEY_INVALID) to 503 without its wording', async () => {
      google.handler = (_req, res) => {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(
          '{"error":{"code":400,"message":"API key not valid: AIza-upstream-secret","status":"INVALID_ARGUMENT","details":[{"reason":"API_KEY_INVALID"}]}}',
        );
      };
      const error = (await rejection(chat.complete(endpoint, 'm', '{}'))) as GatewayError;
      expect(error).toMatchObject({ code: ErrorCode.UpstreamUnavailable, status: 503 });
      expect(error.message).not.toContain('AIza');
    });

    it('a body that is not JSON is UpstreamUnavailable', async () => {
      google.handler = (_req, res) => res.end('<html>oops</html>');
      expect(await rejection(chat.complete(endpoint, 'm', '{}'))).toMatchObject({ code: ErrorCode.UpstreamUnavailable, status: 503 });
    });
  });

  describe('stream()', () => {
    it('posts to :streamGenerateContent?alt=sse and yields each chunk until the body ends; the parser reads them', async () => {
      google.handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(frame(text('Hel')));
        res.write(frame(text('lo')));
        res.end(frame({ ...text('', { finishReason: 'STOP' }), usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 2, totalTokenCount: 5 } }));
      };

      const data = await drain(chat.stream(endpoint, 'gemini-2.5-flash', '{"contents":[]}'));

      expect(google.requests[0]).toMatchObject({
        method: 'POST',
        url: '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
        body: '{"contents":[]}',
      });
      expect(google.requests[0].headers['x-goog-api-key']).toBe('AIza-upstream-secret');
      expect(data.map((d) => JSON.parse(d))).toEqual([
        text('Hel'),
        text('lo'),
        { ...text('', { finishReason: 'STOP' }), usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 2, totalTokenCount: 5 } },
      ]);

      const parser = geminiFormat.streamParser();
      const events = [...data.flatMap((d) => parser.push({ data: d })), ...parser.end()];
      expect(events.filter((e) => e.type === 'text_delta').map((e) => (e as { text: string }).text)).toEqual(['Hel', 'lo']);
      expect(events.slice(-2)).toEqual([
        { type: 'finish', choice: 0, stopReason: 'stop' },
        { type: 'usage', usage: { inputTokens: 3, outputTokens: 2 } },
      ]);
    });

    it('throws Google’s error chunk mid-stream as the gateway’s error, after the chunks that came before it', async () => {
      google.handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(frame(text('one')));
        res.end(frame({ error: { code: 500, message: 'Internal error in project 4242', status: 'INTERNAL' } }));
      };
      const seen: string[] = [];

      const error = (await rejection(
        (async () => {
          for await (const data of chat.stream(endpoint, 'm', '{}')) seen.push(data);
        })(),
      )) as GatewayError;

      expect(seen).toHaveLength(1);
      expect(error).toMatchObject({ code: ErrorCode.UpstreamUnavailable, status: 503 });
      expect(error.message).not.toContain('4242');
    });

    it('a 429 before the stream starts is UpstreamUnavailable', async () => {
      google.handler = (_req, res) => {
        res.writeHead(429, { 'content-type': 'application/json' });
        res.end('{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}');
      };
      expect(await rejection(drain(chat.stream(endpoint, 'm', '{}')))).toMatchObject({ code: ErrorCode.UpstreamUnavailable, status: 503 });
    });

    it('a consumer that stops early releases the upstream connection', async () => {
      let writer: NodeJS.Timeout | undefined;
      google.handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        let n = 0;
        writer = setInterval(() => res.write(frame(text(`t${n++}`))), 10);
        res.on('close', () => clearInterval(writer));
      };

      for await (const data of chat.stream(endpoint, 'm', '{}')) if (data.includes('t1')) break;

      await Promise.race([google.closed, new Promise((_r, reject) => setTimeout(() => reject(new Error('upstream connection still open')), 500))]);
      clearInterval(writer);
    });
  });
});
