import type { Dispatcher } from 'undici';
import { base64ToFloat32, CanonicalEmbeddingRequest, CanonicalEmbeddingResponse, embeddingInputCount, EmbeddingVector } from '@apitopmix/contracts';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { postUpstreamChecked, upstreamTransportError, UpstreamEndpoint, UpstreamTimeouts } from '@apitopmix/providers/core';
import { openAiCompatibleApi } from './openai-compatible.api';
import { openAiCompatibleError } from './openai-compatible.errors';

/** The `POST /embeddings` body an OpenAI-compatible upstream gets. */
export interface OpenAiUpstreamEmbeddingRequest {
  model: string;
  input: string | string[] | number[][];
  encoding_format: 'float' | 'base64';
  dimensions?: number;
  user?: string;
}

interface OpenAiUpstreamEmbeddingResponse {
  data?: unknown;
  model?: unknown;
  usage?: { prompt_tokens?: unknown } | null;
}

/**
 * Canonical embeddings ↔ OpenAI's `/embeddings` (OpenAI, NVIDIA NIM, vLLM, Ollama, …). Token ids go up as they came
 * (they are the upstream's own tokenizer's); the upstream is asked for the caller's encoding, so a base64 caller's
 * vectors travel as float32 bytes end to end. Its answer may use either form whatever was asked (some servers always
 * send floats): each vector is read as it comes.
 */
export const openAiCompatibleEmbeddingsFormat = {
  toUpstream(request: CanonicalEmbeddingRequest, upstreamModel: string): OpenAiUpstreamEmbeddingRequest {
    const { input } = request;
    return {
      model: upstreamModel,
      input: input.type === 'tokens' ? input.tokens : input.texts.length === 1 ? input.texts[0] : input.texts,
      encoding_format: request.encodingFormat,
      ...(request.dimensions !== undefined ? { dimensions: request.dimensions } : {}),
      ...(request.user !== undefined ? { user: request.user } : {}),
    };
  },

  /** The upstream's answer, vectors put in input order by their `index`; anything malformed is UpstreamUnavailable. */
  fromUpstream(json: unknown, expected: number, provider: string): CanonicalEmbeddingResponse {
    const body = (json ?? {}) as OpenAiUpstreamEmbeddingResponse;
    const unreadable = (why: string) =>
      new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (${provider}) sent an unreadable response: ${why}.`);
    if (!Array.isArray(body.data)) throw unreadable('no data');
    if (body.data.length !== expected) throw unreadable(`${body.data.length} embeddings for ${expected} inputs`);
    const vectors: (EmbeddingVector | undefined)[] = new Array(expected);
    body.data.forEach((item: { index?: unknown; embedding?: unknown }, position) => {
      const index = typeof item?.index === 'number' ? item.index : position;
      if (!Number.isInteger(index) || index < 0 || index >= expected || vectors[index]) throw unreadable(`embedding index ${String(item?.index)}`);
      vectors[index] = readVector(item.embedding, unreadable);
    });
    const promptTokens = body.usage?.prompt_tokens;
    return {
      vectors: vectors as EmbeddingVector[],
      ...(typeof promptTokens === 'number' ? { usage: { inputTokens: promptTokens } } : {}),
      ...(typeof body.model === 'string' ? { model: body.model } : {}),
    };
  },
};

function readVector(embedding: unknown, unreadable: (why: string) => GatewayError): EmbeddingVector {
  if (typeof embedding === 'string') {
    try {
      return base64ToFloat32(embedding);
    } catch {
      throw unreadable('an embedding is not base64 float32');
    }
  }
  if (Array.isArray(embedding) && embedding.every((v) => typeof v === 'number')) return embedding as number[];
  throw unreadable('an embedding is neither numbers nor base64');
}

/** An embeddings call against an OpenAI-compatible upstream. */
export class OpenAiCompatibleEmbeddings {
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
    const post = {
      url: openAiCompatibleApi.embeddingsUrl(endpoint),
      headers: openAiCompatibleApi.headers(endpoint),
      body: JSON.stringify(openAiCompatibleEmbeddingsFormat.toUpstream(request, upstreamModel)),
      timeouts: this.timeouts,
      signal,
    };
    const response = await postUpstreamChecked(this.agent, endpoint.provider, post, (status, text) => openAiCompatibleError(endpoint.provider, status, text));
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      if (signal?.aborted) throw error;
      throw upstreamTransportError(endpoint.provider, error);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new GatewayError(ErrorCode.UpstreamUnavailable, `The upstream provider (${endpoint.provider}) sent an unreadable response.`, { cause: error });
    }
    return openAiCompatibleEmbeddingsFormat.fromUpstream(json, embeddingInputCount(request.input), endpoint.provider);
  }
}
