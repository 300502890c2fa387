import type { ServerResponse } from 'node:http';
import type { Agent } from 'undici';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { createUpstreamAgent, UpstreamEndpoint } from '@apitopmix/providers/core';
import { drain, FakeUpstream, FakeUpstreamHandler, rejection } from '@apitopmix/providers/testing';
import { OpenAiCompatibleChat } from './openai-compatible.chat';

const sse = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
const chunk = (content: string) => `data: {"choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}}}]}\n\n`;

describe('OpenAiCompatibleChat', () => {
  let upstream: FakeUpstream;
  let agent: Agent;
  let endpoint: UpstreamEndpoint;
  let chat: OpenAiCompatibleChat;

  beforeEach(async () => {
    upstream = new FakeUpstream();
    const baseUrl = await upstream.start();
    endpoint = { provider: 'fake', baseUrl: `${baseUrl}/v1/`, apiKey: 'sk-upstream-secret' };
    agent = createUpstreamAgent();
    chat = new OpenAiCompatibleChat(agent, { firstByteMs: 5_000, idleMs: 5_000 });
  });

  afterEach(async () => {
    await agent.destroy();
    await upstream.stop();
  });

  describe('complete()', () => {
    it('posts the body to <baseUrl>/chat/completions with the bearer key, and returns the exact bytes and the usage', async () => {
      // Formatting no JSON.stringify would reproduce: the bytes must come back untouched.
      const answer = Buffer.from(
        '{ "id" : "c1",\n  "model":"up-model", "choices":[{"message":{"content":"h\\u00e9 👋"}}],\n "usage": {"prompt_tokens": 11, "completion_tokens": 5, "total_tokens": 16} }\n',
        'utf8',
      );
      upstream.handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(answer);
      };
      const body = '{"model":"up-model","messages":[{"role":"user","content":"hi"}]}';

      const result = await chat.complete(endpoint, body);

      expect(result.body.equals(answer)).toBe(true);
      expect(result.usage).toEqual({ inputTokens: 11, outputTokens: 5 });
      expect(result.model).toBe('up-model');
      expect(upstream.requests).toHaveLength(1);
      expect(upstream.requests[0]).toMatchObject({ method: 'POST', url: '/v1/chat/completions', body });
      expect(upstream.requests[0].headers.authorization).toBe('Bearer sk-upstream-secret');
      expect(upstream.requests[0].headers['content-type']).toBe('application/json');
    });

    it('returns no usage when the upstream sent none', async () => {
      upstream.handler = (_req, res) => res.end('{"choices":[]}');
      expect((await chat.complete(endpoint, '{}')).usage).toBeUndefined();
    });

    it('maps an upstream 400 to UpstreamRejected with its message and param', async () => {
      upstream.handler = (_req, res) => {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"max_tokens is too large","type":"invalid_request_error","param":"max_tokens"}}');
      };

      const error = await rejection(chat.complete(endpoint, '{}'));

      expect(error).toBeInstanceOf(GatewayError);
      expect(error).toMatchObject({ code: ErrorCode.UpstreamRejected, status: 400, message: 'max_tokens is too large', param: 'max_tokens' });
    });

    it('maps an upstream 401 to 503 without the upstream wording', async () => {
      upstream.handler = (_req, res) => {
        res.writeHead(401);
        res.end('{"error":{"message":"Incorrect API key provided: sk-upstream-secret"}}');
      };

      const error = (await rejection(chat.complete(endpoint, '{}'))) as GatewayError;

      expect(error).toMatchObject({ code: ErrorCode.UpstreamUnavailable, status: 503 });
      expect(error.message).not.toContain('sk-upstream');
    });

    it('a body that is not JSON is UpstreamUnavailable', async () => {
      upstream.handler = (_req, res) => res.end('<html>oops</html>');
      expect(await rejection(chat.complete(endpoint, '{}'))).toMatchObject({ code: ErrorCode.UpstreamUnavailable, status: 503 });
    });

    it('a closed port is UpstreamUnavailable', async () => {
      const gone = { ...endpoint };
      await upstream.stop();
      expect(await rejection(chat.complete(gone, '{}'))).toMatchObject({ code: ErrorCode.UpstreamUnavailable, status: 503 });
      upstream = new FakeUpstream();
      await upstream.start(); // for afterEach
    });
  });

  describe('stream()', () => {
    it('yields each data event as it arrives and stops at [DONE]', async () => {
      upstream.handler = (_req, res) => {
        sse(res);
        res.write(': keep-alive\n\n');
        res.write(chunk('Hel'));
        res.write(chunk('lo'));
        res.write('data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2}}\n\n');
        res.write('data: [DONE]\n\n');
        res.write(chunk('after done')); // must never be yielded
        // The response is left open: stream() must not wait for it to end.
      };

      const events = await drain(chat.stream(endpoint, '{"stream":true}'));

      expect(events).toEqual([
        '{"choices":[{"index":0,"delta":{"content":"Hel"}}]}',
        '{"choices":[{"index":0,"delta":{"content":"lo"}}]}',
        '{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2}}',
      ]);
      expect(upstream.requests[0]).toMatchObject({ method: 'POST', url: '/v1/chat/completions', body: '{"stream":true}' });
      expect(upstream.requests[0].headers.authorization).toBe('Bearer sk-upstream-secret');
    });

    it('yields the first event before the upstream sends the next', async () => {
      let release!: () => void;
      const next = new Promise<void>((resolve) => (release = resolve));
      upstream.handler = (_req, res) => {
        sse(res);
        res.write(chunk('first'));
        void next.then(() => res.end(`${chunk('second')}data: [DONE]\n\n`));
      };
      const events = chat.stream(endpoint, '{}');

      const first = await events.next();
      release();
      const rest = await drain({ [Symbol.asyncIterator]: () => events });

      expect(first.value).toContain('first');
      expect(rest).toHaveLength(1);
      expect(rest[0]).toContain('second');
    });

    it('an upstream that drops the connection mid-stream is UpstreamUnavailable', async () => {
      upstream.handler = (req, res) => {
        sse(res);
        res.write(chunk('one'), () => setTimeout(() => req.socket.destroy(), 20));
      };
      expect(await rejection(drain(chat.stream(endpoint, '{}')))).toMatchObject({ code: ErrorCode.UpstreamUnavailable, status: 503 });
    });

    it('an error event in the stream is UpstreamUnavailable, without the upstream wording', async () => {
      upstream.handler = (_req, res) => {
        sse(res);
        res.end(`${chunk('one')}data: {"error":{"message":"org-xyz exploded","type":"server_error"}}\n\n`);
      };
      const error = (await rejection(drain(chat.stream(endpoint, '{}')))) as GatewayError;
      expect(error).toMatchObject({ code: ErrorCode.UpstreamUnavailable });
      expect(error.message).not.toContain('org-xyz');
    });

    it('a stream that ends with neither [DONE] nor a finish reason was cut off', async () => {
      upstream.handler = (_req, res) => {
        sse(res);
        res.end(chunk('one'));
      };
      expect(await rejection(drain(chat.stream(endpoint, '{}')))).toMatchObject({
        code: ErrorCode.UpstreamUnavailable,
        message: expect.stringMatching(/ended the stream early/),
      });
    });

    it('a stream that ends after its finish reason but without [DONE] is complete', async () => {
      upstream.handler = (_req, res) => {
        sse(res);
        res.end(`${chunk('one')}data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n`);
      };
      expect(await drain(chat.stream(endpoint, '{}'))).toHaveLength(2);
    });

    it('an upstream 429 before the stream starts is UpstreamUnavailable', async () => {
      upstream.handler = (_req, res) => {
        res.writeHead(429, { 'retry-after': '20' });
        res.end('{"error":{"message":"Rate limit reached for organization org-xyz"}}');
      };

      const error = (await rejection(drain(chat.stream(endpoint, '{}')))) as GatewayError;

      expect(error).toMatchObject({ code: ErrorCode.UpstreamUnavailable, status: 503 });
      expect(error.message).not.toContain('org-xyz');
    });

    it('aborting the signal mid-stream closes the upstream connection', async () => {
      let writer: NodeJS.Timeout | undefined;
      upstream.handler = (_req, res) => {
        sse(res);
        let n = 0;
        writer = setInterval(() => res.write(chunk(`t${n++}`)), 10);
        res.on('close', () => clearInterval(writer));
      };
      const controller = new AbortController();
      const seen: string[] = [];

      const error = await rejection(
        (async () => {
          for await (const event of chat.stream(endpoint, '{}', controller.signal)) {
            seen.push(event);
            if (seen.length === 2) controller.abort();
          }
        })(),
      );
      await Promise.race([upstream.closed, new Promise((_r, reject) => setTimeout(() => reject(new Error('upstream connection still open')), 500))]);
      clearInterval(writer);

      expect(seen).toHaveLength(2);
      expect(error).toBeDefined();
      expect(error).not.toBeInstanceOf(GatewayError); // the caller's own abort, not an upstream failure
    });

    it('a consumer that stops early releases the upstream connection', async () => {
      let writer: NodeJS.Timeout | undefined;
      upstream.handler = (_req, res) => {
        sse(res);
        let n = 0;
        writer = setInterval(() => res.write(chunk(`t${n++}`)), 10);
        res.on('close', () => clearInterval(writer));
      };

      for await (const event of chat.stream(endpoint, '{}')) if (event.includes('t1')) break;

      await Promise.race([upstream.closed, new Promise((_r, reject) => setTimeout(() => reject(new Error('upstream connection still open')), 500))]);
      clearInterval(writer);
    });
  });

  // undici runs headersTimeout/bodyTimeout on its coarse timers (about 0.5 s ticks), so each timeout takes 0.5-1 s
  // whatever the setting. These cases bring their own upstream and agent and run concurrently to keep the file fast.
  describe('timeouts', () => {
    async function withUpstream(
      handler: FakeUpstreamHandler,
      run: (chat: OpenAiCompatibleChat, endpoint: UpstreamEndpoint, upstream: FakeUpstream) => Promise<void>,
    ): Promise<void> {
      const own = new FakeUpstream();
      own.handler = handler;
      const baseUrl = await own.start();
      const ownAgent = createUpstreamAgent();
      try {
        await run(new OpenAiCompatibleChat(ownAgent, { firstByteMs: 100, idleMs: 100 }), { provider: 'fake', baseUrl, apiKey: 'k' }, own);
      } finally {
        await ownAgent.destroy();
        await own.stop();
      }
    }

    it.concurrent('complete(): a server that never sends headers within firstByteMs is UpstreamTimeout', () =>
      withUpstream(
        () => undefined, // never answers
        async (chat, endpoint, upstream) => {
          const error = await rejection(chat.complete(endpoint, '{}'));

          expect(upstream.requests).toHaveLength(1);
          expect(error).toBeInstanceOf(GatewayError);
          expect(error).toMatchObject({ code: ErrorCode.UpstreamTimeout, status: 503, message: 'The upstream provider (fake) did not answer in time.' });
        },
      ),
    );

    it.concurrent('stream(): a server that never sends headers within firstByteMs is UpstreamTimeout', () =>
      withUpstream(
        () => undefined,
        async (chat, endpoint) => {
          expect(await rejection(drain(chat.stream(endpoint, '{}')))).toMatchObject({ code: ErrorCode.UpstreamTimeout, status: 503 });
        },
      ),
    );

    it.concurrent('stream(): an idle gap longer than idleMs mid-stream is UpstreamTimeout, after the events that did arrive', () =>
      withUpstream(
        (_req, res) => {
          sse(res);
          res.write(chunk('one'));
          // then silence, with the connection open
        },
        async (chat, endpoint) => {
          const seen: string[] = [];

          const error = await rejection(
            (async () => {
              for await (const event of chat.stream(endpoint, '{}')) seen.push(event);
            })(),
          );

          expect(seen).toHaveLength(1);
          expect(error).toBeInstanceOf(GatewayError);
          expect(error).toMatchObject({ code: ErrorCode.UpstreamTimeout, status: 503 });
        },
      ),
    );

    it.concurrent('stream(): a slow but steady upstream (gaps shorter than idleMs) is not cut off', () =>
      withUpstream(
        (_req, res) => {
          sse(res);
          let n = 0;
          const writer = setInterval(() => {
            if (n === 22) {
              clearInterval(writer);
              res.end('data: [DONE]\n\n');
            } else res.write(chunk(`t${n++}`));
          }, 50); // 1.1 s in all: longer than any undici timeout tick, so only an idle timer lets it through
          res.on('close', () => clearInterval(writer));
        },
        async (chat, endpoint) => {
          expect(await drain(chat.stream(endpoint, '{}'))).toHaveLength(22);
        },
      ),
    );
  });
});
