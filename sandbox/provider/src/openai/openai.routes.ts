// The OpenAI wire format's routes, and the edge behaviour every OpenAI endpoint shares: Bearer auth, a request id
// header, and errors rendered in OpenAI's envelope.
import { randomBytes } from 'node:crypto';
import { isAbortError } from '../shared/http-io';
import type { Route, RouteHandler, SandboxContext } from '../shared/sandbox-router';
import { assertOpenAiApiKey } from './openai-auth';
import { handleChatCompletions } from './openai-chat.handler';
import { OpenAiError, sendOpenAiError } from './openai-error';
import { handleListModels } from './openai-models.handler';

export interface OpenAiRoutesOptions {
  apiKey: string;
}

export function openAiRoutes(options: OpenAiRoutesOptions): Route[] {
  const endpoint = (handler: RouteHandler) => openAiEndpoint(options.apiKey, handler);
  return [
    { method: 'POST', path: '/v1/chat/completions', handler: endpoint(handleChatCompletions) },
    { method: 'GET', path: '/v1/models', handler: endpoint(handleListModels) },
  ];
}

export function openAiEndpoint(apiKey: string, handler: RouteHandler): RouteHandler {
  return async (ctx) => {
    ctx.res.setHeader('x-request-id', `req_${randomBytes(16).toString('hex')}`);
    ctx.res.setHeader('x-sandbox-provider', 'openai');
    try {
      assertOpenAiApiKey(ctx.req.headers, apiKey);
      await handler(ctx);
    } catch (error) {
      if (isAbortError(error) || ctx.res.headersSent) throw error;
      sendOpenAiError(ctx.res, error instanceof OpenAiError ? error : OpenAiError.internal());
      if (!(error instanceof OpenAiError)) throw error;
    }
  };
}

/** OpenAI answers unknown paths, and known paths with the wrong method, with a 404 naming both. */
export function openAiNotFound(ctx: SandboxContext): void {
  sendOpenAiError(ctx.res, OpenAiError.invalidUrl(ctx.req.method ?? 'GET', ctx.url.pathname));
}
