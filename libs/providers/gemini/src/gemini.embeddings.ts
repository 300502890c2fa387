import type { Dispatcher } from 'undici';
import { CanonicalEmbeddingRequest, CanonicalEmbeddingResponse } from '@apitopmix/contracts';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { postUpstreamChecked, upstreamTransportError, UpstreamEndpoint, UpstreamTimeouts } from '@apitopmix/providers/core';
import { geminiApi } from './gemini.api';
import { geminiUpstreamError } from './gemini.errors';

/** Google refuses a `batchEmbedContents` of more than 100 requests; larger inputs are sent in several batches. */
export const GEMINI_EMBED_BATCH_SIZE = 100;
/** Batches of one call in flight at once. */
const BATCHES_IN_FLIGHT = 4;

/** One EmbedContentRequest: the text as one part, and the shorter length asked for, if any. */
export interface GeminiEmbedContentRequest {
  model: string;
  content: { parts: { text: string }[] };
  outputDimensionality?: number;
}

/** A call to make: `embedContent` for a single text, else `batchEmbedContents` with up to 100 requests. */
export type GeminiEmbeddingCall =
  { method: 'embedContent'; body: GeminiEmbedContentRequest } | { method: 'batchEmbedContents'; body: { requests: GeminiEmbedContentRequest[] } };

interface GeminiEmbeddingAnswer {
  embedding?: { values?: unknown };
  embeddings?: { values?: unknown }[];
  usageMetadata?: { promptTokenCount?: unknown };
}

/**
 * Canonical embeddings ↔ Gemini's `embedContent` / `batchEmbedContents`. Gemini takes text only: token ids are the
 * caller's mistake (400 naming `input`), since they are ids of another vendor's tokenizer. `dimensions` becomes
 * `outputDimensionality`; Google does not normalise vectors it shortens, so those are scaled to unit length here,
 * as OpenAI's shortened vectors are. Vectors come as JSON numbers: a base64 caller's are encoded by the gateway.
 */
export const geminiEmbeddingsFormat = {
  toUpstream(request: CanonicalEmbeddingRequest, upstreamModel: string): GeminiEmbeddingCall[] {
    if (request.input.type !== 'text') {
      throw GatewayError.invalid('Gemini embedding models take text only: send input as a string or an array of strings, not token ids.', 'input');
    }
    const one = (text: string): GeminiEmbedContentRequest => ({
      model: `models/${upstreamModel}`,
      content: { parts: [{ text }] },
      ...(request.dimensions !== undefined ? { outputDimensionality: request.dimensions } : {}),
    });
    const { texts } = request.input;
    if (texts.length === 1) return [{ method: 'embedContent', body: one(texts[0]) }];
    const calls: GeminiEmbeddingCall[] = [];
    for (let start = 0; start < texts.length; start += GEMINI_EMBED_BATCH_SIZE) {
      calls.push({ method: 'batchEmbedContents', body: { requests: texts.slice(start, start + GEMINI_EMBED_BATCH_SIZE).map(one) } });
    }
    return calls;
  },

  /** The answers to `calls`, in order, as one canonical response; usage only when every answer reported it. */
  fromUpstream(answers: unknown[], calls: GeminiEmbeddingCall[], normalise: boolean, provider: string): CanonicalEmbeddingResponse {
    const unreadable = (why: string) =>
      new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (${provider}) sent an unreadable response: ${why}.`);
    const vectors: number[][] = [];
    let inputTokens: number | undefined = 0;
    answers.forEach((answer, i) => {
      const body = (answer ?? {}) as GeminiEmbeddingAnswer;
      const call = calls[i];
      const values = call.method === 'embedContent' ? [body.embedding?.values] : Array.isArray(body.embeddings) ? body.embeddings.map((e) => e?.values) : [];
      const expected = call.method === 'embedContent' ? 1 : call.body.requests.length;
      if (values.length !== expected) throw unreadable(`${values.length} embeddings for ${expected} inputs`);
      for (const vector of values) {
        if (!Array.isArray(vector) || vector.length === 0 || !vector.every((v) => typeof v === 'number')) throw unreadable('an embedding without values');
        vectors.push(normalise ? unitLength(vector) : vector);
      }
      const counted = body.usageMetadata?.promptTokenCount;
      inputTokens = typeof counted === 'number' && inputTokens !== undefined ? inputTokens + counted : undefined;
    });
    return { vectors, ...(inputTokens !== undefined ? { usage: { inputTokens } } : {}) };
  },
};

/** The vector scaled to length 1 (a zero vector is left alone). */
export function unitLength(vector: number[]): number[] {
  let sum = 0;
  for (const v of vector) sum += v * v;
  if (sum === 0) return vector;
  const norm = Math.sqrt(sum);
  return vector.map((v) => v / norm);
}

/** An embeddings call against Google's Gemini API: one `embedContent`, or batches of 100, four at a time. */
export class GeminiEmbeddings {
  constructor(
    private readonly agent: Dispatcher,
    private readonly timeouts: UpstreamTimeouts,
  ) {}

  async embed(
    endpoint: UpstreamEndpoint,
    upstreamModel: string,
    request: CanonicalEmbeddingRequest,
    signal?: AbortSignal,
  ): Promise<CanonicalEmbeddingResponse> {
    const calls = geminiEmbeddingsFormat.toUpstream(request, upstreamModel);
    const answers: unknown[] = new Array(calls.length);
    // One failed batch fails the call: the batches still in flight are abandoned with it.
    const batches = new AbortController();
    const abort = () => batches.abort(signal?.reason);
    signal?.addEventListener('abort', abort, { once: true });
    let next = 0;
    const worker = async () => {
      try {
        while (next < calls.length && !batches.signal.aborted) {
          const i = next++;
          answers[i] = await this.call(endpoint, upstreamModel, calls[i], batches.signal);
        }
      } catch (error) {
        batches.abort();
        throw error;
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(BATCHES_IN_FLIGHT, calls.length) }, worker));
    } finally {
      signal?.removeEventListener('abort', abort);
    }
    return geminiEmbeddingsFormat.fromUpstream(answers, calls, request.dimensions !== undefined, endpoint.provider);
  }

  private async call(endpoint: UpstreamEndpoint, upstreamModel: string, call: GeminiEmbeddingCall, signal?: AbortSignal): Promise<unknown> {
    const url = call.method === 'embedContent' ? geminiApi.embedContentUrl(endpoint, upstreamModel) : geminiApi.batchEmbedContentsUrl(endpoint, upstreamModel);
    const post = { url, headers: geminiApi.headers(endpoint), body: JSON.stringify(call.body), timeouts: this.timeouts, signal };
    const response = await postUpstreamChecked(this.agent, endpoint.provider, post, (status, text) => geminiUpstreamError(endpoint.provider, status, text));
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      if (signal?.aborted) throw error;
      throw upstreamTransportError(endpoint.provider, error);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (${endpoint.provider}) sent an unreadable response.`, { cause: error });
    }
  }
}
