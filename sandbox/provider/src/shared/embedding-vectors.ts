// Deterministic embeddings shared by every sandbox wire format (OpenAI /v1/embeddings, Gemini embedContent): the
// same input gives the same vector on every machine and in every format, so tests can compare them exactly.
import { createPrng, seedFrom } from './deterministic-text';

/** The length of a model's vectors when no shorter one is asked for, by model id, as the real models have. */
export function defaultEmbeddingDimensions(model: string): number {
  if (/text-embedding-3-large|gemini-embedding/.test(model)) return 3072;
  if (/text-embedding-004|(^|\/)embedding-00\d|embedding-gecko/.test(model)) return 768;
  return 1536;
}

/**
 * A unit-length vector for one input (its text, or its token ids): components drawn uniformly from [-1, 1) by a
 * PRNG seeded with the SHA-256 of the input, scaled to length 1 and rounded to float32 (what the real APIs compute,
 * so base64 carries them exactly). Asking for `dimensions` shorter than the full length gives the normalised prefix
 * of the full vector, as OpenAI's text-embedding-3 models and Gemini's Matryoshka embeddings do.
 */
export function embeddingVector(input: string | readonly number[], dimensions: number): number[] {
  const random = createPrng(seedFrom('embedding', input));
  const raw = Array.from({ length: dimensions }, () => random() * 2 - 1);
  const norm = Math.sqrt(raw.reduce((sum, v) => sum + v * v, 0));
  return raw.map((v) => Math.fround(v / norm));
}

/** OpenAI's base64 form: the float32 values, little-endian. */
export function float32Base64(vector: readonly number[]): string {
  const bytes = Buffer.allocUnsafe(vector.length * 4);
  vector.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  return bytes.toString('base64');
}
