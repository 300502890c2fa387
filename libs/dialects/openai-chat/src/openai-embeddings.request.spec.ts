import { GatewayError } from '@apitopmix/platform/errors';
import {
  checkEmbeddingRequestForModel,
  estimateEmbeddingTokens,
  MAX_EMBEDDING_INPUTS,
  parseOpenAiEmbeddingRequest,
  toCanonicalEmbeddingRequest,
} from './openai-embeddings.request';
import { toOpenAiError } from './openai-errors';

const valid = { model: 'text-embedding-3-small', input: 'The quick brown fox jumps over the lazy dog.' };

function errorOf(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected a validation error');
}

describe('parseOpenAiEmbeddingRequest', () => {
  it.each([
    ['a string', 'hello'],
    ['an array of strings', ['a', 'b']],
    ['an array of token ids', [1212, 318, 257]],
    ['an array of token-id arrays', [[1212, 318], [257]]],
  ])('accepts input as %s, and keeps unknown fields', (_kind, input) => {
    expect(parseOpenAiEmbeddingRequest({ ...valid, input, future_field: 1 })).toMatchObject({ input, future_field: 1 });
  });

  it('accepts the optional fields OpenAI documents', () => {
    const body = { ...valid, encoding_format: 'base64', dimensions: 256, user: 'user-1234' };
    expect(parseOpenAiEmbeddingRequest(body)).toMatchObject(body);
  });

  it.each([
    [{ input: 'x' }, 'model', /Missing required parameter: 'model'/],
    [{ model: 'text-embedding-3-small' }, 'input', /Missing required parameter: 'input'/],
    [{ ...valid, input: '' }, 'input', /must not be an empty string/],
    [{ ...valid, input: [] }, 'input', /must not be an empty array/],
    [{ ...valid, input: ['a', ''] }, 'input[1]', /'input\[1\]': must not be an empty string/],
    [{ ...valid, input: [[1], []] }, 'input[1]', /must not be an empty array/],
    [{ ...valid, input: 42 }, 'input', /expected a string, an array of strings, an array of integers \(token ids\), or an array of arrays/],
    [{ ...valid, input: ['a', 1] }, 'input', /expected a string, an array of strings/],
    [{ ...valid, input: [1.5] }, 'input', /expected a string/],
    [{ ...valid, input: [-1] }, 'input[0]', /'input\[0\]': must be at least 0/],
    [{ ...valid, input: Array.from({ length: MAX_EMBEDDING_INPUTS + 1 }, () => 'x') }, 'input', /at most 2048 inputs per request, got 2049/],
    [{ ...valid, encoding_format: 'binary' }, 'encoding_format', /must be one of 'float', 'base64'/],
    [{ ...valid, dimensions: 0 }, 'dimensions', /at least 1/],
    [{ ...valid, dimensions: 1.5 }, 'dimensions', /expected int/],
    [{ ...valid, dimensions: '256' }, 'dimensions', /expected number/],
  ])('rejects %j naming %s', (body, param, message) => {
    const error = errorOf(() => parseOpenAiEmbeddingRequest(body));
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message).toMatch(message);
    expect(toOpenAiError(error)).toEqual({ error: { message: error.message, type: 'invalid_request_error', param, code: 'invalid_request' } });
  });

  it('rejects a body that is not an object', () => {
    expect(errorOf(() => parseOpenAiEmbeddingRequest(['x'])).message).toMatch(/JSON object/);
  });
});

describe('checkEmbeddingRequestForModel', () => {
  const v3 = { id: 'text-embedding-3-large', dimensions: 3072, shortenableDimensions: true };
  const ada = { id: 'text-embedding-ada-002', dimensions: 1536, shortenableDimensions: false };
  const parse = (extra: object) => parseOpenAiEmbeddingRequest({ ...valid, ...extra });

  it('lets a v3 model shorten its vectors, up to its own length', () => {
    expect(() => checkEmbeddingRequestForModel(parse({ dimensions: 256 }), v3)).not.toThrow();
    expect(() => checkEmbeddingRequestForModel(parse({ dimensions: 3072 }), v3)).not.toThrow();
    const error = errorOf(() => checkEmbeddingRequestForModel(parse({ dimensions: 3073 }), v3));
    expect([error.status, error.param, error.message]).toEqual([400, 'dimensions', expect.stringMatching(/at most 3072 dimensions, got 3073/)]);
  });

  it('refuses dimensions for a model that cannot shorten, and nothing else', () => {
    expect(() => checkEmbeddingRequestForModel(parse({}), ada)).not.toThrow();
    expect(() => checkEmbeddingRequestForModel(parse({ dimensions: null }), ada)).not.toThrow();
    const error = errorOf(() => checkEmbeddingRequestForModel(parse({ dimensions: 1536 }), ada));
    expect([error.status, error.param, error.message]).toEqual([
      400,
      'dimensions',
      "The model 'text-embedding-ada-002' does not support specifying dimensions.",
    ]);
  });
});

describe('toCanonicalEmbeddingRequest', () => {
  it('makes one input per vector, texts or token ids', () => {
    expect(toCanonicalEmbeddingRequest(parseOpenAiEmbeddingRequest(valid))).toEqual({ input: { type: 'text', texts: [valid.input] }, encodingFormat: 'float' });
    expect(toCanonicalEmbeddingRequest(parseOpenAiEmbeddingRequest({ ...valid, input: ['a', 'b'] })).input).toEqual({ type: 'text', texts: ['a', 'b'] });
    expect(toCanonicalEmbeddingRequest(parseOpenAiEmbeddingRequest({ ...valid, input: [1, 2, 3] })).input).toEqual({ type: 'tokens', tokens: [[1, 2, 3]] });
    expect(toCanonicalEmbeddingRequest(parseOpenAiEmbeddingRequest({ ...valid, input: [[1, 2], [3]] })).input).toEqual({
      type: 'tokens',
      tokens: [[1, 2], [3]],
    });
  });

  it('carries dimensions, the encoding and the user; null is absent', () => {
    const body = { ...valid, encoding_format: 'base64', dimensions: 512, user: 'u-1' };
    expect(toCanonicalEmbeddingRequest(parseOpenAiEmbeddingRequest(body))).toMatchObject({ dimensions: 512, encodingFormat: 'base64', user: 'u-1' });
    const nulls = toCanonicalEmbeddingRequest(parseOpenAiEmbeddingRequest({ ...valid, encoding_format: null, dimensions: null, user: null }));
    expect(nulls).toEqual({ input: { type: 'text', texts: [valid.input] }, encodingFormat: 'float' });
  });
});

describe('estimateEmbeddingTokens', () => {
  it('counts token ids exactly and text at four characters a token, at least one per input, with no output', () => {
    expect(estimateEmbeddingTokens(parseOpenAiEmbeddingRequest({ ...valid, input: 'x'.repeat(400) }))).toEqual({ inputTokens: 100, outputTokens: 0 });
    expect(estimateEmbeddingTokens(parseOpenAiEmbeddingRequest({ ...valid, input: ['a', 'bcdef'] }))).toEqual({ inputTokens: 3, outputTokens: 0 });
    expect(estimateEmbeddingTokens(parseOpenAiEmbeddingRequest({ ...valid, input: [1, 2, 3] }))).toEqual({ inputTokens: 3, outputTokens: 0 });
    expect(
      estimateEmbeddingTokens(
        parseOpenAiEmbeddingRequest({
          ...valid,
          input: [
            [1, 2],
            [3, 4, 5],
          ],
        }),
      ),
    ).toEqual({ inputTokens: 5, outputTokens: 0 });
  });
});
