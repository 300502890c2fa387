import { CanonicalEmbeddingResponse, EmbeddingVector, float32ToBase64 } from '@apitopmix/contracts';

/** OpenAI's CreateEmbeddingResponse. */
export interface OpenAiEmbeddingResponse {
  object: 'list';
  data: { object: 'embedding'; index: number; embedding: number[] | string }[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

export interface EmbeddingRenderContext {
  /** The model id the caller sent. */
  model: string;
  encodingFormat: 'float' | 'base64';
  /** The tokens billed: the upstream's count, or the gateway's estimate. */
  inputTokens: number;
}

/**
 * A canonical answer in OpenAI's shape: vectors in input order, each as JSON numbers or, for `base64`, as
 * little-endian float32 bytes in base64 (encoded here whatever form the upstream used: a vector that came as
 * float32 bytes goes back bit for bit, one that came as JSON numbers is rounded to float32, as OpenAI does).
 */
export function renderOpenAiEmbeddingResponse(response: CanonicalEmbeddingResponse, context: EmbeddingRenderContext): OpenAiEmbeddingResponse {
  const encode = context.encodingFormat === 'base64' ? float32ToBase64 : asNumbers;
  return {
    object: 'list',
    data: response.vectors.map((vector, index) => ({ object: 'embedding', index, embedding: encode(vector) })),
    model: context.model,
    usage: { prompt_tokens: context.inputTokens, total_tokens: context.inputTokens },
  };
}

/** JSON numbers (JSON.stringify writes a Float32Array as an object, not an array). */
function asNumbers(vector: EmbeddingVector): number[] {
  return Array.isArray(vector) ? vector : Array.from(vector);
}
