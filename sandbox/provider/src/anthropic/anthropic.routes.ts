// The Anthropic Messages wire format's routes, and the edge behaviour its endpoints share: x-api-key and
// anthropic-version headers, a `request-id`, fault rules on generation, and errors in Anthropic's envelope.
import type { ServerResponse } from 'node:http';
import { applyFault, type FaultResponder } from '../shared/fault-injection';
import { isAbortError, peekJsonObject } from '../shared/http-io';
import type { Route, RouteHandler, SandboxContext } from '../shared/sandbox-router';
import { assertAnthropicHeaders } from './anthropic-auth';
import { AnthropicError, sendAnthropicError } from './anthropic-error';
import { handleCountTokens, handleMessages, randomBase62 } from './anthropic-messages.handler';

export interface AnthropicRoutesOptions {
  apiKey: string;
}

export function anthropicRoutes(options: AnthropicRoutesOptions): Route[] {
  return [
    { method: 'POST', path: '/v1/messages', handler: anthropicEndpoint(options.apiKey, handleMessages, true) },
    { method: 'POST', path: '/v1/messages/count_tokens', handler: anthropicEndpoint(options.apiKey, handleCountTokens) },
  ];
}

const ANTHROPIC_FAULTS: FaultResponder = {
  sendError: (ctx, status, headers) => sendAnthropicError(ctx.res, AnthropicError.forStatus(status), headers),
  garbageBody: '{"id":"msg_sandbox_garbage","type":"message","role":"assistant","content":[{"type":"text","te',
};

export function anthropicEndpoint(apiKey: string, handler: RouteHandler, generation = false): RouteHandler {
  return async (ctx) => {
    ctx.res.setHeader('request-id', `req_011C${randomBase62(20)}`);
    ctx.res.setHeader('x-sandbox-provider', 'anthropic');
    if (ctx.record) ctx.record.format = 'anthropic';
    try {
      assertAnthropicHeaders(ctx.req.headers, apiKey);
      let run = ctx;
      if (generation) {
        const peek = peekJsonObject(ctx.body);
        const model = typeof peek.model === 'string' ? peek.model : undefined;
        const outcome = await applyFault(ctx, { format: 'anthropic', model, stream: peek.stream === true }, ANTHROPIC_FAULTS);
        if (outcome.handled) return;
        run = { ...ctx, disruption: outcome.disruption };
      }
      await handler(run);
    } catch (error) {
      if (isAbortError(error) || ctx.res.headersSent) throw error;
      sendAnthropicError(ctx.res, error instanceof AnthropicError ? error : AnthropicError.internal());
      if (!(error instanceof AnthropicError)) throw error;
    }
  };
}

export const anthropicEdge = {
  notFound(ctx: SandboxContext): void {
    ctx.res.setHeader('x-sandbox-provider', 'anthropic');
    sendAnthropicError(ctx.res, AnthropicError.notFound());
  },
  bodyTooLarge: (res: ServerResponse) => sendAnthropicError(res, AnthropicError.bodyTooLarge()),
  internalError: (res: ServerResponse) => sendAnthropicError(res, AnthropicError.internal()),
};
