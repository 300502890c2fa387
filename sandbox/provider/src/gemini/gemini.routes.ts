// The Gemini wire format's routes (v1beta, and v1 for generation), and the edge behaviour they share: API-key
// auth, fault rules on generation, and errors in Google's envelope (inside a JSON array for a non-SSE stream).
import type { ServerResponse } from 'node:http';
import { applyFault } from '../shared/fault-injection';
import { isAbortError } from '../shared/http-io';
import type { Route, RouteHandler, SandboxContext } from '../shared/sandbox-router';
import { assertGeminiApiKey } from './gemini-auth';
import { handleBatchEmbedContents, handleEmbedContent } from './gemini-embed.handler';
import { GeminiError, sendGeminiError } from './gemini-error';
import { handleCountTokens, handleGenerateContent, handleStreamGenerateContent } from './gemini-generate.handler';
import { handleGetGeminiModel, handleListGeminiModels } from './gemini-models.handler';

export interface GeminiRoutesOptions {
  apiKey: string;
}

type EndpointKind = 'generate' | 'stream' | 'other';

export function geminiRoutes(options: GeminiRoutesOptions): Route[] {
  const endpoint = (handler: RouteHandler, kind: EndpointKind = 'other') => geminiEndpoint(options.apiKey, handler, kind);
  const generation = (version: string): Route[] => [
    { method: 'POST', path: `/${version}/models/{model}:generateContent`, handler: endpoint(handleGenerateContent, 'generate') },
    { method: 'POST', path: `/${version}/models/{model}:streamGenerateContent`, handler: endpoint(handleStreamGenerateContent, 'stream') },
    { method: 'POST', path: `/${version}/models/{model}:countTokens`, handler: endpoint(handleCountTokens) },
    { method: 'POST', path: `/${version}/models/{model}:embedContent`, handler: endpoint(handleEmbedContent, 'generate') },
    { method: 'POST', path: `/${version}/models/{model}:batchEmbedContents`, handler: endpoint(handleBatchEmbedContents, 'generate') },
  ];
  return [
    ...generation('v1beta'),
    ...generation('v1'),
    { method: 'GET', path: '/v1beta/models', handler: endpoint(handleListGeminiModels) },
    { method: 'GET', path: '/v1beta/models/{model}', handler: endpoint(handleGetGeminiModel) },
  ];
}

const GARBAGE_BODY = '{\n  "candidates": [\n    {\n      "content": {\n        "parts": [\n          {\n            "text": "unte';

export function geminiEndpoint(apiKey: string, handler: RouteHandler, kind: EndpointKind): RouteHandler {
  return async (ctx) => {
    ctx.res.setHeader('x-sandbox-provider', 'gemini');
    if (ctx.record) ctx.record.format = 'gemini';
    // streamGenerateContent without alt=sse answers a JSON array, and Google wraps even its errors in one.
    const asArray = kind === 'stream' && ctx.url.searchParams.get('alt') !== 'sse';
    try {
      assertGeminiApiKey(ctx.req.headers, ctx.url, apiKey);
      let run = ctx;
      if (kind !== 'other') {
        const outcome = await applyFault(
          ctx,
          { format: 'gemini', model: ctx.params.model, stream: kind === 'stream' },
          {
            sendError: (c, status, headers) => {
              const retryAfter = headers['retry-after'] === undefined ? undefined : Number(headers['retry-after']);
              sendGeminiError(c.res, GeminiError.forStatus(status, retryAfter), headers, asArray);
            },
            garbageBody: GARBAGE_BODY,
          },
        );
        if (outcome.handled) return;
        run = { ...ctx, disruption: outcome.disruption };
      }
      await handler(run);
    } catch (error) {
      if (isAbortError(error) || ctx.res.headersSent) throw error;
      sendGeminiError(ctx.res, error instanceof GeminiError ? error : GeminiError.internal(), {}, asArray);
      if (!(error instanceof GeminiError)) throw error;
    }
  };
}

export const geminiEdge = {
  notFound(ctx: SandboxContext): void {
    ctx.res.setHeader('x-sandbox-provider', 'gemini');
    sendGeminiError(ctx.res, GeminiError.notFound(`Method not found: ${ctx.req.method ?? 'GET'} ${ctx.url.pathname}`));
  },
  bodyTooLarge: (res: ServerResponse, limitBytes: number) => sendGeminiError(res, GeminiError.bodyTooLarge(limitBytes)),
  internalError: (res: ServerResponse) => sendGeminiError(res, GeminiError.internal()),
};
