import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { createUpstreamAgent, postUpstreamChecked } from './upstream-http';

describe('postUpstreamChecked', () => {
  let server: Server;
  let url: string;
  const agent = createUpstreamAgent();

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/busy') res.writeHead(429, { 'retry-after': '7' }).end('{"error":"slow down"}');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await agent.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const post = (path: string, toError = (status: number, body: string) => new GatewayError(ErrorCode.UpstreamUnavailable, `${status} ${body}`)) =>
    postUpstreamChecked(agent, 'test', { url: `${url}${path}`, headers: {}, body: '{}', timeouts: { firstByteMs: 2_000, idleMs: 2_000 } }, toError);

  it('returns a successful response untouched', async () => {
    const response = await post('/ok');
    expect(response.statusCode).toBe(200);
    expect(await response.body.json()).toEqual({ ok: true });
  });

  it("turns an error status into the format's error, with the body read and Retry-After attached", async () => {
    await expect(post('/busy')).rejects.toMatchObject({ code: ErrorCode.UpstreamUnavailable, message: '429 {"error":"slow down"}', retryAfterSeconds: 7 });
  });
});
