import { embeddingVector } from '../shared/embedding-vectors';
import { startSandbox, TEST_API_KEY, type SandboxHarness } from '../testing/sandbox-harness';

let harness: SandboxHarness;

beforeAll(async () => {
  harness = await startSandbox();
});
afterAll(() => harness.close());
beforeEach(() => harness.reset());

const post = (body: unknown, key = TEST_API_KEY) =>
  fetch(`${harness.origin}/v1/embeddings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const decode = (text: string) => Array.from(new Float32Array(new Uint8Array(Buffer.from(text, 'base64')).buffer));

describe('POST /v1/embeddings', () => {
  it("answers CreateEmbeddingResponse with the model's length, deterministic unit vectors and usage", async () => {
    const res = await post({ model: 'text-embedding-3-large', input: ['hello world', 'second'] });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sandbox-provider')).toBe('openai');
    const body = (await res.json()) as { object: string; data: { object: string; index: number; embedding: number[] }[]; model: string; usage: object };
    expect(body.object).toBe('list');
    expect(body.model).toBe('text-embedding-3-large');
    expect(body.data.map((d) => [d.object, d.index, d.embedding.length])).toEqual([
      ['embedding', 0, 3072],
      ['embedding', 1, 3072],
    ]);
    expect(body.data[0].embedding).toEqual(embeddingVector('hello world', 3072));
    expect(body.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
  });

  it('honours dimensions, token ids and base64', async () => {
    const res = await post({ model: 'text-embedding-3-small', input: [[1, 2, 3], [4]], dimensions: 64, encoding_format: 'base64' });
    const body = (await res.json()) as { data: { embedding: string }[]; usage: object };
    expect(decode(body.data[0].embedding)).toEqual(embeddingVector([1, 2, 3], 64));
    expect(decode(body.data[1].embedding)).toHaveLength(64);
    expect(body.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
    const single = (await (await post({ model: 'text-embedding-3-small', input: [5, 6] })).json()) as { data: { embedding: number[] }[] };
    expect(single.data).toHaveLength(1);
    expect(single.data[0].embedding).toEqual(embeddingVector([5, 6], 1536));
  });

  it.each([
    [{ model: 'text-embedding-3-small', input: '' }, null, /'\$\.input' is invalid/],
    [{ model: 'text-embedding-3-small', input: [] }, null, /'\$\.input' is invalid/],
    [{ model: 'text-embedding-3-small', input: [[1], []] }, null, /'\$\.input' is invalid/],
    [{ model: 'text-embedding-ada-002', input: 'x', dimensions: 256 }, null, /does not support specifying dimensions/],
    [{ model: 'text-embedding-3-small', input: 'x', dimensions: 2000 }, 'dimensions', /less than or equal to 1536/],
    [{ model: 'text-embedding-3-small', input: 'x', encoding_format: 'int8' }, 'encoding_format', /Supported values/],
    [{ model: 'text-embedding-3-small', input: 'word '.repeat(9000) }, null, /maximum context length is 8192 tokens/],
  ])('refuses %j with 400 (param %s)', async (body, param, message) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { message: string; param: string | null; type: string } };
    expect(error.type).toBe('invalid_request_error');
    expect(error.param).toBe(param);
    expect(error.message).toMatch(message);
  });

  it('refuses a wrong key with 401', async () => {
    expect((await post({ model: 'text-embedding-3-small', input: 'x' }, 'wrong')).status).toBe(401);
  });

  it('follows fault rules like the other generation endpoints', async () => {
    expect((await harness.putSettings({ faults: [{ kind: 'status', status: 503, times: 1 }] })).status).toBe(200);
    expect((await post({ model: 'text-embedding-3-small', input: 'x' })).status).toBe(503);
    expect((await post({ model: 'text-embedding-3-small', input: 'x' })).status).toBe(200);
  });
});
