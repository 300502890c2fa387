import type { Agent } from 'undici';
import { CanonicalEmbeddingRequest, float32ToBase64 } from '@apitopmix/contracts';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { createUpstreamAgent, UpstreamEndpoint } from '@apitopmix/providers/core';
import { FakeUpstream, rejection } from '@apitopmix/providers/testing';
import { OpenAiCompatibleEmbeddings, openAiCompatibleEmbeddingsFormat } from './openai-compatible.embeddings';

const texts = (...values: string[]): CanonicalEmbeddingRequest => ({ input: { type: 'text', texts: values }, encodingFormat: 'float' });

describe('openAiCompatibleEmbeddingsFormat.toUpstream', () => {
  it('sends one text as a string, several as an array, with the upstream model and the caller’s encoding', () => {
    expect(openAiCompatibleEmbeddingsFormat.toUpstream(texts('hello'), 'text-embedding-3-small')).toEqual({
      model: 'text-embedding-3-small',
      input: 'hello',
      encoding_format: 'float',
    });
    expect(openAiCompatibleEmbeddingsFormat.toUpstream({ ...texts('a', 'b'), encodingFormat: 'base64' }, 'm')).toEqual({
      model: 'm',
      input: ['a', 'b'],
      encoding_format: 'base64',
    });
  });

  it('passes token ids through as arrays, with dimensions and user', () => {
    const request: CanonicalEmbeddingRequest = {
      input: { type: 'tokens', tokens: [[1212, 318], [257]] },
      dimensions: 256,
      encodingFormat: 'float',
      user: 'u-1',
    };
    expect(openAiCompatibleEmbeddingsFormat.toUpstream(request, 'm')).toEqual({
      model: 'm',
      input: [[1212, 318], [257]],
      encoding_format: 'float',
      dimensions: 256,
      user: 'u-1',
    });
  });
});

describe('openAiCompatibleEmbeddingsFormat.fromUpstream', () => {
  const item = (index: number, embedding: unknown) => ({ object: 'embedding', index, embedding });

  it('reads floats and base64 vectors, puts them in index order, and keeps usage and model', () => {
    const bytes = new Float32Array([0.25, -0.5]);
    const json = {
      object: 'list',
      data: [item(1, float32ToBase64(bytes)), item(0, [0.1, 0.2])],
      model: 'text-embedding-3-small',
      usage: { prompt_tokens: 5, total_tokens: 5 },
    };
    const response = openAiCompatibleEmbeddingsFormat.fromUpstream(json, 2, 'openai');
    expect(response.vectors[0]).toEqual([0.1, 0.2]);
    expect(response.vectors[1]).toBeInstanceOf(Float32Array);
    expect(Array.from(response.vectors[1])).toEqual([0.25, -0.5]);
    expect(response.usage).toEqual({ inputTokens: 5 });
    expect(response.model).toBe('text-embedding-3-small');
  });

  it('leaves usage out when the upstream sent none', () => {
    expect(openAiCompatibleEmbeddingsFormat.fromUpstream({ data: [item(0, [1])] }, 1, 'p').usage).toBeUndefined();
    expect(openAiCompatibleEmbeddingsFormat.fromUpstream({ data: [item(0, [1])], usage: null }, 1, 'p').usage).toBeUndefined();
  });

  it.each([
    ['no data', {}],
    ['too few vectors', { data: [item(0, [1])] }],
    ['an index twice', { data: [item(0, [1]), item(0, [2])] }],
    ['an index out of range', { data: [item(0, [1]), item(5, [2])] }],
    ['a vector of strings', { data: [item(0, [1]), item(1, ['x'])] }],
    ['base64 of no whole float', { data: [item(0, [1]), item(1, Buffer.from([1, 2, 3]).toString('base64'))] }],
  ])('refuses %s as UpstreamUnavailable', (_case, json) => {
    let error: unknown;
    try {
      openAiCompatibleEmbeddingsFormat.fromUpstream(json, 2, 'nvidia-nim');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe(ErrorCode.UpstreamUnavailable);
    expect((error as GatewayError).message).toMatch(/^The upstream provider \(nvidia-nim\) sent an unreadable response/);
  });
});

describe('OpenAiCompatibleEmbeddings', () => {
  let upstream: FakeUpstream;
  let agent: Agent;
  let endpoint: UpstreamEndpoint;
  let embeddings: OpenAiCompatibleEmbeddings;

  beforeEach(async () => {
    upstream = new FakeUpstream();
    endpoint = { provider: 'openai', baseUrl: `${await upstream.start()}/v1/`, apiKey: 'sk-upstream-secret' };
    agent = createUpstreamAgent();
    embeddings = new OpenAiCompatibleEmbeddings(agent, { firstByteMs: 5_000, idleMs: 5_000 });
  });

  afterEach(async () => {
    await agent.destroy();
    await upstream.stop();
  });

  it('posts to <base>/embeddings with the bearer key and reads the answer', async () => {
    upstream.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          object: 'list',
          data: [{ object: 'embedding', index: 0, embedding: [0.6, 0.8] }],
          model: 'm',
          usage: { prompt_tokens: 2, total_tokens: 2 },
        }),
      );
    };
    const response = await embeddings.embed(endpoint, 'text-embedding-3-small', texts('hi'));
    expect(response).toEqual({ vectors: [[0.6, 0.8]], usage: { inputTokens: 2 }, model: 'm' });
    expect(upstream.requests[0]).toMatchObject({ method: 'POST', url: '/v1/embeddings' });
    expect(upstream.requests[0].headers.authorization).toBe('Bearer sk-upstream-secret');
    expect(JSON.parse(upstream.requests[0].body)).toEqual({ model: 'text-embedding-3-small', input: 'hi', encoding_format: 'float' });
  });

  it('turns a 400 into UpstreamRejected with the upstream’s message and param, and a 429 into UpstreamUnavailable with Retry-After', async () => {
    upstream.handler = (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { message: "This model's maximum context length is 8192 tokens.", type: 'invalid_request_error', param: 'input', code: null },
        }),
      );
    };
    const rejected = (await rejection(embeddings.embed(endpoint, 'm', texts('long')))) as GatewayError;
    expect([rejected.code, rejected.status, rejected.param]).toEqual([ErrorCode.UpstreamRejected, 400, 'input']);
    expect(rejected.message).toMatch(/maximum context length/);

    upstream.handler = (_req, res) => {
      res.writeHead(429, { 'retry-after': '2' });
      res.end('{}');
    };
    const throttled = (await rejection(embeddings.embed(endpoint, 'm', texts('x')))) as GatewayError;
    expect([throttled.code, throttled.retryAfterSeconds]).toEqual([ErrorCode.UpstreamUnavailable, 2]);
  });

  it('refuses a body that is not JSON', async () => {
    upstream.handler = (_req, res) => res.end('<html>502</html>');
    const error = (await rejection(embeddings.embed(endpoint, 'm', texts('x')))) as GatewayError;
    expect(error.code).toBe(ErrorCode.UpstreamUnavailable);
  });
});
