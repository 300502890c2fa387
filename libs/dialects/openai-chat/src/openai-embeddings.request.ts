import { z } from 'zod';
import type { CanonicalEmbeddingInput, CanonicalEmbeddingRequest, TokenEstimate } from '@apitopmix/contracts';
import { GatewayError } from '@apitopmix/platform/errors';
import { parseOpenAiBody } from './openai-request-validation';

/** OpenAI's limit on inputs per request (CreateEmbeddingRequest: `maxItems: 2048`). */
export const MAX_EMBEDDING_INPUTS = 2048;

const tokenId = z.number().int().min(0);

/**
 * OpenAI's CreateEmbeddingRequest, validated as its API does. `input` is a string, an array of strings, an array of
 * token ids, or an array of token-id arrays; unknown fields are kept (and ignored).
 */
export const openAiEmbeddingRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string()), z.array(tokenId), z.array(z.array(tokenId))]),
  encoding_format: z.enum(['float', 'base64']).nullish(),
  dimensions: z.number().int().min(1).nullish(),
  user: z.string().nullish(),
});

export type OpenAiEmbeddingRequest = z.infer<typeof openAiEmbeddingRequestSchema>;

const inputKinds = 'a string, an array of strings, an array of integers (token ids), or an array of arrays of integers';

/** Validates a parsed body; the error names the field at fault (`input`, `input[3]`, `dimensions`, …). */
export function parseOpenAiEmbeddingRequest(body: unknown): OpenAiEmbeddingRequest {
  const request = parseOpenAiBody(openAiEmbeddingRequestSchema, body, (issue) =>
    issue.path.length === 1 && issue.path[0] === 'input' && issue.code === 'invalid_union' ? `expected ${inputKinds}.` : describeDefault(issue),
  );
  checkInput(request.input);
  return request;
}

/** What the schema cannot say: no empty string or array anywhere, at most 2048 inputs. */
function checkInput(input: OpenAiEmbeddingRequest['input']): void {
  if (typeof input === 'string') {
    if (input === '') throw GatewayError.invalid("Invalid value for 'input': must not be an empty string.", 'input');
    return;
  }
  if (input.length === 0) throw GatewayError.invalid("Invalid value for 'input': must not be an empty array.", 'input');
  if (input.length > MAX_EMBEDDING_INPUTS) {
    throw GatewayError.invalid(`Invalid value for 'input': at most ${MAX_EMBEDDING_INPUTS} inputs per request, got ${input.length}.`, 'input');
  }
  input.forEach((item, i) => {
    if (item === '') throw GatewayError.invalid(`Invalid value for 'input[${i}]': must not be an empty string.`, `input[${i}]`);
    if (Array.isArray(item) && item.length === 0) throw GatewayError.invalid(`Invalid value for 'input[${i}]': must not be an empty array.`, `input[${i}]`);
  });
}

function describeDefault(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small':
      return `must be at least ${String(issue.minimum)}.`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => `'${String(v)}'`).join(', ')}.`;
    case 'invalid_type':
      return `expected ${issue.expected}.`;
    default:
      return `${issue.message}.`;
  }
}

/** What the request's model must allow: checked once the model is known. */
export interface EmbeddingModelLimits {
  id: string;
  /** Length of its vectors by default, the most `dimensions` may ask. */
  dimensions: number;
  /** Whether it can return shorter vectors (OpenAI's text-embedding-3 models; not ada-002). */
  shortenableDimensions: boolean;
}

/** 400 naming `dimensions` when the model cannot honour it. */
export function checkEmbeddingRequestForModel(request: OpenAiEmbeddingRequest, model: EmbeddingModelLimits): void {
  const dimensions = request.dimensions;
  if (dimensions === undefined || dimensions === null) return;
  if (!model.shortenableDimensions) {
    throw GatewayError.invalid(`The model '${model.id}' does not support specifying dimensions.`, 'dimensions');
  }
  if (dimensions > model.dimensions) {
    throw GatewayError.invalid(
      `Invalid value for 'dimensions': the model '${model.id}' returns at most ${model.dimensions} dimensions, got ${dimensions}.`,
      'dimensions',
    );
  }
}

/** The request in canonical form: one text or token array per vector wanted. */
export function toCanonicalEmbeddingRequest(request: OpenAiEmbeddingRequest): CanonicalEmbeddingRequest {
  return {
    input: canonicalInput(request.input),
    ...(request.dimensions ? { dimensions: request.dimensions } : {}),
    encodingFormat: request.encoding_format ?? 'float',
    ...(request.user ? { user: request.user } : {}),
  };
}

function canonicalInput(input: OpenAiEmbeddingRequest['input']): CanonicalEmbeddingInput {
  if (typeof input === 'string') return { type: 'text', texts: [input] };
  if (input.every((item) => typeof item === 'string')) return { type: 'text', texts: input as string[] };
  // One token array is one input; an array of them is several.
  if (input.every((item) => typeof item === 'number')) return { type: 'tokens', tokens: [input as number[]] };
  return { type: 'tokens', tokens: input as number[][] };
}

/**
 * Tokens the request uses, for rate-limit admission and the credit reservation: token ids are counted exactly,
 * text at about four characters per token (at least one per input), as the chat estimate does. Embeddings
 * generate nothing: no output tokens. The real usage corrects both when the response completes.
 */
export function estimateEmbeddingTokens(request: OpenAiEmbeddingRequest): TokenEstimate {
  const input = canonicalInput(request.input);
  const inputTokens =
    input.type === 'tokens'
      ? input.tokens.reduce((sum, ids) => sum + ids.length, 0)
      : input.texts.reduce((sum, text) => sum + Math.max(1, Math.ceil(text.length / 4)), 0);
  return { inputTokens, outputTokens: 0 };
}
