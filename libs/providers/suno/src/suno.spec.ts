import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { SunoClient } from './suno.client';
import { sunoError } from './suno.errors';
import { readSunoSubmit, readSunoTask, toSunoRequest } from './suno.format';

describe('Suno relay format', () => {
  it('sends a description as gpt_description_prompt, with style as tags', () => {
    expect(toSunoRequest({ prompt: 'lo-fi rain', style: 'lo-fi', title: 'Rainy', makeInstrumental: true }, 'chirp-crow')).toEqual({
      mv: 'chirp-crow',
      make_instrumental: true,
      title: 'Rainy',
      tags: 'lo-fi',
      gpt_description_prompt: 'lo-fi rain',
    });
  });

  it('sends lyrics in custom mode (prompt = lyrics), without the description', () => {
    const body = toSunoRequest({ prompt: 'a song', lyrics: '[Verse] la la', makeInstrumental: false }, 'chirp-auk');
    expect(body).toEqual({ mv: 'chirp-auk', make_instrumental: false, prompt: '[Verse] la la' });
  });

  it('reads the task id; a refusal keeps the relay message', () => {
    expect(readSunoSubmit('{"code":"success","message":"","data":"t-1"}')).toBe('t-1');
    const refused = (() => {
      try {
        readSunoSubmit('{"code":"quota_not_enough","message":"prompt too long","data":null}');
      } catch (e) {
        return e as GatewayError;
      }
    })();
    expect(refused?.code).toBe(ErrorCode.UpstreamRejected);
    expect(refused?.message).toMatch(/prompt too long/);
    expect(() => readSunoSubmit('{"code":"success","data":""}')).toThrow(/no task id/);
  });

  const task = (fields: Record<string, unknown>) => JSON.stringify({ code: 'success', message: '', data: { task_id: 't', action: 'MUSIC', ...fields } });

  it.each(['NOT_START', 'SUBMITTED', 'QUEUED', 'IN_PROGRESS'])('%s is running', (status) => {
    expect(readSunoTask(task({ status, progress: '30%' }))).toEqual({ status: 'running', progress: 30 });
  });

  it('SUCCESS gives the clips with audio as tracks', () => {
    const state = readSunoTask(
      task({
        status: 'SUCCESS',
        progress: '100%',
        data: [
          { id: 'a', title: 'One', status: 'complete', audio_url: 'https://a/1.wav', metadata: { tags: 'jazz', duration: 3.5 } },
          { id: 'b', title: 'Two', status: 'complete', audio_url: 'https://a/2.wav', metadata: { tags: 'jazz', duration: 4 } },
          { id: 'c', title: 'Broken', status: 'error' },
        ],
      }),
    );
    expect(state).toEqual({
      status: 'succeeded',
      result: [
        { title: 'One', audioUrl: 'https://a/1.wav', durationSeconds: 3.5, style: 'jazz' },
        { title: 'Two', audioUrl: 'https://a/2.wav', durationSeconds: 4, style: 'jazz' },
      ],
    });
  });

  it('FAILURE and a SUCCESS without tracks fail', () => {
    expect(readSunoTask(task({ status: 'FAILURE', fail_reason: 'content policy' }))).toEqual({
      status: 'failed',
      reason: expect.stringMatching(/content policy/),
    });
    expect(readSunoTask(task({ status: 'SUCCESS', data: [] }))).toMatchObject({ status: 'failed' });
  });

  it('maps error answers', () => {
    expect(sunoError(400, '{"code":"invalid_request","message":"bad mv","data":null}')).toMatchObject({ code: ErrorCode.UpstreamRejected, message: 'bad mv' });
    expect(sunoError(500, '{"message":"internal secret"}').message).not.toMatch(/secret/);
    expect(sunoError(404, '').code).toBe(ErrorCode.NotFound);
  });
});

describe('SunoClient', () => {
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
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await agent.close();
  });

  it('submits to /suno/submit/music and fetches /suno/fetch/{id}', async () => {
    const client = new SunoClient(agent, 2_000);
    const endpoint = { provider: 'suno', baseUrl, apiKey: 'relay-key' };
    answer = (req, res) =>
      req.method === 'POST'
        ? res.writeHead(200).end('{"code":"success","message":"","data":"t-9"}')
        : res.writeHead(200).end('{"code":"success","data":{"task_id":"t-9","status":"IN_PROGRESS","progress":"10%"}}');
    expect(await client.submit(endpoint, 'chirp-crow', { prompt: 'p', makeInstrumental: false })).toBe('t-9');
    expect(await client.fetch(endpoint, 't-9')).toEqual({ status: 'running', progress: 10 });
    expect(requests.map((r) => [r.method, r.url, r.auth])).toEqual([
      ['POST', '/suno/submit/music', 'Bearer relay-key'],
      ['GET', '/suno/fetch/t-9', 'Bearer relay-key'],
    ]);
    expect(JSON.parse(requests[0].body)).toEqual({ mv: 'chirp-crow', make_instrumental: false, gpt_description_prompt: 'p' });
  });
});
