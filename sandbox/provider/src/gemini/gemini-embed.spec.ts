import { embeddingVector } from '../shared/embedding-vectors';
import { startSandbox, TEST_API_KEY, type SandboxHarness } from '../testing/sandbox-harness';

let harness: SandboxHarness;

beforeAll(async () => {
  harness = await startSandbox();
});
afterAll(() => harness.close());
beforeEach(() => harness.reset());

const post = (method: string, body: unknown, model = 'gemini-embedding-001') =>
  fetch(`${harness.origin}/v1beta/models/${model}:${method}`, {
    method: 'POST',
    headers: { 'x-goog-api-key': TEST_API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const request = (text: string, extra: object = {}) => ({ model: 'models/gemini-embedding-001', content: { parts: [{ text }] }, ...extra });

describe('Gemini embedContent and batchEmbedContents', () => {
  it('embedContent answers one deterministic unit vector of the model’s length, with usage', async () => {
    const res = await post('embedContent', { content: { parts: [{ text: 'hello world' }] } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sandbox-provider')).toBe('gemini');
    const body = (await res.json()) as { embedding: { values: number[] }; usageMetadata: { promptTokenCount: number } };
    expect(body.embedding.values).toEqual(embeddingVector('hello world', 3072));
    expect(body.usageMetadata.promptTokenCount).toBe(2);
  });

  it('gives the same vector as the OpenAI format for the same text, and honours output_dimensionality in either spelling', async () => {
    const res = await post('embedContent', { content: { parts: [{ text: 'same text' }] }, output_dimensionality: 768 });
    const body = (await res.json()) as { embedding: { values: number[] } };
    expect(body.embedding.values).toEqual(embeddingVector('same text', 768));
  });

  it('batchEmbedContents answers one vector per request, in order', async () => {
    const res = await post('batchEmbedContents', { requests: [request('a'), request('b', { outputDimensionality: 8 })] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { embeddings: { values: number[] }[]; usageMetadata: { promptTokenCount: number } };
    expect(body.embeddings.map((e) => e.values)).toEqual([embeddingVector('a', 3072), embeddingVector('b', 8)]);
    expect(body.usageMetadata.promptTokenCount).toBe(2);
  });

  it.each([
    ['batchEmbedContents', { requests: Array.from({ length: 101 }, () => request('x')) }, /at most 100 requests/],
    ['batchEmbedContents', { requests: [{ ...request('x'), model: 'models/other' }] }, /must be the batch's model/],
    ['embedContent', { content: { parts: [{ inlineData: { mimeType: 'image/png', data: '' } }] } }, /only text parts/],
    ['embedContent', { content: { parts: [{ text: 'x' }] }, outputDimensionality: 4000 }, /less than or equal to 3072/],
    ['embedContent', { content: { parts: [{ text: 'x' }] }, input: 'x' }, /Unknown name "input"/],
  ])('%s refuses %j with 400 INVALID_ARGUMENT', async (method, body, message) => {
    const res = await post(method, body);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { status: string; message: string } };
    expect(error.status).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(message);
  });
});
