// Fault rules and deployment prefixes, end to end over HTTP in all three wire formats: every fault kind, its
// format-specific shape, spending `times`, matching by model/format/deployment, and the request log's view.
import OpenAI from 'openai';
import type { FaultRule } from './shared/fault-rules';
import { parseSse, readWithin, sseJson, startSandbox, TEST_API_KEY, waitForRecord, type SandboxHarness } from './testing/sandbox-harness';

let harness: SandboxHarness;
let client: OpenAI;
beforeAll(async () => {
  harness = await startSandbox();
  client = new OpenAI({ apiKey: TEST_API_KEY, baseURL: `${harness.origin}/v1`, maxRetries: 0 });
});
afterAll(() => harness.close());
beforeEach(() => harness.reset());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const chatBody = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Tell me a story' }] };
const messagesBody = { model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user', content: 'Tell me a story' }] };
const geminiBody = { contents: [{ role: 'user', parts: [{ text: 'Tell me a story' }] }] };

type Format = 'openai' | 'anthropic' | 'gemini';

/** One request in `format`, optionally streamed, optionally under a deployment prefix. */
function send(format: Format, options: { stream?: boolean; deployment?: string; model?: string; signal?: AbortSignal } = {}): Promise<Response> {
  const prefix = options.deployment ? `/d/${options.deployment}` : '';
  const init = { method: 'POST', signal: options.signal };
  switch (format) {
    case 'openai':
      return fetch(`${harness.origin}${prefix}/v1/chat/completions`, {
        ...init,
        headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...chatBody, model: options.model ?? chatBody.model, stream: options.stream }),
      });
    case 'anthropic':
      return fetch(`${harness.origin}${prefix}/v1/messages`, {
        ...init,
        headers: { 'x-api-key': TEST_API_KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
        body: JSON.stringify({ ...messagesBody, model: options.model ?? messagesBody.model, stream: options.stream }),
      });
    case 'gemini': {
      const method = options.stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
      return fetch(`${harness.origin}${prefix}/v1beta/models/${options.model ?? 'gemini-2.5-flash'}:${method}`, {
        ...init,
        headers: { 'x-goog-api-key': TEST_API_KEY, 'content-type': 'application/json' },
        body: JSON.stringify(geminiBody),
      });
    }
  }
}

async function setFaults(faults: unknown[]): Promise<Json> {
  const res = await harness.putSettings({ faults: faults as FaultRule[] });
  expect(res.status).toBe(200);
  return res.json();
}

describe('fault rules in settings', () => {
  it('shows each rule with its remaining count and hits in GET /_sandbox/settings', async () => {
    const put = await setFaults([
      { kind: 'status', status: 429, retryAfterSeconds: 3, times: 2, match: { format: 'openai' } },
      { kind: 'midstream', afterChunks: 2 },
    ]);
    expect(put.faults).toEqual([
      { kind: 'status', status: 429, retryAfterSeconds: 3, times: 2, match: { format: 'openai' }, remaining: 2, applied: 0 },
      { kind: 'midstream', afterChunks: 2, remaining: null, applied: 0 },
    ]);
    expect(((await (await fetch(`${harness.origin}/_sandbox/settings`)).json()) as Json).faults).toEqual(put.faults);
  });

  it.each([
    ['an unknown kind', { kind: 'explode' }],
    ['a status rule without status', { kind: 'status' }],
    ['a non-error status', { kind: 'status', status: 200 }],
    ['afterChunks on a status rule', { kind: 'status', status: 500, afterChunks: 1 }],
    ['an unknown match key', { kind: 'garbage', match: { modle: 'x' } }],
    ['an unknown format', { kind: 'garbage', match: { format: 'cohere' } }],
    ['times 0', { kind: 'garbage', times: 0 }],
  ])('refuses %s, leaving the rules unchanged', async (_case, rule) => {
    await setFaults([{ kind: 'garbage', times: 1 }]);
    const res = await harness.putSettings({ faults: [rule as FaultRule] });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Json).error.message).toMatch(/^sandbox settings: faults\.0/);
    expect(harness.sandbox.settings.faults).toHaveLength(1);
  });
});

describe('status faults', () => {
  it.each([
    ['openai', 429, (b: Json) => expect(b.error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded', param: null })],
    [
      'anthropic',
      429,
      (b: Json) => expect(b).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' }, request_id: expect.stringMatching(/^req_/) }),
    ],
    ['anthropic', 529, (b: Json) => expect(b.error).toEqual({ type: 'overloaded_error', message: 'Overloaded' })],
    [
      'gemini',
      429,
      (b: Json) =>
        expect(b.error).toMatchObject({
          code: 429,
          status: 'RESOURCE_EXHAUSTED',
          details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' }],
        }),
    ],
    ['gemini', 503, (b: Json) => expect(b.error).toMatchObject({ code: 503, status: 'UNAVAILABLE' })],
    ['openai', 500, (b: Json) => expect(b.error).toMatchObject({ type: 'server_error' })],
  ] as const)("%s %i comes in the format's own error shape with Retry-After", async (format, status, check) => {
    await setFaults([{ kind: 'status', status, retryAfterSeconds: 7 }]);
    const res = await send(format);
    expect(res.status).toBe(status);
    expect(res.headers.get('retry-after')).toBe('7');
    check(await res.json());
    const [record] = await harness.requestLog();
    expect(record).toMatchObject({ status, fault: 'status', format });
  });

  it('is spent after `times` matching requests, then requests succeed again', async () => {
    await setFaults([{ kind: 'status', status: 503, times: 2 }]);
    expect((await send('openai')).status).toBe(503);
    expect((await send('gemini')).status).toBe(503);
    expect((await send('anthropic')).status).toBe(200);
    expect(harness.sandbox.settings.faults[0]).toMatchObject({ remaining: 0, applied: 2 });
    expect((await harness.requestLog()).map((r) => r.fault)).toEqual(['status', 'status', null]);
  });

  it('is seen by the official SDK as the matching error class', async () => {
    await setFaults([{ kind: 'status', status: 429, retryAfterSeconds: 1 }]);
    const error = await client.chat.completions.create(chatBody as OpenAI.ChatCompletionCreateParamsNonStreaming).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe('1');
  });
});

describe('matching', () => {
  it('applies a rule only to its model, format and deployment; the first matching rule wins', async () => {
    await setFaults([
      { kind: 'status', status: 404, match: { model: 'gpt-4o' } },
      { kind: 'status', status: 503, match: { format: 'gemini', deployment: 'east' } },
      { kind: 'status', status: 500, match: { format: 'gemini' } },
    ]);
    expect((await send('openai', { model: 'gpt-4o' })).status).toBe(404);
    expect((await send('openai', { model: 'gpt-4o-mini' })).status).toBe(200);
    expect((await send('anthropic')).status).toBe(200);
    expect((await send('gemini', { deployment: 'east' })).status).toBe(503);
    expect((await send('gemini', { deployment: 'west' })).status).toBe(500);
    expect((await send('gemini')).status).toBe(500);
    expect((await send('openai', { deployment: 'east' })).status).toBe(200);
  });
});

describe('timeout faults', () => {
  it('never sends headers and holds the connection until the client gives up', async () => {
    await setFaults([{ kind: 'timeout' }]);
    const started = Date.now();
    const error = await send('anthropic', { signal: AbortSignal.timeout(150) }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('TimeoutError');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    const record = await waitForRecord(harness, (r) => r.aborted);
    expect(record).toMatchObject({ status: null, aborted: true, fault: 'timeout', format: 'anthropic' });
  });

  it('with afterChunks, stalls a stream after that many events with the connection open', async () => {
    await setFaults([{ kind: 'timeout', afterChunks: 2 }]);
    const controller = new AbortController();
    const res = await send('openai', { stream: true, signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    while ((text.match(/\n\n/g) ?? []).length < 2) {
      const read = await readWithin(reader, 500);
      if (read === 'pending' || read.done) throw new Error('stream ended or stalled too early');
      text += new TextDecoder().decode(read.value);
    }
    expect(await readWithin(reader, 150)).toBe('pending');
    controller.abort();
    const record = await waitForRecord(harness, (r) => r.aborted);
    expect(record).toMatchObject({ chunksSent: 2, fault: 'timeout' });
  });
});

describe('midstream faults', () => {
  it('OpenAI: an error object in a data line after N chunks, no [DONE]; the SDK throws', async () => {
    await setFaults([{ kind: 'midstream', afterChunks: 3, times: 1 }]);
    const raw = await (await send('openai', { stream: true })).text();
    const events = parseSse(raw);
    expect(events).toHaveLength(4);
    expect(JSON.parse(events[3].data)).toEqual({
      error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null },
    });
    expect(raw).not.toContain('[DONE]');

    await setFaults([{ kind: 'midstream', afterChunks: 3, times: 1 }]);
    const stream = await client.chat.completions.create({ ...(chatBody as OpenAI.ChatCompletionCreateParamsStreaming), stream: true });
    const seen: string[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(seen).toHaveLength(3);
  });

  it('Anthropic: an `event: error` overloaded_error after N events, then the end', async () => {
    await setFaults([{ kind: 'midstream', afterChunks: 4 }]);
    const events = parseSse(await (await send('anthropic', { stream: true })).text());
    expect(events.map((e) => e.event)).toEqual(['message_start', 'content_block_start', 'ping', 'content_block_delta', 'error']);
    expect(JSON.parse(events[4].data)).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  });

  it('Gemini: the connection is cut after N chunks, and the log does not call it a client abort', async () => {
    await setFaults([{ kind: 'midstream', afterChunks: 2 }]);
    const res = await send('gemini', { stream: true });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    const error = await (async () => {
      for (;;) {
        const read = await reader.read();
        if (read.done) return undefined;
        text += new TextDecoder().decode(read.value);
      }
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TypeError', message: 'terminated' }); // the body never ended cleanly
    expect(parseSse(text)).toHaveLength(2);
    const record = await waitForRecord(harness, (r) => r.fault === 'midstream' && r.status === 200);
    expect(record).toMatchObject({ aborted: false, chunksSent: 2 });
  });

  it("is a 500 in the format's shape for a non-streaming request", async () => {
    await setFaults([{ kind: 'midstream' }]);
    const res = await send('gemini');
    expect(res.status).toBe(500);
    expect(((await res.json()) as Json).error).toMatchObject({ code: 500, status: 'INTERNAL' });
  });
});

describe('garbage faults', () => {
  it.each(['openai', 'anthropic', 'gemini'] as const)('%s: a 200 JSON response that does not parse', async (format) => {
    await setFaults([{ kind: 'garbage' }]);
    const res = await send(format);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = await res.text();
    expect(() => JSON.parse(body)).toThrow(SyntaxError);
  });

  it('streams: valid events, then an event whose data is not JSON', async () => {
    await setFaults([{ kind: 'garbage', afterChunks: 2 }]);
    const events = parseSse(await (await send('anthropic', { stream: true })).text());
    expect(events.slice(0, 2).map((e) => e.event)).toEqual(['message_start', 'content_block_start']);
    expect(() => JSON.parse(events[2].data)).toThrow(SyntaxError);

    const openAiEvents = parseSse(await (await send('openai', { stream: true })).text());
    expect(() => openAiEvents.forEach((e) => JSON.parse(e.data))).toThrow(SyntaxError);
  });

  it('Gemini JSON-array stream: the array never becomes valid JSON', async () => {
    await setFaults([{ kind: 'garbage', afterChunks: 1 }]);
    const res = await fetch(`${harness.origin}/v1beta/models/gemini-2.5-flash:streamGenerateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': TEST_API_KEY },
      body: JSON.stringify(geminiBody),
    });
    const body = await res.text();
    expect(body.startsWith('[{')).toBe(true);
    expect(() => JSON.parse(body)).toThrow(SyntaxError);
  });
});

describe('deployments', () => {
  it('serves every format under /d/<name>/ and records the deployment', async () => {
    for (const format of ['openai', 'anthropic', 'gemini'] as const) {
      const res = await send(format, { deployment: 'east' });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-sandbox-deployment')).toBe('east');
    }
    const streamed = sseJson<Json>(await (await send('gemini', { deployment: 'east', stream: true })).text());
    expect(streamed.length).toBeGreaterThan(1);
    await send('openai');

    const records = await harness.requestLog();
    expect(records.map((r) => [r.deployment, r.format, r.path])).toEqual([
      ['east', 'openai', '/d/east/v1/chat/completions'],
      ['east', 'anthropic', '/d/east/v1/messages'],
      ['east', 'gemini', '/d/east/v1beta/models/gemini-2.5-flash:generateContent'],
      ['east', 'gemini', '/d/east/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse'],
      [null, 'openai', '/v1/chat/completions'],
    ]);
  });

  it('answers the same content under any deployment, as replicas of one model would', async () => {
    const east = ((await (await send('openai', { deployment: 'east' })).json()) as Json).choices[0].message.content;
    const west = ((await (await send('openai', { deployment: 'west-2' })).json()) as Json).choices[0].message.content;
    expect(west).toBe(east);
  });

  it('does not serve the control API under a prefix, nor invalid deployment names', async () => {
    const control = await fetch(`${harness.origin}/d/east/_sandbox/settings`);
    expect(control.status).toBe(404);
    const badName = await fetch(`${harness.origin}/d/bad%20name/v1/models`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } });
    expect(badName.status).toBe(404);
  });
});
