import type { Agent } from 'undici';
import { CanonicalEmbeddingRequest } from '@apitopmix/contracts';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { createUpstreamAgent, UpstreamEndpoint } from '@apitopmix/providers/core';
import { FakeUpstream, rejection } from '@apitopmix/providers/testing';
import { GEMINI_EMBED_BATCH_SIZE, GeminiEmbeddings, geminiEmbeddingsFormat, unitLength } from './gemini.embeddings';

const texts = (values: string[], extra: Partial<CanonicalEmbeddingRequest> = {}): CanonicalEmbeddingRequest => ({
  input: { type: 'text', texts: values },
  encodingFormat: 'float',
  ...extra,
});

describe('geminiEmbeddingsFormat.toUpstream', () => {
  it('sends one text to embedContent, with outputDimensionality for dimensions', () => {
    expect(geminiEmbeddingsFormat.toUpstream(texts(['hello'], { dimensions: 768, user: 'u-1' }), 'gemini-embedding-001')).toEqual([
      {
        method: 'embedContent',
        body: { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'hello' }] }, outputDimensionality: 768 },
      },
    ]);
  });

  it('sends several texts to batchEmbedContents, 100 requests a batch, in order', () => {
    const many = Array.from({ length: 2 * GEMINI_EMBED_BATCH_SIZE + 5 }, (_, i) => `text ${i}`);
    const calls = geminiEmbeddingsFormat.toUpstream(texts(many), 'gemini-embedding-001');
    expect(calls.map((c) => c.method)).toEqual(['batchEmbedContents', 'batchEmbedContents', 'batchEmbedContents']);
    const requests = calls.flatMap((c) => (c.method === 'batchEmbedContents' ? c.body.requests : []));
    expect(requests.map((r) => r.content.parts[0].text)).toEqual(many);
    expect(requests[0]).toEqual({ model: 'models/gemini-embedding-001', content: { parts: [{ text: 'text 0' }] } });
    expect(calls[2].method === 'batchEmbedContents' && calls[2].body.requests).toHaveLength(5);
  });

  it('refuses token ids: 400 naming input', () => {
    let error: unknown;
    try {
      geminiEmbeddingsFormat.toUpstream({ input: { type: 'tokens', tokens: [[1, 2]] }, encodingFormat: 'float' }, 'gemini-embedding-001');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: ErrorCode.InvalidRequest, status: 400, param: 'input', message: expect.stringMatching(/text only/) });
  });
});

describe('geminiEmbeddingsFormat.fromUpstream', () => {
  const one = geminiEmbeddingsFormat.toUpstream(texts(['a']), 'm');
  const two = geminiEmbeddingsFormat.toUpstream(texts(['a', 'b']), 'm');

  it('reads embedContent and batchEmbedContents answers, with usage when reported', () => {
    expect(geminiEmbeddingsFormat.fromUpstream([{ embedding: { values: [0.6, 0.8] }, usageMetadata: { promptTokenCount: 3 } }], one, false, 'google')).toEqual({
      vectors: [[0.6, 0.8]],
      usage: { inputTokens: 3 },
    });
    expect(geminiEmbeddingsFormat.fromUpstream([{ embeddings: [{ values: [1, 0] }, { values: [0, 1] }] }], two, false, 'google')).toEqual({
      vectors: [
        [1, 0],
        [0, 1],
      ],
    });
  });

  it('sums usage over batches, and leaves it out when any batch has none', () => {
    const many = geminiEmbeddingsFormat.toUpstream(texts(Array.from({ length: 101 }, () => 'x')), 'm');
    const answer = (n: number, tokens?: number) => ({
      embeddings: Array.from({ length: n }, () => ({ values: [1] })),
      ...(tokens ? { usageMetadata: { promptTokenCount: tokens } } : {}),
    });
    expect(geminiEmbeddingsFormat.fromUpstream([answer(100, 100), answer(1, 1)], many, false, 'google').usage).toEqual({ inputTokens: 101 });
    expect(geminiEmbeddingsFormat.fromUpstream([answer(100, 100), answer(1)], many, false, 'google').usage).toBeUndefined();
  });

  it('scales shortened vectors to unit length', () => {
    const [vector] = geminiEmbeddingsFormat.fromUpstream([{ embedding: { values: [3, 4] } }], one, true, 'google').vectors as number[][];
    expect(vector).toEqual([0.6, 0.8]);
    expect(unitLength([0, 0])).toEqual([0, 0]);
  });

  it.each([
    ['no embedding', [{}], one],
    ['too few embeddings', [{ embeddings: [{ values: [1] }] }], two],
    ['an embedding without values', [{ embeddings: [{ values: [1] }, {}] }], two],
    ['values that are not numbers', [{ embedding: { values: ['x'] } }], one],
  ])('refuses %s as UpstreamUnavailable', (_case, answers, calls) => {
    let error: unknown;
    try {
      geminiEmbeddingsFormat.fromUpstream(answers, calls, false, 'google');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe(ErrorCode.UpstreamUnavailable);
  });
});

describe('GeminiEmbeddings', () => {
  let google: FakeUpstream;
  let agent: Agent;
  let endpoint: UpstreamEndpoint;
  let embeddings: GeminiEmbeddings;

  beforeEach(async () => {
    google = new FakeUpstream();
    endpoint = { provider: 'google', baseUrl: await google.start(), apiKey: 'AIza-upstream-secret' };
    agent = createUpstreamAgent();
    embeddings = new GeminiEmbeddings(agent, { firstByteMs: 5_000, idleMs: 5_000 });
  });

  afterEach(async () => {
    await agent.destroy();
    await google.stop();
  });

  /** Answers each batch with one vector per request, [index within the whole input, 0]. */
  function answerBatches(): void {
    google.handler = (req, res, seen) => {
      const body = JSON.parse(seen.body) as { requests?: { content: { parts: { text: string }[] } }[]; content?: { parts: { text: string }[] } };
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      const value = (text: string) => ({ values: [Number(text), 0] });
      if (req.url?.endsWith(':embedContent')) res.end(JSON.stringify({ embedding: value(body.content!.parts[0].text) }));
      else
        res.end(
          JSON.stringify({ embeddings: body.requests!.map((r) => value(r.content.parts[0].text)), usageMetadata: { promptTokenCount: body.requests!.length } }),
        );
    };
  }

  it('posts embedContent with x-goog-api-key for one text', async () => {
    answerBatches();
    const response = await embeddings.embed(endpoint, 'gemini-embedding-001', texts(['7']));
    expect(response.vectors).toEqual([[7, 0]]);
    expect(response.usage).toBeUndefined();
    expect(google.requests[0]).toMatchObject({ method: 'POST', url: '/v1beta/models/gemini-embedding-001:embedContent' });
    expect(google.requests[0].headers['x-goog-api-key']).toBe('AIza-upstream-secret');
    expect(google.requests[0].headers.authorization).toBeUndefined();
  });

  it('sends 250 texts as three batches and puts the vectors back in input order', async () => {
    answerBatches();
    const input = Array.from({ length: 250 }, (_, i) => String(i));
    const response = await embeddings.embed(endpoint, 'gemini-embedding-001', texts(input));
    expect(google.requests.map((r) => r.url)).toEqual(Array.from({ length: 3 }, () => '/v1beta/models/gemini-embedding-001:batchEmbedContents'));
    expect((response.vectors as number[][]).map((v) => v[0])).toEqual(input.map(Number));
    expect(response.usage).toEqual({ inputTokens: 250 });
  });

  it("turns Google's errors into the gateway's: the caller's 400 with Google's message, our key's problem as 503", async () => {
    google.handler = (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 400, message: 'Request payload size exceeds the limit.', status: 'INVALID_ARGUMENT' } }));
    };
    const rejected = (await rejection(embeddings.embed(endpoint, 'gemini-embedding-001', texts(['x'])))) as GatewayError;
    expect([rejected.code, rejected.status, rejected.message]).toEqual([ErrorCode.UpstreamRejected, 400, 'Request payload size exceeds the limit.']);

    google.handler = (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 400, message: 'API key not valid.', status: 'INVALID_ARGUMENT', details: [{ reason: 'API_KEY_INVALID' }] } }));
    };
    const ours = (await rejection(embeddings.embed(endpoint, 'gemini-embedding-001', texts(['x'])))) as GatewayError;
    expect(ours.code).toBe(ErrorCode.UpstreamUnavailable);
    expect(ours.message).not.toMatch(/API key/);
  });
});
