// The OpenAI wire format's routes, and the edge behaviour every OpenAI endpoint shares: Bearer auth, a request id
// header, fault rules on generation endpoints, and errors rendered in OpenAI's envelope.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { applyFault, type FaultResponder } from '../shared/fault-injection';
import { isAbortError, peekJsonObject } from '../shared/http-io';
import type { Route, RouteHandler, SandboxContext } from '../shared/sandbox-router';
import { assertOpenAiApiKey } from './openai-auth';
import { handleChatCompletions } from './openai-chat.handler';
import { handleEmbeddings } from './openai-embeddings.handler';
import { OpenAiError, sendOpenAiError } from './openai-error';
import { handleListModels, handleRetrieveModel } from './openai-models.handler';

export interface OpenAiRoutesOptions {
  apiKey: string;
}

export function openAiRoutes(options: OpenAiRoutesOptions): Route[] {
  const endpoint = (handler: RouteHandler, generation = false) => openAiEndpoint(options.apiKey, handler, generation);
  return [
    { method: 'POST', path: '/v1/chat/completions', handler: endpoint(handleChatCompletions, true) },
    { method: 'POST', path: '/v1/embeddings', handler: endpoint(handleEmbeddings, true) },
    { method: 'GET', path: '/v1/models', handler: endpoint(handleListModels) },
    { method: 'GET', path: '/v1/models/{id*}', handler: endpoint(handleRetrieveModel) },
  ];
}

const OPENAI_FAULTS: FaultResponder = {
  sendError: (ctx, status, headers) => sendOpenAiError(ctx.res, OpenAiError.forStatus(status), headers),
  garbageBody: '{"id":"chatcmpl-sandbox-garbage","object":"chat.completion","choices":[{"index":0,"message":{"role":"assis',
};

/** Wraps an OpenAI handler: auth, then (for generation endpoints) fault rules, then errors in OpenAI's shape. */
export function openAiEndpoint(apiKey: string, handler: RouteHandler, generation = false): RouteHandler {
  return async (ctx) => {
    ctx.res.setHeader('x-request-id', `req_${randomBytes(16).toString('hex')}`);
    ctx.res.setHeader('x-sandbox-provider', 'openai');
    if (ctx.record) ctx.record.format = 'openai';
    try {
      assertOpenAiApiKey(ctx.req.headers, apiKey);
      let run = ctx;
      if (generation) {
        const peek = peekJsonObject(ctx.body);
        const model = typeof peek.model === 'string' ? peek.model : undefined;
        const outcome = await applyFault(ctx, { format: 'openai', model, stream: peek.stream === true }, OPENAI_FAULTS);
        if (outcome.handled) return;
        run = { ...ctx, disruption: outcome.disruption };
      }
      await handler(run);
    } catch (error) {
      if (isAbortError(error) || ctx.res.headersSent) throw error;
      sendOpenAiError(ctx.res, error instanceof OpenAiError ? error : OpenAiError.internal());
      if (!(error instanceof OpenAiError)) throw error;
    }
  };
}

/** OpenAI answers unknown paths, and known paths with the wrong method, with a 404 naming both. */
export function openAiNotFound(ctx: SandboxContext): void {
  ctx.res.setHeader('x-sandbox-provider', 'openai');
  sendOpenAiError(ctx.res, OpenAiError.invalidUrl(ctx.req.method ?? 'GET', ctx.url.pathname));
}

export const openAiEdge = {
  notFound: openAiNotFound,
  bodyTooLarge: (res: ServerResponse, limitBytes: number) => sendOpenAiError(res, OpenAiError.bodyTooLarge(limitBytes)),
  internalError: (res: ServerResponse) => sendOpenAiError(res, OpenAiError.internal()),
};
