import OpenAI from 'openai';
import { ModelCatalog, PRICE_TABLE_VERSION, tokenCostMicros } from '@apitopmix/catalog';
import { createTestAccount, ledgerRows, SandboxControl, startTestPlatform, TestPlatform, waitFor } from '@apitopmix/testing';

jest.setTimeout(60_000);

/**
 * POST /v1/embeddings end to end, driven by the official `openai` SDK (which asks for base64 unless told otherwise,
 * and decodes it itself): the three OpenAI models and Gemini's through the sandbox provider, token ids, dimensions,
 * errors in OpenAI's shape, and the ledger row billing writes for each call.
 */

let platform: TestPlatform;
let sandbox: SandboxControl;
let client: OpenAI;
let apiKey: string;

const catalog = new ModelCatalog();
const norm = (v: number[]) => Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
const normalise = (v: number[]) => v.map((x) => x / norm(v));
const embeddingCalls = async () => (await sandbox.requests()).filter((r) => /\/embeddings$|:(batchE|e)mbedContents?$/.test(r.path));

beforeAll(async () => {
  platform = await startTestPlatform();
  sandbox = new SandboxControl(platform.sandboxUrl);
  ({ apiKey } = await createTestAccount(platform.prisma, { tier: 'ENTERPRISE', rpmLimit: 100_000, tpmLimit: 100_000_000 }));
  client = new OpenAI({ apiKey, baseURL: `${platform.baseUrl}/v1`, maxRetries: 0 });
}, 120_000);

afterAll(async () => {
  await platform?.shutdown();
});

beforeEach(async () => {
  await sandbox.faults([]);
  await sandbox.clearRequests();
});

/** POST /v1/embeddings without the SDK, to see the wire. */
const post = (body: unknown, key = apiKey) =>
  fetch(`${platform.baseUrl}/v1/embeddings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('the spec’s three models through the openai SDK', () => {
  it.each([
    ['text-embedding-3-large', 3072],
    ['text-embedding-3-small', 1536],
    ['text-embedding-ada-002', 1536],
  ])('%s: %i unit-length dimensions, the SDK’s default base64 equal to floats', async (model, dimensions) => {
    const input = 'The quick brown fox jumps over the lazy dog.';
    const { data: response, response: raw } = await client.embeddings.create({ model, input }).withResponse();

    expect(response).toMatchObject({ object: 'list', model, usage: { prompt_tokens: 9, total_tokens: 9 } });
    expect(response.data).toHaveLength(1);
    const vector = response.data[0].embedding;
    expect(vector).toHaveLength(dimensions);
    expect(norm(vector)).toBeCloseTo(1, 5);
    expect(raw.headers.get('x-ratelimit-limit-requests')).toBe('100000');
    expect(raw.headers.get('x-ratelimit-remaining-tokens')).toMatch(/^\d+$/);
    expect(raw.headers.get('x-request-id')).toMatch(/^req_/);

    // The SDK asked for base64; the upstream was asked for it too, and the same vector comes back as floats.
    const [upstream] = await embeddingCalls();
    expect(upstream.body).toMatchObject({ model, input, encoding_format: 'base64' });
    const floats = await client.embeddings.create({ model, input, encoding_format: 'float' });
    expect(floats.data[0].embedding).toEqual(vector);
  });

  it('answers base64 on the wire as little-endian float32 when asked', async () => {
    const response = await post({ model: 'text-embedding-3-small', input: 'wire', encoding_format: 'base64' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { embedding: string }[] };
    expect(typeof body.data[0].embedding).toBe('string');
    const bytes = Buffer.from(body.data[0].embedding, 'base64');
    const decoded = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
    const floats = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'wire', encoding_format: 'float' });
    expect(decoded).toEqual(floats.data[0].embedding);
  });

  it('embeds an array of strings, one vector per input in order, the same text the same vector', async () => {
    const response = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['alpha', 'beta', 'alpha'] });
    expect(response.data.map((d) => d.index)).toEqual([0, 1, 2]);
    const [a, b, again] = response.data.map((d) => d.embedding);
    expect(again).toEqual(a);
    expect(b).not.toEqual(a);
    expect((await embeddingCalls())[0].body).toMatchObject({ input: ['alpha', 'beta', 'alpha'] });
  });

  it('passes token ids through to the OpenAI-compatible upstream, one array or several, counting them as usage', async () => {
    const several = await client.embeddings.create({
      model: 'text-embedding-3-large',
      input: [
        [791, 4062, 14198],
        [1212, 318],
      ],
    });
    expect(several.data).toHaveLength(2);
    expect(several.usage).toEqual({ prompt_tokens: 5, total_tokens: 5 });
    const one = await client.embeddings.create({ model: 'text-embedding-3-large', input: [791, 4062, 14198] });
    expect(one.data[0].embedding).toEqual(several.data[0].embedding);
    expect((await embeddingCalls()).map((r) => r.body.input)).toEqual([
      [
        [791, 4062, 14198],
        [1212, 318],
      ],
      [[791, 4062, 14198]],
    ]);
  });

  it('shortens v3 vectors with dimensions: unit length, the normalised prefix of the full vector', async () => {
    const input = 'shorten me';
    const full = (await client.embeddings.create({ model: 'text-embedding-3-large', input })).data[0].embedding;
    const short = (await client.embeddings.create({ model: 'text-embedding-3-large', input, dimensions: 256 })).data[0].embedding;
    expect(short).toHaveLength(256);
    expect(norm(short)).toBeCloseTo(1, 5);
    normalise(full.slice(0, 256)).forEach((x, i) => expect(short[i]).toBeCloseTo(x, 5));
    expect((await embeddingCalls())[1].body).toMatchObject({ dimensions: 256 });
  });
});

describe('a Gemini embedding model through the same endpoint', () => {
  it('gemini-embedding-001: embedContent for one text, 3072 unit-length dimensions, base64 and floats alike', async () => {
    const input = 'Embeddings through Gemini.';
    const response = await client.embeddings.create({ model: 'gemini-embedding-001', input });
    expect(response.model).toBe('gemini-embedding-001');
    expect(response.data[0].embedding).toHaveLength(3072);
    expect(norm(response.data[0].embedding)).toBeCloseTo(1, 5);
    expect(response.usage.prompt_tokens).toBeGreaterThan(0);
    const floats = await client.embeddings.create({ model: 'gemini-embedding-001', input, encoding_format: 'float' });
    // Gemini sends JSON numbers; the gateway wrote them as float32 for the SDK.
    expect(response.data[0].embedding).toEqual(floats.data[0].embedding.map(Math.fround));
    const [call] = await embeddingCalls();
    expect(call.path).toBe('/v1beta/models/gemini-embedding-001:embedContent');
    expect(call.body).toEqual({ model: 'models/gemini-embedding-001', content: { parts: [{ text: input }] } });
  });

  it('sends several texts as one batchEmbedContents, dimensions as outputDimensionality, vectors unit length', async () => {
    const response = await client.embeddings.create({ model: 'gemini-embedding-001', input: ['one', 'two', 'three'], dimensions: 768 });
    expect(response.data.map((d) => d.embedding.length)).toEqual([768, 768, 768]);
    for (const d of response.data) expect(norm(d.embedding)).toBeCloseTo(1, 5);
    const calls = await embeddingCalls();
    expect(calls.map((c) => c.path)).toEqual(['/v1beta/models/gemini-embedding-001:batchEmbedContents']);
    const requests = calls[0].body.requests as { content: { parts: { text: string }[] }; outputDimensionality: number }[];
    expect(requests.map((r) => [r.content.parts[0].text, r.outputDimensionality])).toEqual([
      ['one', 768],
      ['two', 768],
      ['three', 768],
    ]);
  });

  it('refuses token ids for a Gemini model with 400 naming input, before any upstream call', async () => {
    const error = await client.embeddings.create({ model: 'gemini-embedding-001', input: [[1, 2, 3]] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ type: 'invalid_request_error', param: 'input' });
    expect(await embeddingCalls()).toHaveLength(0);
  });
});

describe("errors in OpenAI's shape", () => {
  it.each([
    [{ model: 'text-embedding-9-huge', input: 'x' }, 404, { type: 'not_found_error', code: 'model_not_found', param: 'model' }],
    [{ model: 'gpt-4.1', input: 'x' }, 404, { type: 'not_found_error', code: 'model_not_found', param: 'model' }],
    [{ input: 'x' }, 400, { type: 'invalid_request_error', param: 'model' }],
    [{ model: 'text-embedding-3-small' }, 400, { type: 'invalid_request_error', param: 'input' }],
    [{ model: 'text-embedding-3-small', input: '' }, 400, { type: 'invalid_request_error', param: 'input' }],
    [{ model: 'text-embedding-3-small', input: ['ok', ''] }, 400, { type: 'invalid_request_error', param: 'input[1]' }],
    [{ model: 'text-embedding-3-small', input: 'x', encoding_format: 'int8' }, 400, { type: 'invalid_request_error', param: 'encoding_format' }],
    [{ model: 'text-embedding-ada-002', input: 'x', dimensions: 256 }, 400, { type: 'invalid_request_error', param: 'dimensions' }],
    [{ model: 'text-embedding-3-small', input: 'x', dimensions: 1537 }, 400, { type: 'invalid_request_error', param: 'dimensions' }],
  ])('%j → %i', async (body, status, error) => {
    const response = await post(body);
    expect(response.status).toBe(status);
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('100000');
    expect(((await response.json()) as { error: unknown }).error).toMatchObject({ message: expect.any(String), ...error });
    expect(await embeddingCalls()).toHaveLength(0);
  });

  it('400 naming input, before any upstream call, for floats too many to answer in one response; base64 fits', async () => {
    const input = Array.from({ length: 2048 }, (_, i) => `doc ${i}`);
    const refused = await post({ model: 'text-embedding-3-large', input, encoding_format: 'float' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { param: 'input', message: expect.stringMatching(/encoding_format "base64"/) } });
    expect(await embeddingCalls()).toHaveLength(0);
    const answered = await client.embeddings.create({ model: 'text-embedding-3-large', input });
    expect(answered.data).toHaveLength(2048);
    expect(answered.data[2047].embedding).toHaveLength(3072);
  });

  it('401 without a valid key, 403 for a model outside the key’s allow-list', async () => {
    expect((await post({ model: 'text-embedding-3-small', input: 'x' }, 'sk-atm-nope')).status).toBe(401);
    const limited = await createTestAccount(platform.prisma, { allowedModels: ['text-embedding-3-small'] });
    const refused = await post({ model: 'text-embedding-3-large', input: 'x' }, limited.apiKey);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { type: 'permission_error', code: 'permission_denied' } });
    expect((await post({ model: 'text-embedding-3-small', input: 'x' }, limited.apiKey)).status).toBe(200);
  });

  it('429 with the rate-limit headers once the key’s requests per minute are spent', async () => {
    const { apiKey: tight } = await createTestAccount(platform.prisma, { tier: 'ENTERPRISE', rpmLimit: 2, tpmLimit: 1_000_000 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post({ model: 'text-embedding-3-small', input: `n${i}` }, tight)).status);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await post({ model: 'text-embedding-3-small', input: 'again' }, tight);
    expect(limited.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await limited.json()).toMatchObject({ error: { type: 'rate_limit_error', code: 'rate_limit_exceeded' } });
  });

  it('402 before any upstream call when the balance cannot cover the input', async () => {
    const { apiKey: broke } = await createTestAccount(platform.prisma, { tier: 'ENTERPRISE', rpmLimit: 100, tpmLimit: 1_000_000, balanceMicros: 0n });
    const response = await post({ model: 'text-embedding-3-large', input: 'x'.repeat(4_000) }, broke);
    expect(response.status).toBe(402);
    expect(await response.json()).toMatchObject({ error: { type: 'insufficient_quota', code: 'insufficient_quota' } });
    expect(await embeddingCalls()).toHaveLength(0);
  });

  it('relays the upstream’s own 400 (an input over the model’s context), and retries its 503', async () => {
    const tooLong = await post({ model: 'text-embedding-3-small', input: 'word '.repeat(9_000) });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringMatching(/maximum context length/) } });

    await sandbox.clearRequests();
    await sandbox.faults([{ kind: 'status', status: 503, times: 1 }]);
    const retried = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'after a 503' });
    expect(retried.data).toHaveLength(1);
    expect((await embeddingCalls()).map((r) => r.status)).toEqual([503, 200]);
  });
});

describe('billing', () => {
  it('writes one ledger row per call: the input tokens at the model’s price, no output', async () => {
    const account = await createTestAccount(platform.prisma, { tier: 'ENTERPRISE', rpmLimit: 1_000, tpmLimit: 1_000_000 });
    const own = new OpenAI({ apiKey: account.apiKey, baseURL: `${platform.baseUrl}/v1`, maxRetries: 0 });
    const first = await own.embeddings.create({ model: 'text-embedding-3-large', input: ['The quick brown fox jumps over the lazy dog.', 'Twice.'] });
    const second = await own.embeddings.create({ model: 'gemini-embedding-001', input: 'Billed at Google’s rate.' });
    const failed = await own.embeddings.create({ model: 'text-embedding-3-small', input: 'word '.repeat(9_000) }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(OpenAI.BadRequestError);

    const rows = await waitFor(
      () => ledgerRows(platform.prisma, account.accountId),
      (found) => found.length >= 2,
      15_000,
    );
    expect(rows).toHaveLength(2);
    const expected = [
      ['text-embedding-3-large', 'openai', first.usage.prompt_tokens],
      ['gemini-embedding-001', 'google', second.usage.prompt_tokens],
    ] as const;
    expect(rows.map((r) => [r.model, r.provider, r.inputTokens])).toEqual(expected);
    for (const [i, [model, , tokens]] of expected.entries()) {
      const price = catalog.findOfKind(model, 'embedding')!.price;
      expect(rows[i]).toMatchObject({ outputTokens: 0, tokensEstimated: false, unit: 'token', priceVersion: PRICE_TABLE_VERSION });
      expect(rows[i].amountMicros).toBe(-tokenCostMicros(price, tokens, 0));
      expect(rows[i].inputPriceMicrosPerMTok).toBe(BigInt(price.inputMicrosPerMTok));
      expect(rows[i].requestId).toMatch(/^req_/);
    }
    const balance = await platform.prisma.account.findUniqueOrThrow({ where: { id: account.accountId } });
    expect(balance.balanceMicros).toBe(100_000_000n + rows[0].amountMicros + rows[1].amountMicros);
  });
});
