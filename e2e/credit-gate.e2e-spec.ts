import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { ModelCatalog, tokenCostMicros } from '@apitopmix/catalog';
import { estimateRequestTokens } from '@apitopmix/dialects/openai-chat';
import { createTestAccount, ledgerRows, SandboxControl, startTestPlatform, TestPlatform, waitFor } from '@apitopmix/testing';

jest.setTimeout(90_000);

/**
 * The credit gate: a request's most possible cost is reserved against the prepaid balance before any upstream is
 * called, exactly under concurrency; an account without credit gets 402 in its dialect; free models need none.
 */

let platform: TestPlatform;
let sandbox: SandboxControl;

beforeAll(async () => {
  platform = await startTestPlatform();
  sandbox = new SandboxControl(platform.sandboxUrl);
}, 120_000);

afterAll(async () => {
  await platform?.shutdown();
});

const enterprise = { tier: 'ENTERPRISE' as const, rpmLimit: 100_000, tpmLimit: 100_000_000 };

/** What the edge reserves for a Chat Completions request: its estimate at the model's prices. */
function maxCost(model: string, body: OpenAI.ChatCompletionCreateParamsNonStreaming): bigint {
  const entry = new ModelCatalog().findOfKind(model, 'chat');
  if (!entry) throw new Error(`no model ${model}`);
  const estimate = estimateRequestTokens(body as never, entry.maxOutputTokens);
  return tokenCostMicros(entry.price, estimate.inputTokens, estimate.outputTokens);
}

it('admits at most one of 50 concurrent requests on a balance that covers one, and the balance ends at or above zero less one request', async () => {
  const marker = `covers-one-${Date.now()}`;
  const body = { model: 'gpt-4.1', messages: [{ role: 'user' as const, content: marker }], max_tokens: 200 };
  const cost = maxCost('gpt-4.1', body);
  // Exactly one request's reservation: once one is answered, what is left is short of another's however it settles.
  const { accountId, apiKey } = await createTestAccount(platform.prisma, { ...enterprise, balanceMicros: cost });
  const client = new OpenAI({ apiKey, baseURL: `${platform.baseUrl}/v1`, maxRetries: 0 });
  await sandbox.clearRequests();

  const results = await Promise.allSettled(Array.from({ length: 50 }, () => client.chat.completions.create(body)));

  const answered = results.filter((r) => r.status === 'fulfilled');
  const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as InstanceType<typeof OpenAI.APIError>] : []));
  expect(answered).toHaveLength(1);
  expect(refused).toHaveLength(49);
  for (const error of refused) {
    expect(error.status).toBe(402);
    expect(error.error).toMatchObject({ type: 'insufficient_quota', code: 'insufficient_quota' });
  }
  const upstream = (await sandbox.requests()).filter((r) => JSON.stringify(r.body).includes(marker));
  expect(upstream).toHaveLength(1);

  const [row] = await waitFor(
    () => ledgerRows(platform.prisma, accountId),
    (rows) => rows.length === 1,
    10_000,
  );
  const account = await platform.prisma.account.findUniqueOrThrow({ where: { id: accountId } });
  expect(account.balanceMicros).toBe(cost + row.amountMicros);
  expect(account.balanceMicros).toBeGreaterThanOrEqual(-cost);
});

it('frees the credit once the usage settles: the next request on the same balance goes through', async () => {
  const body = { model: 'gpt-4.1', messages: [{ role: 'user' as const, content: 'one after another' }], max_tokens: 200 };
  const cost = maxCost('gpt-4.1', body);
  // Room for one reservation at a time, and for several real costs (far below the reserved maximum).
  const { accountId, apiKey } = await createTestAccount(platform.prisma, { ...enterprise, balanceMicros: cost + cost / 2n });
  const client = new OpenAI({ apiKey, baseURL: `${platform.baseUrl}/v1`, maxRetries: 0 });
  await client.chat.completions.create(body);
  // The edge set the reservation to the real cost at once; billing releases it with the ledger write.
  await waitFor(
    () => ledgerRows(platform.prisma, accountId),
    (rows) => rows.length === 1,
    10_000,
  );
  await expect(client.chat.completions.create(body)).resolves.toMatchObject({ object: 'chat.completion' });
});

it('answers 402 in each caller’s dialect before any upstream is called, and the SDKs do not retry it', async () => {
  const { apiKey } = await createTestAccount(platform.prisma, { ...enterprise, balanceMicros: 0n });
  await sandbox.clearRequests();

  const openai = new OpenAI({ apiKey, baseURL: `${platform.baseUrl}/v1` }); // default retries on
  const chat = await openai.chat.completions.create({ model: 'claude-sonnet-4', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
  expect(chat).toBeInstanceOf(OpenAI.APIError);
  expect((chat as InstanceType<typeof OpenAI.APIError>).status).toBe(402);
  expect((chat as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({
    type: 'insufficient_quota',
    code: 'insufficient_quota',
    message: expect.stringMatching(/quota/),
  });

  const anthropic = new Anthropic({ apiKey, baseURL: platform.baseUrl });
  const message = await anthropic.messages
    .create({ model: 'claude-sonnet-4-6', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] })
    .catch((e: unknown) => e);
  expect((message as InstanceType<typeof Anthropic.APIError>).status).toBe(402);
  expect((message as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'billing_error' } });

  const gemini = await fetch(`${platform.baseUrl}/v1beta/models/gemini-3-pro-preview:generateContent`, {
    method: 'POST',
    headers: { 'x-goog-api-key': apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ contents: [{ parts: [{ text: 'hi' }] }] }),
  });
  expect(gemini.status).toBe(402);
  expect(await gemini.json()).toMatchObject({ error: { code: 402, status: 'RESOURCE_EXHAUSTED' } });

  // One attempt each: nothing reached an upstream.
  expect(await sandbox.requests()).toHaveLength(0);
});

it('admits a free model at a zero balance', async () => {
  const { apiKey } = await createTestAccount(platform.prisma, { ...enterprise, balanceMicros: 0n });
  const client = new OpenAI({ apiKey, baseURL: `${platform.baseUrl}/v1`, maxRetries: 0 });
  const response = await client.chat.completions.create({ model: 'meta/llama-3.3-70b-instruct', messages: [{ role: 'user', content: 'hi' }] });
  expect(response.choices[0].message.content).toMatch(/Sandbox reply/);
});

it('keeps an account in good standing flowing while billing is down, and refuses one without credit', async () => {
  const good = await createTestAccount(platform.prisma, { ...enterprise });
  const broke = await createTestAccount(platform.prisma, { ...enterprise, balanceMicros: 0n });
  const billing = platform.process('billing');
  await billing.stop();
  try {
    const body = { model: 'gpt-4.1', messages: [{ role: 'user' as const, content: 'billing is away' }], max_tokens: 50 };
    const fine = new OpenAI({ apiKey: good.apiKey, baseURL: `${platform.baseUrl}/v1`, maxRetries: 0 });
    const started = Date.now();
    await expect(fine.chat.completions.create(body)).resolves.toMatchObject({ object: 'chat.completion' });
    expect(Date.now() - started).toBeLessThan(2_000);
    const none = new OpenAI({ apiKey: broke.apiKey, baseURL: `${platform.baseUrl}/v1`, maxRetries: 0 });
    await expect(none.chat.completions.create(body)).rejects.toMatchObject({ status: 402 });
  } finally {
    billing.start();
    await billing.waitReady();
  }
  await waitFor(
    () => ledgerRows(platform.prisma, good.accountId),
    (rows) => rows.length === 1,
    15_000,
  );
});
