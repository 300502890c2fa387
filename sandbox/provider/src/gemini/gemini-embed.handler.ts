// POST /v1beta/models/{model}:embedContent and :batchEmbedContents. Text parts only (what gemini-embedding-001
// takes), at most 100 requests a batch, each naming the path's model, outputDimensionality up to the model's length.
// Vectors are deterministic and unit-length (shared/embedding-vectors.ts); Google's own shortened vectors are not
// normalised, the sandbox's are (a gateway that normalises again changes nothing).
import { z } from 'zod';
import { countTokens } from '../shared/deterministic-text';
import { defaultEmbeddingDimensions, embeddingVector } from '../shared/embedding-vectors';
import { sendJson } from '../shared/http-io';
import type { SandboxContext } from '../shared/sandbox-router';
import { GeminiError } from './gemini-error';
import { camelKeys, mapArray, parseGeminiJsonBody } from './gemini-validation';

const MAX_BATCH = 100;

const partSchema = z.strictObject({ text: z.string().optional(), inlineData: z.looseObject({}).optional(), fileData: z.looseObject({}).optional() });
const contentSchema = z.strictObject({ role: z.string().optional(), parts: z.array(partSchema).min(1) });
const TASK_TYPES = [
  'TASK_TYPE_UNSPECIFIED',
  'RETRIEVAL_QUERY',
  'RETRIEVAL_DOCUMENT',
  'SEMANTIC_SIMILARITY',
  'CLASSIFICATION',
  'CLUSTERING',
  'QUESTION_ANSWERING',
  'FACT_VERIFICATION',
  'CODE_RETRIEVAL_QUERY',
] as const;

const embedContentSchema = z.strictObject({
  model: z.string().optional(),
  content: contentSchema,
  taskType: z.enum(TASK_TYPES).optional(),
  title: z.string().optional(),
  outputDimensionality: z.number().int().min(1).optional(),
});
const batchSchema = z.strictObject({ requests: z.array(embedContentSchema).min(1) });

type EmbedContentRequest = z.infer<typeof embedContentSchema>;

const normaliseRequest = (value: unknown): unknown => {
  const request = camelKeys(value) as Record<string, unknown>;
  if (request === null || typeof request !== 'object') return request;
  const content = camelKeys(request.content) as Record<string, unknown> | undefined;
  return { ...request, ...(content && typeof content === 'object' ? { content: { ...content, parts: mapArray(content.parts, camelKeys) } } : {}) };
};

export function handleEmbedContent(ctx: SandboxContext): void {
  const model = ctx.params.model;
  const request = parseGeminiJsonBody(embedContentSchema, ctx.body, normaliseRequest);
  const [embedding] = embed([request], model, 'EmbedContentRequest');
  sendJson(ctx.res, 200, { embedding: embedding.value, usageMetadata: usage(embedding.tokens) });
}

export function handleBatchEmbedContents(ctx: SandboxContext): void {
  const model = ctx.params.model;
  const batch = parseGeminiJsonBody(batchSchema, ctx.body, (json) => {
    const body = camelKeys(json) as Record<string, unknown>;
    return body && typeof body === 'object' ? { ...body, requests: mapArray(body.requests, normaliseRequest) } : body;
  });
  if (batch.requests.length > MAX_BATCH) {
    throw GeminiError.invalidArgument(`* BatchEmbedContentsRequest.requests: at most ${MAX_BATCH} requests can be in one batch\n`);
  }
  batch.requests.forEach((request, i) => {
    if (request.model !== `models/${model}`) {
      throw GeminiError.invalidArgument(
        `* BatchEmbedContentsRequest.requests[${i}].model: the model of every request must be the batch's model, models/${model}\n`,
      );
    }
  });
  const embeddings = embed(batch.requests, model, 'BatchEmbedContentsRequest.requests[]');
  sendJson(ctx.res, 200, { embeddings: embeddings.map((e) => e.value), usageMetadata: usage(embeddings.reduce((sum, e) => sum + e.tokens, 0)) });
}

function embed(requests: EmbedContentRequest[], model: string, where: string): { value: { values: number[] }; tokens: number }[] {
  const full = defaultEmbeddingDimensions(model);
  return requests.map((request) => {
    if (request.content.parts.some((part) => part.text === undefined)) {
      throw GeminiError.invalidArgument(`* ${where}.content.parts: only text parts can be embedded by ${model}\n`);
    }
    const text = request.content.parts.map((part) => part.text).join('');
    if (text === '') throw GeminiError.invalidArgument(`* ${where}.content: text content is empty\n`);
    const dimensions = request.outputDimensionality ?? full;
    if (dimensions > full) {
      throw GeminiError.invalidArgument(`* ${where}.output_dimensionality: must be less than or equal to ${full}\n`);
    }
    return { value: { values: embeddingVector(text, dimensions) }, tokens: countTokens(text) };
  });
}

function usage(tokens: number): { promptTokenCount: number; promptTokensDetails: { modality: string; tokenCount: number }[] } {
  return { promptTokenCount: tokens, promptTokensDetails: [{ modality: 'TEXT', tokenCount: tokens }] };
}
