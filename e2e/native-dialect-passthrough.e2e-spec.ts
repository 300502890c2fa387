import { createTestAccount, ledgerRows, SandboxControl, startTestPlatform, TestPlatform, waitFor } from '@apitopmix/testing';

jest.setTimeout(60_000);

/**
 * A caller speaking the upstream's own dialect (Anthropic Messages to Claude, generateContent to Gemini): the body
 * passes through, the answer comes back as the upstream sent it, and failures and disconnects are handled as for
 * translated streams.
 */

let platform: TestPlatform;
let apiKey: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  control = new SandboxControl(platform.sandboxUrl);
  ({ apiKey } = await createTestAccount(platform.prisma, { tier: 'ENTERPRISE', rpmLimit: 100_000, tpmLimit: 100_000_000 }));
}, 120_000);

afterAll(async () => {
  await platform?.shutdown();
});

let control: SandboxControl;
const sandbox = (path: string, init?: RequestInit) => fetch(`${platform.sandboxUrl}${path}`, init);
const setFaults = (faults: unknown[], settings: Record<string, unknown> = {}) => control.faults(faults, settings);
const upstreamCalls = () => control.requests();

beforeEach(async () => {
  await setFaults([], { chunkDelayMs: 0 });
  await control.clearRequests();
});

const anthropic = (body: unknown, key = apiKey) =>
  fetch(`${platform.baseUrl}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const gemini = (model: string, action: string, body: unknown, key = apiKey) =>
  fetch(`${platform.baseUrl}/v1beta/models/${model}:${action}`, {
    method: 'POST',
    headers: { 'x-goog-api-key': key, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** The sandbox mints a random message id per answer; everything else it sends is deterministic. */
const withoutIds = (text: string) => text.replace(/msg_01[A-Za-z0-9]{22}/g, 'msg_ID').replace(/"responseId":\s*"[^"]*"/g, '"responseId":"ID"');

describe('Anthropic Messages to a Claude model', () => {
  const request = {
    model: 'claude-sonnet-4',
    max_tokens: 300,
    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: 'Explain quantum computing.' }],
    metadata: { user_id: 'user-42' },
    service_tier: 'auto',
  };

  it('sends the caller’s body upstream with only the model changed, and answers with the upstream’s bytes', async () => {
    const response = await anthropic(request);
    expect(response.status).toBe(200);
    const text = await response.text();
    const [call] = await upstreamCalls();
    expect(call.path).toBe('/v1/messages');
    expect(call.body).toEqual({ ...request, model: 'claude-sonnet-4-6' });
    const direct = await sandbox('/v1/messages', {
      method: 'POST',
      headers: { 'x-api-key': 'sandbox-key', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify(call.body),
    });
    expect(withoutIds(text)).toBe(withoutIds(await direct.text()));
  });

  it('streams Anthropic’s own events, byte for byte, and bills the usage they report', async () => {
    const { accountId, apiKey: key } = await createTestAccount(platform.prisma, { tier: 'ENTERPRISE', rpmLimit: 1_000, tpmLimit: 1_000_000 });
    const response = await anthropic({ ...request, stream: true }, key);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await response.text();
    const [call] = await upstreamCalls();
    const direct = await sandbox('/v1/messages', {
      method: 'POST',
      headers: { 'x-api-key': 'sandbox-key', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify(call.body),
    });
    expect(withoutIds(text)).toBe(withoutIds(await direct.text()));
    const delta = text.split('\n\n').find((frame) => frame.startsWith('event: message_delta')) ?? '';
    const reported = JSON.parse(delta.split('\ndata: ')[1]) as { usage: { output_tokens: number } };
    const [row] = await waitFor(
      () => ledgerRows(platform.prisma, accountId),
      (rows) => rows.length === 1,
      5_000,
    );
    expect(row).toMatchObject({ tokensEstimated: false, outputTokens: reported.usage.output_tokens });
  });

  it('ends a stream that fails mid-way with Anthropic’s error event and bills what was generated', async () => {
    const { accountId, apiKey: key } = await createTestAccount(platform.prisma, { tier: 'ENTERPRISE', rpmLimit: 1_000, tpmLimit: 1_000_000 });
    await setFaults([{ kind: 'midstream', afterChunks: 5 }]);
    const response = await anthropic({ ...request, stream: true }, key);
    expect(response.status).toBe(200);
    const frames = (await response.text()).split('\n\n').filter(Boolean);
    expect(frames[0]).toMatch(/^event: message_start\n/);
    expect(frames.some((frame) => frame.startsWith('event: message_stop'))).toBe(false);
    const last = frames[frames.length - 1];
    expect(last).toMatch(/^event: error\ndata: /);
    expect(JSON.parse(last.split('\ndata: ')[1])).toEqual({ type: 'error', error: { type: expect.any(String), message: expect.any(String) } });
    const [row] = await waitFor(
      () => ledgerRows(platform.prisma, accountId),
      (rows) => rows.length === 1,
      5_000,
    );
    // message_start reported the input tokens, Anthropic's own; the output is estimated from what was sent.
    expect(row).toMatchObject({ inputTokens: 12, tokensEstimated: true });
    expect(row.outputTokens).toBeGreaterThan(0);
  });

  it('stops the upstream within a second when the client leaves after 5 events, and bills the partial usage', async () => {
    const { accountId, apiKey: key } = await createTestAccount(platform.prisma, { tier: 'ENTERPRISE', rpmLimit: 1_000, tpmLimit: 1_000_000 });
    await setFaults([], { chunkDelayMs: 40 });
    const response = await anthropic({ ...request, max_tokens: 2_000, messages: [{ role: 'user', content: 'a long answer please' }], stream: true }, key);
    await leaveAfterEvents(response, 5);
    await expectStoppedAndPartlyBilled(accountId);
  });
});

describe('generateContent to a Gemini model', () => {
  const request = {
    contents: [{ role: 'user', parts: [{ text: 'Hello, Gemini!' }] }],
    system_instruction: { parts: [{ text: 'Be brief.' }] },
    generationConfig: { temperature: 0.7, maxOutputTokens: 300, responseLogprobs: false },
    safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }],
    labels: { team: 'search' },
  };
  const direct = (action: string, body: unknown) =>
    sandbox(`/v1beta/models/gemini-3.1-pro-preview:${action}`, {
      method: 'POST',
      headers: { 'x-goog-api-key': 'sandbox-key', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('sends the caller’s body upstream untouched, in either spelling, and answers with Google’s bytes', async () => {
    const response = await gemini('gemini-3-pro-preview', 'generateContent', request);
    expect(response.status).toBe(200);
    const text = await response.text();
    const [call] = await upstreamCalls();
    // The spec's id resolves to Google's current model, which is what the upstream is asked for.
    expect(call.path).toBe('/v1beta/models/gemini-3.1-pro-preview:generateContent');
    expect(call.body).toEqual(request);
    expect(withoutIds(text)).toBe(withoutIds(await (await direct('generateContent', request)).text()));
  });

  it('streams Google’s own chunks as SSE and as a JSON array', async () => {
    const sse = await gemini('gemini-3-pro-preview', 'streamGenerateContent?alt=sse', request);
    expect(sse.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const sseText = await sse.text();
    const upstream = await (await direct('streamGenerateContent?alt=sse', request)).text();
    expect(withoutIds(sseText)).toBe(withoutIds(upstream));

    const array = await gemini('gemini-3-pro-preview', 'streamGenerateContent', request);
    expect(array.headers.get('content-type')).toMatch(/^application\/json/);
    const chunks = JSON.parse(await array.text()) as unknown[];
    const upstreamChunks = upstream
      .split('\r\n\r\n')
      .filter(Boolean)
      .map((frame) => JSON.parse(frame.slice('data: '.length)) as unknown);
    expect(withoutIds(JSON.stringify(chunks))).toBe(withoutIds(JSON.stringify(upstreamChunks)));
  });

  it('ends a stream that fails mid-way with Google’s error chunk, in SSE and in the JSON array', async () => {
    await setFaults([{ kind: 'midstream', afterChunks: 3, times: 2 }]);
    const sse = await gemini('gemini-3-pro-preview', 'streamGenerateContent?alt=sse', request);
    const frames = (await sse.text()).split('\r\n\r\n').filter(Boolean);
    expect(frames.length).toBe(4);
    expect(JSON.parse(frames[3].slice('data: '.length))).toMatchObject({
      error: { code: expect.any(Number), message: expect.any(String), status: expect.any(String) },
    });

    const array = JSON.parse(await (await gemini('gemini-3-pro-preview', 'streamGenerateContent', request)).text()) as Record<string, unknown>[];
    expect(array).toHaveLength(4);
    expect(array[3]).toHaveProperty('error.status');
  });

  it('stops the upstream within a second when the client leaves after 5 chunks, and bills the partial usage', async () => {
    const { accountId, apiKey: key } = await createTestAccount(platform.prisma, { tier: 'ENTERPRISE', rpmLimit: 1_000, tpmLimit: 1_000_000 });
    await setFaults([], { chunkDelayMs: 40 });
    const long = { ...request, contents: [{ role: 'user', parts: [{ text: 'a long answer please' }] }], generationConfig: { maxOutputTokens: 2_000 } };
    const response = await gemini('gemini-3-pro-preview', 'streamGenerateContent?alt=sse', long, key);
    await leaveAfterEvents(response, 5);
    await expectStoppedAndPartlyBilled(accountId);
  });
});

describe('mid-stream failures of translated streams end in the caller’s dialect too', () => {
  it('Anthropic caller, OpenAI upstream: an error event after message_start, no message_stop', async () => {
    await setFaults([{ kind: 'midstream', afterChunks: 4 }]);
    const response = await anthropic({ model: 'gpt-4.1', max_tokens: 300, messages: [{ role: 'user', content: 'fail me' }], stream: true });
    const frames = (await response.text()).split('\n\n').filter(Boolean);
    expect(frames[0]).toMatch(/^event: message_start\n/);
    expect(frames.some((frame) => frame.startsWith('event: message_stop'))).toBe(false);
    expect(frames[frames.length - 1]).toMatch(/^event: error\ndata: \{"type":"error","error":\{"type":"overloaded_error"/);
  });

  it('Gemini caller, Anthropic upstream: a last error chunk in Google’s shape', async () => {
    await setFaults([{ kind: 'midstream', afterChunks: 6 }]);
    const response = await gemini('claude-sonnet-4-6', 'streamGenerateContent?alt=sse', { contents: [{ parts: [{ text: 'fail me' }] }] });
    const frames = (await response.text()).split('\r\n\r\n').filter(Boolean);
    expect(frames.length).toBeGreaterThan(1);
    expect(JSON.parse(frames[frames.length - 1].slice('data: '.length))).toMatchObject({ error: { code: 503, status: 'UNAVAILABLE' } });
  });
});

/** The upstream call was aborted within a second of the client leaving, and what it generated was billed. */
async function expectStoppedAndPartlyBilled(accountId: string): Promise<void> {
  const leftAt = Date.now();
  const [call] = await waitFor(upstreamCalls, (calls) => calls[0]?.aborted === true, 1_000);
  expect(Date.now() - leftAt).toBeLessThan(1_000);
  expect(call.chunksSent).toBeLessThan(50);
  const [row] = await waitFor(
    () => ledgerRows(platform.prisma, accountId),
    (rows) => rows.length === 1,
    5_000,
  );
  expect(row).toMatchObject({ tokensEstimated: true });
  expect(row.inputTokens).toBeGreaterThan(0);
  expect(row.outputTokens).toBeGreaterThan(0);
}

/** Reads server-sent events until `count` have arrived, then goes away. */
async function leaveAfterEvents(response: Response, count: number): Promise<void> {
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while ((text.match(/\r?\n\r?\n/g) ?? []).length < count) text += decoder.decode((await reader.read()).value);
  await reader.cancel();
}
