import { createTestAccount, ledgerRows, SandboxControl, startTestPlatform, TestPlatform, waitFor } from '@apitopmix/testing';

jest.setTimeout(60_000);

let platform: TestPlatform;
let apiKey: string;
let accountId: string;

// Two deployments of every OpenAI model on the sandbox, told apart by path; "east" all but always goes first.
beforeAll(async () => {
  platform = await startTestPlatform({
    routing: (sandbox) => ({
      deployments: [
        { name: 'east', provider: 'openai', baseUrl: `${sandbox}/d/east/v1`, apiKeyEnv: 'OPENAI_API_KEY', weight: 1_000_000 },
        { name: 'west', provider: 'openai', baseUrl: `${sandbox}/d/west/v1`, apiKeyEnv: 'OPENAI_API_KEY', weight: 0.000001 },
        { name: 'nim', provider: 'nvidia-nim', baseUrl: `${sandbox}/v1`, apiKeyEnv: 'NVIDIA_NIM_API_KEY' },
      ],
      retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100, maxRetryAfterMs: 2_000 },
      cooldown: { failures: 2, windowMs: 60_000, durationMs: 60_000 },
    }),
  });
  sandbox = new SandboxControl(platform.sandboxUrl);
  ({ apiKey, accountId } = await createTestAccount(platform.prisma, { tier: 'ENTERPRISE', rpmLimit: 100_000, tpmLimit: 100_000_000 }));
}, 120_000);

afterAll(async () => {
  await platform?.shutdown();
});

let sandbox: SandboxControl;
const setFaults = (faults: unknown[], settings: Record<string, unknown> = {}) => sandbox.faults(faults, settings);
const upstreamCalls = async () => (await sandbox.requests()).filter((r) => r.path.endsWith('/chat/completions'));
const chatRequest = (body: Record<string, unknown>) =>
  fetch(`${platform.baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'route me' }], ...body }),
  });

beforeEach(async () => {
  await setFaults([], { chunkDelayMs: 0 });
  await sandbox.clearRequests();
});

it('answers from the second deployment when the first says 429', async () => {
  await setFaults([{ match: { deployment: 'east' }, kind: 'status', status: 429, retryAfterSeconds: 1, times: 1 }]);
  const response = await chatRequest({});
  expect(response.status).toBe(200);
  expect(((await response.json()) as { choices: { message: { content: string } }[] }).choices[0].message.content).toMatch(/Sandbox reply/);
  expect((await upstreamCalls()).map((r) => r.deployment)).toEqual(['east', 'west']);
});

it('retries a streaming request before its first byte, on another deployment, and the client sees one clean stream', async () => {
  // Whichever deployment goes first fails before its first byte (east may still be cooling from the test above).
  await setFaults([{ kind: 'status', status: 503, times: 1 }]);
  const response = await chatRequest({ stream: true });
  expect(response.status).toBe(200);
  const text = await response.text();
  expect(text).toMatch(/data: \[DONE\]\n\n$/);
  expect(text.match(/"role":"assistant"/g)).toHaveLength(1);
  const deployments = (await upstreamCalls()).map((r) => r.deployment);
  expect(deployments).toHaveLength(2);
  expect(new Set(deployments).size).toBe(2);
});

it('ends a stream that fails mid-way with an error event, not a silent truncation, and bills what was generated', async () => {
  const { accountId: id, apiKey: key } = await createTestAccount(platform.prisma, { tier: 'ENTERPRISE', rpmLimit: 1_000, tpmLimit: 1_000_000 });
  await setFaults([{ kind: 'midstream', afterChunks: 4 }]);
  const response = await fetch(`${platform.baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'fail me' }], stream: true }),
  });
  expect(response.status).toBe(200);
  const frames = (await response.text()).split('\n\n').filter(Boolean);
  expect(frames.length).toBeGreaterThan(1);
  expect(frames).not.toContain('data: [DONE]');
  const last = JSON.parse(frames[frames.length - 1].slice('data: '.length));
  expect(last.error).toMatchObject({ type: 'service_unavailable', message: expect.any(String) });
  const rows = await waitFor(
    () => ledgerRows(platform.prisma, id),
    (r) => r.length === 1,
    5_000,
  );
  expect(rows[0].tokensEstimated).toBe(true);
  expect(rows[0].outputTokens).toBeGreaterThan(0);
});

it('stops the upstream within a second when the client leaves after 5 chunks, and bills the partial usage', async () => {
  const { accountId: id, apiKey: key } = await createTestAccount(platform.prisma, { tier: 'ENTERPRISE', rpmLimit: 1_000, tpmLimit: 1_000_000 });
  await setFaults([], { chunkDelayMs: 40 });
  const response = await fetch(`${platform.baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'a long answer please' }], stream: true, max_tokens: 500 }),
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while ((text.match(/\n\n/g) ?? []).length < 5) text += decoder.decode((await reader.read()).value);
  await reader.cancel();
  const leftAt = Date.now();
  const [call] = await waitFor(upstreamCalls, (calls) => calls[0]?.aborted === true, 1_000);
  expect(Date.now() - leftAt).toBeLessThan(1_000);
  expect(call.chunksSent).toBeLessThan(100);
  const rows = await waitFor(
    () => ledgerRows(platform.prisma, id),
    (r) => r.length === 1,
    5_000,
  );
  expect(rows[0]).toMatchObject({ tokensEstimated: true });
  expect(rows[0].outputTokens).toBeGreaterThanOrEqual(3);
});

it('answers 503 service_unavailable once every deployment of the model is cooling down', async () => {
  await setFaults([{ match: { model: 'gpt-4.1' }, kind: 'status', status: 500 }]);
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++) statuses.push((await chatRequest({})).status);
  expect(statuses.every((s) => s === 503)).toBe(true);
  const calls = (await upstreamCalls()).length;
  const started = Date.now();
  const response = await chatRequest({});
  expect(response.status).toBe(503);
  expect(await response.json()).toMatchObject({ error: { type: 'service_unavailable', message: expect.stringMatching(/cooling down/) } });
  expect(Date.now() - started).toBeLessThan(500);
  expect((await upstreamCalls()).length).toBe(calls); // no upstream was called for it
  // Other models are not affected.
  const other = await fetch(`${platform.baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'meta/llama-3.3-70b-instruct', messages: [{ role: 'user', content: 'hi' }] }),
  });
  expect(other.status).toBe(200);
  expect(accountId).toBeDefined();
});
