// POST /v1/embeddings: CreateEmbeddingRequest in, CreateEmbeddingResponse out, with OpenAI's checks and messages
// for what the sandbox can tell (empty inputs, too many, dimensions a model cannot honour, inputs over the model's
// context). Vectors are deterministic and unit-length (shared/embedding-vectors.ts).
import { z } from 'zod';
import { countTokens } from '../shared/deterministic-text';
import { defaultEmbeddingDimensions, embeddingVector, float32Base64 } from '../shared/embedding-vectors';
import { sendJson } from '../shared/http-io';
import type { SandboxContext } from '../shared/sandbox-router';
import { OpenAiError } from './openai-error';
import { parseOpenAiJsonBody } from './openai-validation';

const MAX_INPUTS = 2048;
const MAX_INPUT_TOKENS = 8192;

const tokenIds = z.array(z.number().int().min(0));

export const embeddingRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string()).max(MAX_INPUTS), tokenIds.max(MAX_INPUTS), z.array(tokenIds).max(MAX_INPUTS)]),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().min(1).optional(),
  user: z.string().optional(),
});

const invalidInput = () =>
  new OpenAiError(
    400,
    "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
    'invalid_request_error',
    null,
    null,
  );

export function handleEmbeddings(ctx: SandboxContext): void {
  const request = parseOpenAiJsonBody(embeddingRequestSchema, ctx.body);
  const inputs: (string | number[])[] =
    typeof request.input === 'string'
      ? [request.input]
      : request.input.every((item) => typeof item === 'number')
        ? [request.input as number[]]
        : (request.input as (string | number[])[]);
  // OpenAI answers empty inputs (a string, an array, a token array) with this one message.
  if (inputs.length === 0 || inputs.some((item) => item.length === 0)) throw invalidInput();

  const full = defaultEmbeddingDimensions(request.model);
  const dimensions = request.dimensions ?? full;
  if (request.dimensions !== undefined && !/text-embedding-3/.test(request.model)) {
    throw new OpenAiError(400, 'This model does not support specifying dimensions.', 'invalid_request_error', null, null);
  }
  if (dimensions > full) {
    throw new OpenAiError(
      400,
      `Invalid value for 'dimensions' = ${dimensions}. Must be less than or equal to ${full}.`,
      'invalid_request_error',
      'dimensions',
      'invalid_value',
    );
  }

  const tokens = inputs.map((item) => (typeof item === 'string' ? countTokens(item) : item.length));
  const longest = Math.max(...tokens);
  if (longest > MAX_INPUT_TOKENS) {
    throw new OpenAiError(
      400,
      `This model's maximum context length is ${MAX_INPUT_TOKENS} tokens, however you requested ${longest} tokens (${longest} in your prompt; 0 for the completion). Please reduce your prompt; or completion length.`,
    );
  }
  const promptTokens = tokens.reduce((sum, n) => sum + n, 0);
  const base64 = request.encoding_format === 'base64';
  sendJson(ctx.res, 200, {
    object: 'list',
    data: inputs.map((item, index) => {
      const vector = embeddingVector(item, dimensions);
      return { object: 'embedding', index, embedding: base64 ? float32Base64(vector) : vector };
    }),
    model: request.model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  });
}
