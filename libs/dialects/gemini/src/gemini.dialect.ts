import type { CanonicalChatRequest, CanonicalChatResponse, InboundDialect, StreamRenderer } from '@apitopmix/contracts';
import { GeminiInboundRequest } from './gemini.request';
import { GeminiRenderContext, geminiFromCanonical } from './gemini.from-canonical';
import { GeminiJsonArrayStreamRenderer } from './gemini-json-array.stream-renderer';
import { GeminiSseStreamRenderer, GeminiStreamContext } from './gemini.stream-renderer';
import { geminiToCanonical } from './gemini.to-canonical';
import type { GeminiGenerateContentResponse } from './gemini.types';

/**
 * The Gemini dialect: `/v1beta/models/{model}:generateContent` and `:streamGenerateContent`, and the same under
 * Vertex-style URLs. The request carries the model and the streaming choice from the URL. The contexts take, beside
 * the interface's, `includeThoughts` (the request's thinkingConfig.includeThoughts, from the canonical request's
 * `thinking.includeThoughts`) and an optional `responseId`.
 */
export class GeminiDialect implements InboundDialect<GeminiInboundRequest, GeminiGenerateContentResponse> {
  toCanonical(request: GeminiInboundRequest): CanonicalChatRequest {
    return geminiToCanonical(request);
  }

  fromCanonical(response: CanonicalChatResponse, context: GeminiRenderContext): GeminiGenerateContentResponse {
    return geminiFromCanonical(response, context);
  }

  /** `alt=sse` framing. */
  streamRenderer(context: GeminiStreamContext): StreamRenderer {
    return new GeminiSseStreamRenderer(context);
  }

  /** `streamGenerateContent` without `alt=sse`: one JSON array, streamed. */
  jsonArrayStreamRenderer(context: GeminiStreamContext): StreamRenderer {
    return new GeminiJsonArrayStreamRenderer(context);
  }
}

export const geminiDialect = new GeminiDialect();
