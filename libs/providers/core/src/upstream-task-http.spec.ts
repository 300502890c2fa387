import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { neverReachedUpstream, parseProgress, requestUpstreamJson } from './upstream-task-http';

describe('requestUpstreamJson', () => {
  let server: Server;
  let base: string;
  const agent = new Agent();
  const seen: { method?: string; url?: string; body: string; auth?: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, body, auth: req.headers.authorization });
        if (req.url === '/hang') return; // never answers
        if (req.url === '/cut') return req.socket.destroy();
        res.writeHead(201, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await agent.close();
  });

  it('sends the JSON body with the headers and reads status and text', async () => {
    const response = await requestUpstreamJson(agent, 'p', {
      method: 'POST',
      url: `${base}/x?y=1`,
      headers: { authorization: 'Bearer k' },
      body: '{"a":1}',
      timeoutMs: 2_000,
    });
    expect(response).toMatchObject({ status: 201, text: '{"ok":true}' });
    expect(seen.at(-1)).toEqual({ method: 'POST', url: '/x?y=1', body: '{"a":1}', auth: 'Bearer k' });
  });

  it('times out as UpstreamTimeout, which may have reached the upstream', async () => {
    const error = await requestUpstreamJson(agent, 'p', { method: 'GET', url: `${base}/hang`, headers: {}, timeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe(ErrorCode.UpstreamTimeout);
    expect(neverReachedUpstream(error)).toBe(false);
  });

  it('a connection cut after the request was written may have reached the upstream', async () => {
    const error = await requestUpstreamJson(agent, 'p', { method: 'POST', url: `${base}/cut`, headers: {}, body: '{}', timeoutMs: 2_000 }).catch(
      (e: unknown) => e,
    );
    expect((error as GatewayError).code).toBe(ErrorCode.UpstreamUnavailable);
    expect(neverReachedUpstream(error)).toBe(false);
  });

  it('a refused connection never reached the upstream', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await requestUpstreamJson(agent, 'p', { method: 'POST', url: `http://127.0.0.1:${port}/x`, headers: {}, body: '{}', timeoutMs: 2_000 }).catch(
      (e: unknown) => e,
    );
    expect((error as GatewayError).code).toBe(ErrorCode.UpstreamUnavailable);
    expect(neverReachedUpstream(error)).toBe(true);
  });
});

describe('parseProgress', () => {
  it.each([
    ['45%', 45],
    [' 7 %', 7],
    ['', undefined],
    ['100%', 100],
    [62.4, 62],
    ['150', 100],
    [-3, 0],
    [null, undefined],
    ['soon', undefined],
  ])('%p → %p', (value, expected) => {
    expect(parseProgress(value)).toBe(expected);
  });
});
