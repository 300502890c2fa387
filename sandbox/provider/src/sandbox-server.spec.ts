// Drives the sandbox over real HTTP with the official OpenAI SDK (raw fetch where the SDK hides the wire).
import OpenAI from 'openai';
import { createSandboxServer, splitDeployment, wireFormatOfPath, type RequestRecord, type SandboxServer } from './sandbox-server';

const API_KEY = 'sandbox-key';

let sandbox: SandboxServer;
let origin: string;
let client: OpenAI;

beforeAll(async () => {
  sandbox = createSandboxServer({ apiKey: API_KEY });
  const port = await sandbox.listen(0);
  origin = `http://127.0.0.1:${port}`;
  client = new OpenAI({ apiKey: API_KEY, baseURL: `${origin}/v1`, maxRetries: 0 });
});

afterAll(() => sandbox.close());

beforeEach(async () => {
  Object.assign(sandbox.settings, { latencyMs: 0, chunkDelayMs: 0, faults: [] });
  await fetch(`${origin}/_sandbox/requests`, { method: 'DELETE' });
});

const question = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'What is the capital of France?' }] };

function postChat(body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(`${origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...init,
  });
}

/** The `data:` payloads of an SSE body, in order. */
function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      expect(frame.startsWith('data: ')).toBe(true);
      return frame.slice('data: '.length);
    });
}

async function requestLog(): Promise<RequestRecord[]> {
  const res = await fetch(`${origin}/_sandbox/requests`);
  return ((await res.json()) as { requests: RequestRecord[] }).requests;
}

describe('sandbox provider: OpenAI chat completions', () => {
  it('answers in the CreateChatCompletionResponse shape', async () => {
    const completion = await client.chat.completions.create(question);

    expect(completion).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      system_fingerprint: 'fp_sandbox',
      choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', refusal: null } }],
    });
    expect(completion.id).toMatch(/^chatcmpl-[A-Za-z0-9]{29}$/);
    expect(Math.abs(completion.created - Date.now() / 1000)).toBeLessThan(5);
    expect(completion.choices[0].message.content).toMatch(/^Sandbox reply to "What is the capital of France\?": \w+/);
    const usage = completion.usage!;
    expect(usage.prompt_tokens).toBeGreaterThan(0);
    expect(usage.completion_tokens).toBeGreaterThan(12);
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
  });

  it('gives the same content for the same request and different content for another', async () => {
    const first = await client.chat.completions.create(question);
    const second = await client.chat.completions.create(question);
    const other = await client.chat.completions.create({ ...question, messages: [{ role: 'user', content: 'And of Spain?' }] });

    expect(second.choices[0].message.content).toBe(first.choices[0].message.content);
    expect(second.usage).toEqual(first.usage);
    expect(second.id).not.toBe(first.id);
    expect(other.choices[0].message.content).not.toBe(first.choices[0].message.content);
  });

  it('returns n distinct choices and bills all of them', async () => {
    const completion = await client.chat.completions.create({ ...question, n: 3 });
    const single = await client.chat.completions.create(question);

    expect(completion.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(new Set(completion.choices.map((c) => c.message.content)).size).toBe(3);
    expect(completion.choices[0].message.content).toBe(single.choices[0].message.content);
    expect(completion.usage!.completion_tokens).toBeGreaterThan(single.usage!.completion_tokens);
  });

  it('stops at max_tokens / max_completion_tokens with finish_reason length', async () => {
    const byMaxTokens = await client.chat.completions.create({ ...question, max_tokens: 3 });
    expect(byMaxTokens.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: 'Sandbox reply to' } });
    expect(byMaxTokens.usage!.completion_tokens).toBe(3);

    const byMaxCompletionTokens = await client.chat.completions.create({ ...question, max_completion_tokens: 4 });
    expect(byMaxCompletionTokens.choices[0].finish_reason).toBe('length');
    expect(byMaxCompletionTokens.usage!.completion_tokens).toBe(4);
  });

  it('stops before a stop sequence with finish_reason stop', async () => {
    const completion = await client.chat.completions.create({ ...question, stop: [' to "'] });
    expect(completion.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: 'Sandbox reply' } });
    expect(completion.usage!.completion_tokens).toBe(2);
  });

  describe('streaming', () => {
    it('sends role, one chunk per token, finish, usage with include_usage, then [DONE]', async () => {
      const plain = await client.chat.completions.create(question);
      const res = await postChat({ ...question, stream: true, stream_options: { include_usage: true } });

      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      const data = sseData(await res.text());
      expect(data[data.length - 1]).toBe('[DONE]');
      const chunks = data.slice(0, -1).map((line) => JSON.parse(line) as OpenAI.ChatCompletionChunk);

      expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
      expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'gpt-4o-mini')).toBe(true);
      expect(chunks[0].choices[0]).toMatchObject({ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null });

      const usageChunk = chunks[chunks.length - 1];
      expect(usageChunk.choices).toEqual([]);
      expect(usageChunk.usage).toEqual(plain.usage);
      const finishChunk = chunks[chunks.length - 2];
      expect(finishChunk.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
      expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);

      const contentChunks = chunks.slice(1, -2);
      expect(contentChunks.map((c) => c.choices[0].delta.content).join('')).toBe(plain.choices[0].message.content);
      expect(contentChunks).toHaveLength(plain.usage!.completion_tokens);
    });

    it('sends no usage field and no usage chunk without include_usage', async () => {
      const res = await postChat({ ...question, stream: true, max_tokens: 2 });
      const data = sseData(await res.text());
      const chunks = data.slice(0, -1).map((line) => JSON.parse(line) as Record<string, unknown>);

      expect(data[data.length - 1]).toBe('[DONE]');
      expect(chunks).toHaveLength(1 + 2 + 1);
      expect(chunks.some((c) => 'usage' in c)).toBe(false);
      expect((chunks[3] as unknown as OpenAI.ChatCompletionChunk).choices[0].finish_reason).toBe('length');
    });

    it('is readable by the SDK stream helper', async () => {
      const plain = await client.chat.completions.create(question);
      const stream = await client.chat.completions.create({ ...question, stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      expect(text).toBe(plain.choices[0].message.content);
    });

    it('stops generating when the client disconnects, and records it', async () => {
      sandbox.settings.chunkDelayMs = 20;
      const controller = new AbortController();
      const res = await postChat({ ...question, stream: true }, { signal: controller.signal });
      const reader = res.body!.getReader();
      await reader.read(); // at least the role chunk
      controller.abort();

      const deadline = Date.now() + 1000;
      let record: RequestRecord | undefined;
      while (!record?.aborted && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        [record] = await requestLog();
      }
      expect(record).toMatchObject({ aborted: true, path: '/v1/chat/completions' });
      const sentAtAbort = record!.chunksSent;
      expect(sentAtAbort).toBeGreaterThanOrEqual(1);
      expect(sentAtAbort).toBeLessThan(5);

      // Several chunk delays later nothing more has been produced.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const [later] = await requestLog();
      expect(later.chunksSent).toBe(sentAtAbort);
    });
  });

  describe('errors in OpenAI shape', () => {
    it('401s a wrong key with code invalid_api_key, without echoing the key', async () => {
      const wrong = new OpenAI({ apiKey: 'sk-wrong-key-0123456789abcdef', baseURL: `${origin}/v1`, maxRetries: 0 });
      const error = await wrong.chat.completions.create(question).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
      expect(error).toMatchObject({ status: 401, type: 'invalid_request_error', code: 'invalid_api_key', param: null });
      expect((error as Error).message).not.toContain('0123456789abcdef');
    });

    it('401s a missing key like OpenAI: code null', async () => {
      const res = await fetch(`${origin}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(question) });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: Record<string, unknown> };
      expect(body.error).toMatchObject({ type: 'invalid_request_error', param: null, code: null });
      expect(body.error.message).toMatch(/^You didn't provide an API key/);
    });

    it('400s missing messages with param messages', async () => {
      const error = await client.chat.completions.create({ model: 'gpt-4o' } as OpenAI.ChatCompletionCreateParamsNonStreaming).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error).toMatchObject({ status: 400, type: 'invalid_request_error', param: 'messages', code: 'missing_required_parameter' });
    });

    it.each([
      ['malformed JSON', '{"model":', null],
      ['a missing model', JSON.stringify({ messages: question.messages }), 'model'],
      ['an unknown role', JSON.stringify({ model: 'm', messages: [{ role: 'robot', content: 'x' }] }), 'messages[0].role'],
      ['max_tokens 0', JSON.stringify({ ...question, max_tokens: 0 }), 'max_tokens'],
    ])('400s %s', async (_case, body, param) => {
      const res = await postChat(undefined, { body });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: unknown }).error).toMatchObject({ type: 'invalid_request_error', param });
    });

    it('404s unknown routes', async () => {
      const res = await fetch(`${origin}/v1/nothing-here`, { headers: { authorization: `Bearer ${API_KEY}` } });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({
        error: { message: 'Invalid URL (GET /v1/nothing-here)', type: 'invalid_request_error', param: null, code: null },
      });
    });
  });

  it('lists models in the OpenAI list shape', async () => {
    const models = [];
    for await (const model of client.models.list()) models.push(model);
    expect(models.length).toBeGreaterThan(1);
    expect(models[0]).toEqual({ id: 'gpt-4o', object: 'model', created: expect.any(Number), owned_by: 'sandbox' });
  });

  it('retrieves any model id, slashes included, as chat completions serve any id', async () => {
    expect(await client.models.retrieve('meta/llama-3.3-70b-instruct')).toEqual({
      id: 'meta/llama-3.3-70b-instruct',
      object: 'model',
      created: expect.any(Number),
      owned_by: 'sandbox',
    });
  });
});

describe('sandbox control API', () => {
  it('applies latencyMs set through PUT /_sandbox/settings before answering', async () => {
    const put = await fetch(`${origin}/_sandbox/settings`, { method: 'PUT', body: JSON.stringify({ latencyMs: 150 }) });
    expect(await put.json()).toEqual({ latencyMs: 150, chunkDelayMs: 0, faults: [] });
    expect(await (await fetch(`${origin}/_sandbox/settings`)).json()).toEqual({ latencyMs: 150, chunkDelayMs: 0, faults: [] });

    const started = performance.now();
    await client.chat.completions.create(question);
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);

    sandbox.settings.latencyMs = 0;
    const fastStarted = performance.now();
    await client.chat.completions.create(question);
    expect(performance.now() - fastStarted).toBeLessThan(150);
  });

  it('refuses unknown or invalid settings', async () => {
    for (const body of ['{"latencyMS":5}', '{"latencyMs":-1}', '{"chunkDelayMs":"5"}', 'nope']) {
      const res = await fetch(`${origin}/_sandbox/settings`, { method: 'PUT', body });
      expect(res.status).toBe(400);
    }
    expect(sandbox.settings).toEqual({ latencyMs: 0, chunkDelayMs: 0, faults: [] });
  });

  it('records provider requests with the key redacted, and clears them', async () => {
    await client.chat.completions.create({ ...question, temperature: 0.2 });
    await fetch(`${origin}/_sandbox/settings`);

    const records = await requestLog();
    expect(records).toHaveLength(1); // control calls are not recorded
    expect(records[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      status: 200,
      aborted: false,
      chunksSent: 0,
      body: { ...question, temperature: 0.2 },
    });
    expect(records[0].headers.authorization).toBe('Bearer sandbo***');
    expect(JSON.stringify(records)).not.toContain(API_KEY);
    expect(new Date(records[0].at).getTime()).toBeGreaterThan(Date.now() - 5000);

    expect((await fetch(`${origin}/_sandbox/requests`, { method: 'DELETE' })).status).toBe(204);
    expect(await requestLog()).toEqual([]);
  });
});

describe('paths', () => {
  it('splits a deployment prefix off, and only a valid one', () => {
    expect(splitDeployment('/d/east/v1/chat/completions')).toEqual({ deployment: 'east', path: '/v1/chat/completions' });
    expect(splitDeployment('/d/eu.west-1_b/v1beta/models/x:generateContent')).toEqual({ deployment: 'eu.west-1_b', path: '/v1beta/models/x:generateContent' });
    expect(splitDeployment('/d/east')).toEqual({ deployment: null, path: '/d/east' });
    expect(splitDeployment('/d/a%20b/v1/models')).toEqual({ deployment: null, path: '/d/a%20b/v1/models' });
    expect(splitDeployment('/v1/d/east/x')).toEqual({ deployment: null, path: '/v1/d/east/x' });
  });

  it('picks the error envelope of the format a path belongs to', () => {
    expect(wireFormatOfPath('/v1/messages/nope')).toBe('anthropic');
    expect(wireFormatOfPath('/v1/messagesx')).toBe('openai');
    expect(wireFormatOfPath('/v1beta/anything')).toBe('gemini');
    expect(wireFormatOfPath('/v1/models/gemini-2.5-flash:embedContent')).toBe('gemini');
    expect(wireFormatOfPath('/v1/models/gpt-4o')).toBe('openai');
  });
});
