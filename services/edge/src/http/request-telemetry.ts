import { Span, trace } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { chat, common } from '@apitopmix/contracts';
import { Attr, GenAi, genAiProviderName } from '@apitopmix/platform/telemetry';
import type { Caller } from '../auth/auth.service';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's HTTP server span when it is recorded (exported and sampled), else null. */
    span: Span | null;
    /** Who called, once authenticated: for the access log line. */
    accountId: string | null;
    /** The model asked for, once read: for the access log line. */
    modelId: string | null;
  }
}

/**
 * The edge's request span is the HTTP instrumentation's server span, named after the route
 * (`POST /v1/chat/completions`) and given, as the request is served, the caller's ids and tier and the GenAI
 * attributes of what was asked and answered. Nothing is done for a span that is not recorded.
 */
export function registerRequestTelemetry(fastify: FastifyInstance): void {
  fastify.decorateRequest('span', null);
  fastify.decorateRequest('accountId', null);
  fastify.decorateRequest('modelId', null);
  fastify.addHook('onRequest', (request, _reply, done) => {
    const span = trace.getActiveSpan();
    if (span?.isRecording()) {
      request.span = span;
      const route = request.routeOptions.url;
      if (route) {
        span.updateName(`${request.method} ${route}`);
        span.setAttribute('http.route', route);
      }
      span.setAttribute(Attr.requestId, request.id);
    }
    done();
  });
}

/** The authenticated caller: account, key id (never the key), tier. */
export function recordCaller(request: FastifyRequest, caller: Caller): void {
  request.accountId = caller.accountId;
  request.span?.setAttributes({ [Attr.accountId]: caller.accountId, [Attr.apiKeyId]: caller.apiKeyId, [Attr.tier]: caller.tier.toLowerCase() });
}

/** What the request asks a model for. */
export function recordGenAiRequest(request: FastifyRequest, operation: 'chat' | 'embeddings', model: string): void {
  request.modelId = model;
  request.span?.setAttributes({ [GenAi.operationName]: operation, [GenAi.requestModel]: model });
}

/** What answered and what it used; `firstChunkSeconds` for a stream. */
export function recordGenAiResponse(
  request: FastifyRequest,
  upstream: chat.Upstream | undefined,
  usage: common.TokenUsage | undefined,
  firstChunkSeconds?: number,
): void {
  const span = request.span;
  if (!span) return;
  if (upstream) span.setAttributes({ [GenAi.providerName]: genAiProviderName(upstream.provider), [GenAi.responseModel]: upstream.model });
  if (usage) span.setAttributes({ [GenAi.usageInputTokens]: usage.inputTokens, [GenAi.usageOutputTokens]: usage.outputTokens });
  if (firstChunkSeconds !== undefined) span.setAttribute(GenAi.timeToFirstChunk, firstChunkSeconds);
}
