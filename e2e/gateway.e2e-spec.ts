import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import OpenAI from 'openai';
import { createTestAccount, ledgerRows, runPythonExample, SandboxControl, startTestPlatform, TestPlatform, waitFor } from '@apitopmix/testing';

jest.setTimeout(60_000);

let platform: TestPlatform;
let apiKey: string;

beforeAll(async () => {
  platform = await startTestPlatform({ extraEnv: { SSE_KEEP_ALIVE_MS: '150' } });
  ({ apiKey } = await createTestAccount(platform.prisma, { tier: 'PRO' }));
}, 120_000);

afterAll(async () => {
  await platform?.shutdown();
});

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${platform.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
const auth = () => ({ authorization: `Bearer ${apiKey}` });
// Response bodies are whatever the wire says; the assertions check their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (response: Response): Promise<any> => response.json();

describe('the spec quick test', () => {
  it('answers a chat completion in the documented shape, with the five rate-limit headers', async () => {
    const response = await post('/v1/chat/completions', JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Hello!' }] }), auth());
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body).toMatchObject({
      id: expect.stringMatching(/^chatcmpl-/),
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'gpt-4.1',
      choices: [{ index: 0, message: { role: 'assistant', content: expect.any(String) }, finish_reason: 'stop' }],
      usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), total_tokens: expect.any(Number) },
    });
    expect(body.choices[0].message.content.length).toBeGreaterThan(0);
    for (const header of ['limit-requests', 'remaining-requests', 'reset-requests', 'limit-tokens', 'remaining-tokens']) {
      expect(response.headers.get(`x-ratelimit-${header}`)).toMatch(/^\d+$/);
    }
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('300');
    expect(response.headers.get('x-ratelimit-limit-tokens')).toBe('1000000');
  });

  it('sends the upstream its own model id and the configured provider key, never the caller key', async () => {
    const sandbox = new SandboxControl(platform.sandboxUrl);
    await sandbox.clearRequests();
    await post(
      '/v1/chat/completions',
      JSON.stringify({ model: 'meta/llama-3.3-70b-instruct', messages: [{ role: 'user', content: 'hi' }], some_vendor_field: 7 }),
      auth(),
    );
    const upstream = (await sandbox.requests()).find((r) => r.path === '/v1/chat/completions');
    expect(upstream?.body).toMatchObject({ model: 'meta/llama-3.3-70b-instruct', some_vendor_field: 7 });
    expect(JSON.stringify(upstream?.headers)).not.toContain(apiKey.slice(7, 20));
  });
});

describe('streaming with the official openai SDK', () => {
  it('streams chunk by chunk', async () => {
    const client = new OpenAI({ apiKey, baseURL: `${platform.baseUrl}/v1` });
    const stream = await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Write a poem about AI.' }], stream: true });
    const pieces: string[] = [];
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) pieces.push(chunk.choices[0].delta.content);
    }
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.join('')).toMatch(/Sandbox reply/);
  });

  it.each([
    ['spec_chat_example.py', /^Sandbox reply to "Explain quantum computing\.": \w+/],
    ['spec_gemini_openai_example.py', /^Sandbox reply to "Hello, Gemini!": \w+/],
    ['spec_anthropic_example.py', /^Sandbox reply to "Explain quantum computing\.": \w+/],
    ['spec_anthropic_streaming_example.py', /^Sandbox reply to "Write a poem about AI\.": \w+/],
  ])(
    "runs the spec's Python example %s as written (official Python SDKs)",
    (script, printed) => {
      expect(runPythonExample(script, { baseUrl: platform.baseUrl, apiKey })).toMatch(printed);
    },
    180_000,
  );

  it("runs the spec's Python streaming example as written (official Python SDK)", () => {
    const printed = runPythonExample('spec_streaming_example.py', { baseUrl: platform.baseUrl, apiKey });
    expect(printed).toMatch(/^Sandbox reply to "Write a poem about AI\.": \w+/);
  }, 180_000); // the first run creates the Python environment from PyPI

  it('ends the event stream with data: [DONE], and carries usage only when asked', async () => {
    const read = async (includeUsage: boolean) => {
      const body = {
        model: 'gpt-4.1',
        messages: [{ role: 'user', content: 'Hello!' }],
        stream: true,
        ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
      };
      const response = await post('/v1/chat/completions', JSON.stringify(body), auth());
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(response.headers.get('x-ratelimit-remaining-requests')).toMatch(/^\d+$/);
      return (await response.text()).split('\n\n').filter(Boolean);
    };
    const plain = await read(false);
    expect(plain[plain.length - 1]).toBe('data: [DONE]');
    expect(plain.join('\n')).not.toContain('"usage"');
    const withUsage = await read(true);
    expect(withUsage[withUsage.length - 1]).toBe('data: [DONE]');
    const usageChunk = JSON.parse(withUsage[withUsage.length - 2].slice('data: '.length));
    expect(usageChunk).toMatchObject({ choices: [], usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) } });
  });

  it('keeps a silent stream alive with SSE comments, which the SDK ignores', async () => {
    const sandbox = new SandboxControl(platform.sandboxUrl);
    const settings = (body: Record<string, unknown>) => sandbox.settings(body);
    await settings({ latencyMs: 600 });
    try {
      const response = await post(
        '/v1/chat/completions',
        JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Hello!' }], stream: true }),
        auth(),
      );
      const text = await response.text();
      expect(text.startsWith(': keep-alive\n\n')).toBe(true);
      expect(text).toMatch(/data: \[DONE\]\n\n$/);
      const client = new OpenAI({ apiKey, baseURL: `${platform.baseUrl}/v1` });
      const stream = await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Hello!' }], stream: true });
      let content = '';
      for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? '';
      expect(content).toMatch(/Sandbox reply/);
    } finally {
      await settings({ latencyMs: 0 });
    }
  });

  it('cancels the upstream when the client goes away', async () => {
    const sandbox = new SandboxControl(platform.sandboxUrl);
    await sandbox.settings({ chunkDelayMs: 50 });
    await sandbox.clearRequests();
    try {
      const response = await post(
        '/v1/chat/completions',
        JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'long' }], stream: true, max_tokens: 400 }),
        auth(),
      );
      const reader = response.body!.getReader();
      await reader.read();
      await reader.cancel();
      const aborted = await waitFor(
        async () => (await sandbox.requests()).find((r) => r.path === '/v1/chat/completions'),
        (r) => r?.aborted === true,
        1_000,
      );
      expect(aborted?.aborted).toBe(true);
    } finally {
      await sandbox.settings({ chunkDelayMs: 0 });
    }
  });
});

describe('billing through Kafka', () => {
  it("puts a request's usage in the ledger within 2 seconds", async () => {
    const { accountId: id, apiKey: key } = await createTestAccount(platform.prisma);
    const response = await post('/v1/chat/completions', JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Bill me' }] }), {
      authorization: `Bearer ${key}`,
    });
    const { usage } = await json(response);
    const sentAt = Date.now();
    const rows = await waitFor(
      () => ledgerRows(platform.prisma, id),
      (r) => r.length === 1,
      2_000,
    );
    expect(Date.now() - sentAt).toBeLessThan(2_000);
    expect(rows[0]).toMatchObject({
      model: 'gpt-4.1',
      inputTokens: usage.prompt_tokens,
      outputTokens: usage.completion_tokens,
      priceVersion: expect.any(String),
    });
    // gpt-4.1 at $2 / $8 per million tokens, rounded up to the micro-dollar.
    const expected = -BigInt(Math.ceil((usage.prompt_tokens * 2_000_000 + usage.completion_tokens * 8_000_000) / 1_000_000));
    expect(rows[0].amountMicros).toBe(expected);
    const account = await platform.prisma.account.findUniqueOrThrow({ where: { id } });
    expect(account.balanceMicros).toBe(100_000_000n + expected);
  });
});

describe('errors in the documented shape', () => {
  const expectError = async (response: Response, status: number, type: string, code?: string) => {
    expect(response.status).toBe(status);
    const body = await json(response);
    expect(body).toEqual({ error: { message: expect.any(String), type, param: body.error.param, code: code ?? expect.any(String) } });
    expect(body.error.param === null || typeof body.error.param === 'string').toBe(true);
    return body.error;
  };
  const valid = JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] });

  it('401 for a wrong key and for no key', async () => {
    await expectError(await post('/v1/chat/completions', valid, { authorization: 'Bearer sk-wrong' }), 401, 'authentication_error', 'invalid_api_key');
    await expectError(await post('/v1/chat/completions', valid), 401, 'authentication_error');
  });

  it('400 for malformed JSON, a missing model or messages, and temperature 3', async () => {
    await expectError(await post('/v1/chat/completions', '{"model": "gpt-4.1", ', auth()), 400, 'invalid_request_error');
    const noModel = await expectError(
      await post('/v1/chat/completions', JSON.stringify({ messages: [{ role: 'user', content: 'x' }] }), auth()),
      400,
      'invalid_request_error',
    );
    expect(noModel.param).toBe('model');
    const noMessages = await expectError(await post('/v1/chat/completions', JSON.stringify({ model: 'gpt-4.1' }), auth()), 400, 'invalid_request_error');
    expect(noMessages.param).toBe('messages');
    const hot = await expectError(
      await post('/v1/chat/completions', JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x' }], temperature: 3 }), auth()),
      400,
      'invalid_request_error',
    );
    expect(hot.param).toBe('temperature');
  });

  it('404 for an unknown model and an unknown route', async () => {
    const model = await expectError(
      await post('/v1/chat/completions', JSON.stringify({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }), auth()),
      404,
      'not_found_error',
      'model_not_found',
    );
    expect(model.message).toContain('no-such-model');
    await expectError(await post('/v1/nope', valid, auth()), 404, 'not_found_error');
    await expectError(await fetch(`${platform.baseUrl}/definitely/not/here`), 404, 'not_found_error');
  });
});

describe('models', () => {
  it('lists the catalog in OpenAI shape, and finds ids with a slash, encoded or not', async () => {
    const client = new OpenAI({ apiKey, baseURL: `${platform.baseUrl}/v1` });
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(['gpt-4.1', 'meta/llama-3.3-70b-instruct']));
    for (const path of ['meta/llama-3.3-70b-instruct', 'meta%2Fllama-3.3-70b-instruct']) {
      const response = await fetch(`${platform.baseUrl}/v1/models/${path}`, { headers: auth() });
      expect(response.status).toBe(200);
      expect(await json(response)).toEqual({ id: 'meta/llama-3.3-70b-instruct', object: 'model', created: expect.any(Number), owned_by: 'meta' });
    }
  });
});

describe('health', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`${platform.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${platform.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await json(ready)).toMatchObject({ status: 'ready', checks: { postgres: 'ok', chat: 'ok', 'rate-limit': 'ok' } });
  });
});

describe('trace context', () => {
  it('follows a request from HTTP through gRPC into its Kafka usage event', async () => {
    const traceId = randomBytes(16).toString('hex');
    const response = await post('/v1/chat/completions', JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'trace me' }] }), {
      ...auth(),
      traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
    });
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-request-id');
    const kafka = new Kafka({ brokers: [process.env.TEST_KAFKA_BROKERS!], logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `trace-test-${randomBytes(4).toString('hex')}` });
    await consumer.connect();
    await consumer.subscribe({ topic: `${platform.topicPrefix}usage.events.v1`, fromBeginning: true });
    const found = new Promise<Record<string, string>>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (JSON.parse(message.value!.toString()).requestId !== requestId) return;
          resolve(Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])));
        },
      });
    });
    try {
      const headers = await Promise.race([found, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('usage event not found')), 15_000))]);
      expect(headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-0[01]$`));
    } finally {
      await consumer.disconnect();
    }
  });
});
