import { EventEmitter } from 'node:events';
import { Registry } from 'prom-client';
import { ModelCatalog, WireFormatId } from '@apitopmix/catalog';
import { CanonicalEmbeddingRequest, CanonicalEmbeddingResponse, embeddings } from '@apitopmix/contracts';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { UsageFacts, UsagePublisher } from '@apitopmix/platform/usage';
import { UpstreamEndpoint } from '@apitopmix/providers/core';
import { DeploymentRouter, routingConfigSchema } from '@apitopmix/providers/routing';
import { EmbeddingUpstream } from '../upstreams/embedding-upstreams';
import { EmbeddingsMetrics } from './embeddings-metrics';
import { assertAnswerFits, EmbeddingsService, estimateInput } from './embeddings.service';

const caller = { requestId: 'req_1', accountId: '5b0c6d5e-0d6a-4a8e-9d0e-3f1c2a7b9e41', apiKeyId: '0f0c6d5e-0d6a-4a8e-9d0e-3f1c2a7b9e42', tier: 3 };

interface Seen {
  endpoint: UpstreamEndpoint;
  upstreamModel: string;
  request: CanonicalEmbeddingRequest;
}

function setup(answer: (request: CanonicalEmbeddingRequest) => Promise<CanonicalEmbeddingResponse>) {
  const seen: Seen[] = [];
  const upstream = (): EmbeddingUpstream => ({
    embed: async (endpoint, upstreamModel, request) => {
      seen.push({ endpoint, upstreamModel, request });
      return answer(request);
    },
  });
  const upstreams: Partial<Record<WireFormatId, EmbeddingUpstream>> = { 'openai-embeddings': upstream(), 'gemini-embeddings': upstream() };
  const config = routingConfigSchema.parse({
    deployments: [
      { name: 'openai', provider: 'openai', baseUrl: 'http://openai.test/v1', apiKeyEnv: 'OPENAI_KEY' },
      { name: 'google', provider: 'google', baseUrl: 'http://google.test', apiKeyEnv: 'GEMINI_KEY' },
    ],
  });
  const router = new DeploymentRouter(config, { OPENAI_KEY: 'sk-o', GEMINI_KEY: 'AIza' });
  const events: UsageFacts[] = [];
  const usage = { publish: (facts: UsageFacts) => (events.push(facts), facts) } as unknown as UsagePublisher;
  const service = new EmbeddingsService(new ModelCatalog(), router, upstreams, usage, new EmbeddingsMetrics(new Registry()));
  return { service, seen, events };
}

const unitVectors = async (request: CanonicalEmbeddingRequest): Promise<CanonicalEmbeddingResponse> => ({
  vectors: (request.input.type === 'text' ? request.input.texts : request.input.tokens).map(() => [0.6, 0.8]),
  usage: { inputTokens: 11 },
  model: 'text-embedding-3-small',
});

const embed = (service: EmbeddingsService, model: string, body: object, call = new EventEmitter()) =>
  service.embed({ caller, model, body: Buffer.from(JSON.stringify({ model, ...body })) } as embeddings.EmbedRequest, call);

const bodyOf = (response: embeddings.EmbedResponse) => JSON.parse(response.body.toString('utf8'));

async function errorOf(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected an error');
}

describe('EmbeddingsService', () => {
  it("routes an OpenAI model to its deployment and answers in OpenAI's shape with the upstream's usage, publishing one event", async () => {
    const { service, seen, events } = setup(unitVectors);
    const response = await embed(service, 'text-embedding-3-small', { input: ['a', 'b'], encoding_format: 'float', dimensions: 2 });

    expect(seen).toHaveLength(1);
    expect(seen[0].endpoint).toEqual({ provider: 'openai', baseUrl: 'http://openai.test/v1', apiKey: 'sk-o' });
    expect(seen[0].request).toEqual({ input: { type: 'text', texts: ['a', 'b'] }, dimensions: 2, encodingFormat: 'float' });
    expect(bodyOf(response)).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [0.6, 0.8] },
        { object: 'embedding', index: 1, embedding: [0.6, 0.8] },
      ],
      model: 'text-embedding-3-small',
      usage: { prompt_tokens: 11, total_tokens: 11 },
    });
    expect(response.usage).toEqual({ inputTokens: 11, outputTokens: 0, estimated: false });
    expect(events).toEqual([
      {
        caller,
        model: 'text-embedding-3-small',
        provider: 'openai',
        upstreamModel: 'text-embedding-3-small',
        inputTokens: 11,
        outputTokens: 0,
        tokensEstimated: false,
        outcome: 'completed',
        streamed: false,
        unit: 'token',
      },
    ]);
  });

  it('encodes float vectors as base64 when the caller asked for it', async () => {
    const { service } = setup(unitVectors);
    const response = await embed(service, 'text-embedding-3-large', { input: 'a', encoding_format: 'base64' });
    const encoded = bodyOf(response).data[0].embedding as string;
    expect(Array.from(new Float32Array(new Uint8Array(Buffer.from(encoded, 'base64')).buffer))).toEqual([Math.fround(0.6), Math.fround(0.8)]);
  });

  it("routes a Gemini model to Google's deployment", async () => {
    const { service, seen, events } = setup(unitVectors);
    await embed(service, 'gemini-embedding-001', { input: 'a' });
    expect(seen[0]).toMatchObject({ endpoint: { provider: 'google' }, upstreamModel: 'gemini-embedding-001' });
    expect(events[0]).toMatchObject({ model: 'gemini-embedding-001', provider: 'google' });
  });

  it('estimates the usage, and says so, when the upstream reports none', async () => {
    const { service, events } = setup(async (request) => ({
      vectors: (request.input.type === 'text' ? request.input.texts : request.input.tokens).map(() => [1]),
    }));
    const text = await embed(service, 'text-embedding-3-small', { input: ['Hello, world!', 'Hello, world!'] });
    expect(text.usage).toEqual({ inputTokens: 8, outputTokens: 0, estimated: true });
    expect(bodyOf(text).usage).toEqual({ prompt_tokens: 8, total_tokens: 8 });
    const tokens = await embed(service, 'text-embedding-3-small', { input: [[1, 2, 3], [4]] });
    expect(tokens.usage).toEqual({ inputTokens: 4, outputTokens: 0, estimated: true });
    expect(events.map((e) => [e.inputTokens, e.tokensEstimated])).toEqual([
      [8, true],
      [4, true],
    ]);
  });

  it('refuses unknown and non-embedding models, invalid bodies and unsupported dimensions before any upstream', async () => {
    const { service, seen, events } = setup(unitVectors);
    expect(await errorOf(embed(service, 'no-such-model', { input: 'a' }))).toMatchObject({ code: ErrorCode.ModelNotFound, param: 'model' });
    expect(await errorOf(embed(service, 'gpt-4.1', { input: 'a' }))).toMatchObject({ code: ErrorCode.ModelNotFound });
    expect(await errorOf(embed(service, 'text-embedding-3-small', { input: '' }))).toMatchObject({ code: ErrorCode.InvalidRequest, param: 'input' });
    expect(await errorOf(embed(service, 'text-embedding-ada-002', { input: 'a', dimensions: 256 }))).toMatchObject({ status: 400, param: 'dimensions' });
    expect(await errorOf(service.embed({ caller: undefined, model: 'text-embedding-3-small', body: Buffer.from('{}') }, new EventEmitter()))).toMatchObject({
      code: ErrorCode.InvalidRequest,
    });
    expect(seen).toHaveLength(0);
    expect(events).toHaveLength(0);
  });

  it('publishes nothing when the upstream refused the request', async () => {
    const { service, events } = setup(async () => {
      throw new GatewayError(ErrorCode.UpstreamRejected, 'too long', { status: 400 });
    });
    expect(await errorOf(embed(service, 'text-embedding-3-small', { input: 'a' }))).toMatchObject({ code: ErrorCode.UpstreamRejected });
    expect(events).toHaveLength(0);
  });

  it('bills the estimated input of a call cancelled after it reached an upstream', async () => {
    const call = new EventEmitter();
    const { service, events } = setup(
      () =>
        new Promise((_resolve, reject) => {
          setImmediate(() => call.emit('cancelled'));
          setTimeout(() => reject(new GatewayError(ErrorCode.UpstreamUnavailable, 'aborted')), 20);
        }),
    );
    await errorOf(embed(service, 'text-embedding-3-small', { input: 'Hello, world!' }, call));
    expect(events).toMatchObject([{ outcome: 'cancelled', inputTokens: 4, tokensEstimated: true }]);
  });
});

describe('estimateInput', () => {
  it('counts token ids as sent and text with o200k_base', () => {
    expect(estimateInput({ type: 'tokens', tokens: [[1, 2], [3]] })).toBe(3);
    expect(estimateInput({ type: 'text', texts: ['Hello, world!', ''] })).toBe(4);
  });
});

describe('assertAnswerFits', () => {
  const large = new ModelCatalog().findOfKind('text-embedding-3-large', 'embedding')!;
  const many = (n: number, encodingFormat: 'float' | 'base64', dimensions?: number): CanonicalEmbeddingRequest => ({
    input: { type: 'text', texts: Array.from({ length: n }, () => 'x') },
    encodingFormat,
    ...(dimensions ? { dimensions } : {}),
  });

  it('lets every base64 request through, and floats up to what one gRPC message holds', () => {
    expect(() => assertAnswerFits(many(2048, 'base64'), large)).not.toThrow();
    expect(() => assertAnswerFits(many(800, 'float'), large)).not.toThrow();
    expect(() => assertAnswerFits(many(2048, 'float', 256), large)).not.toThrow();
  });

  it('refuses, naming input, floats that could not cross to the edge', () => {
    let error: unknown;
    try {
      assertAnswerFits(many(2048, 'float'), large);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ status: 400, param: 'input', message: expect.stringMatching(/at most \d+ per request\. Ask for encoding_format "base64"/) });
  });

  it('keeps its bound above what the longest float JSON really takes', () => {
    const longest = JSON.stringify(Array.from({ length: 1000 }, (_, i) => -Math.fround(1e-3 / (i + 3))));
    expect(longest.length / 1000).toBeLessThan(26);
  });
});
