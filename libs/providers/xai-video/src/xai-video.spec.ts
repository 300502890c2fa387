import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { XaiVideoClient } from './xai-video.client';
import { xaiVideoError } from './xai-video.errors';
import { readXaiSubmit, readXaiVideoState, toXaiVideoRequest } from './xai-video.format';

describe('xAI video format', () => {
  it('builds the generations body with the upstream model', () => {
    expect(toXaiVideoRequest({ prompt: 'a cat', durationSeconds: 8, resolution: '720p', aspectRatio: '9:16' }, 'grok-imagine-video')).toEqual({
      model: 'grok-imagine-video',
      prompt: 'a cat',
      duration: 8,
      aspect_ratio: '9:16',
      resolution: '720p',
    });
  });

  it('reads the request id, and refuses an answer without one', () => {
    expect(readXaiSubmit('{"request_id":"f5f3"}')).toBe('f5f3');
    expect(() => readXaiSubmit('{}')).toThrow(GatewayError);
    expect(() => readXaiSubmit('<html>')).toThrow(/unreadable/);
  });

  it.each([
    ['{"status":"pending"}', { status: 'running', progress: undefined }],
    ['{"status":"pending","progress":40}', { status: 'running', progress: 40 }],
    [
      '{"status":"done","video":{"url":"https://v/x.mp4","duration":8,"respect_moderation":true},"model":"grok-imagine-video"}',
      { status: 'succeeded', result: { url: 'https://v/x.mp4', durationSeconds: 8 } },
    ],
    ['{"status":"done","video":{"duration":0,"respect_moderation":false}}', { status: 'failed', reason: expect.stringMatching(/moderation/) }],
    ['{"status":"failed","error":{"code":"internal_error","message":"boom"}}', { status: 'failed', reason: expect.stringMatching(/boom/) }],
    ['{"status":"expired"}', { status: 'failed', reason: expect.stringMatching(/expired/) }],
  ])('reads %s', (body, state) => {
    expect(readXaiVideoState(body)).toEqual(state);
  });

  it('maps error answers: the caller’s mistakes keep their message, ours become 503', () => {
    const rejected = xaiVideoError(400, '{"code":"Client specified an invalid argument","error":"Prompt violates policy"}');
    expect([rejected.code, rejected.status, rejected.message]).toEqual([ErrorCode.UpstreamRejected, 400, 'Prompt violates policy']);
    expect(xaiVideoError(401, '{"error":"bad key xai-123"}').message).not.toMatch(/xai-123/);
    expect(xaiVideoError(429, '').code).toBe(ErrorCode.UpstreamUnavailable);
    expect(xaiVideoError(503, '').code).toBe(ErrorCode.UpstreamUnavailable);
    expect(xaiVideoError(404, '').code).toBe(ErrorCode.NotFound);
  });
});

describe('XaiVideoClient', () => {
  let server: Server;
  let baseUrl: string;
  const requests: { method?: string; url?: string; auth?: string; body: string }[] = [];
  const agent = new Agent();
  let answer: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        requests.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
        answer(req, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await agent.close();
  });

  const endpoint = () => ({ provider: 'xai-video', baseUrl, apiKey: 'xai-key' });

  it('submits to /videos/generations and polls /videos/{id} with the bearer key', async () => {
    const client = new XaiVideoClient(agent, 2_000);
    answer = (req, res) =>
      req.method === 'POST' ? res.writeHead(200).end('{"request_id":"r 1"}') : res.writeHead(200).end('{"status":"done","video":{"url":"u","duration":5}}');
    const id = await client.submit(endpoint(), 'grok-imagine-video', { prompt: 'p', durationSeconds: 5, resolution: '480p', aspectRatio: '16:9' });
    expect(id).toBe('r 1');
    expect(await client.fetch(endpoint(), id)).toEqual({ status: 'succeeded', result: { url: 'u', durationSeconds: 5 } });
    expect(requests.slice(-2)).toEqual([
      { method: 'POST', url: '/v1/videos/generations', auth: 'Bearer xai-key', body: expect.stringContaining('"model":"grok-imagine-video"') },
      { method: 'GET', url: '/v1/videos/r%201', auth: 'Bearer xai-key', body: '' },
    ]);
  });

  it('turns an error status into a gateway error carrying Retry-After', async () => {
    const client = new XaiVideoClient(agent, 2_000);
    answer = (_req, res) => res.writeHead(429, { 'retry-after': '7' }).end('{"error":"slow down"}');
    const error = (await client.fetch(endpoint(), 'x').catch((e: unknown) => e)) as GatewayError;
    expect([error.code, error.retryAfterSeconds]).toEqual([ErrorCode.UpstreamUnavailable, 7]);
  });
});
