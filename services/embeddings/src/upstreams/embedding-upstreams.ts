import type { Dispatcher } from 'undici';
import { WireFormatId } from '@apitopmix/catalog';
import { CanonicalEmbeddingRequest, CanonicalEmbeddingResponse } from '@apitopmix/contracts';
import { UpstreamEndpoint, UpstreamTimeouts } from '@apitopmix/providers/core';
import { GeminiEmbeddings } from '@apitopmix/providers/gemini';
import { OpenAiCompatibleEmbeddings } from '@apitopmix/providers/openai-compatible';

/** Injection token for the map of embedding upstreams by wire format. */
export const EMBEDDING_UPSTREAMS = Symbol('EMBEDDING_UPSTREAMS');

/** One upstream embeddings format: a canonical request in, a canonical answer out. */
export interface EmbeddingUpstream {
  embed(endpoint: UpstreamEndpoint, upstreamModel: string, request: CanonicalEmbeddingRequest, signal: AbortSignal): Promise<CanonicalEmbeddingResponse>;
}

/** The embedding upstreams by the catalog's wire format, sharing one connection pool. */
export function createEmbeddingUpstreams(agent: Dispatcher, timeouts: UpstreamTimeouts): Partial<Record<WireFormatId, EmbeddingUpstream>> {
  return {
    'openai-embeddings': new OpenAiCompatibleEmbeddings(agent, timeouts),
    'gemini-embeddings': new GeminiEmbeddings(agent, timeouts),
  };
}
