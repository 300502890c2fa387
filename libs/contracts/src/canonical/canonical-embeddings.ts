/**
 * The hub for embeddings, as canonical-chat.ts is for chat: an inbound dialect (today OpenAI's `/v1/embeddings`)
 * turns its request into this, each upstream format (OpenAI-compatible `/embeddings`, Gemini `embedContent`) turns
 * it into its own and its answer back. Plain data, no I/O.
 */

/** What to embed: texts, or token ids (the model's own tokenizer's), one entry per vector wanted. */
export type CanonicalEmbeddingInput = { type: 'text'; texts: string[] } | { type: 'tokens'; tokens: number[][] };

export interface CanonicalEmbeddingRequest {
  input: CanonicalEmbeddingInput;
  /** Shorter vectors than the model's default (OpenAI `dimensions`, Gemini `outputDimensionality`). */
  dimensions?: number;
  /** How the caller wants the vectors; an upstream able to send that form may be asked for it. */
  encodingFormat: 'float' | 'base64';
  /** The caller's end-user id (OpenAI `user`), for upstreams that take one. */
  user?: string;
}

/**
 * One vector. `Float32Array` when it arrived as float32 bytes (OpenAI's base64), so it goes back out bit for bit;
 * `number[]` when it arrived as JSON numbers.
 */
export type EmbeddingVector = number[] | Float32Array;

export interface CanonicalEmbeddingResponse {
  /** One per input, in the input's order. */
  vectors: EmbeddingVector[];
  /** What the upstream counted; absent when it reported nothing. */
  usage?: { inputTokens: number };
  /** The upstream's own name for the model, when it gave one. */
  model?: string;
}

/** How many vectors the request asks for. */
export function embeddingInputCount(input: CanonicalEmbeddingInput): number {
  return input.type === 'text' ? input.texts.length : input.tokens.length;
}
