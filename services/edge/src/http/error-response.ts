import { HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { toAnthropicError } from '@apitopmix/dialects/anthropic-messages';
import { toSunoError } from '@apitopmix/dialects/media-tasks';
import { toGeminiError } from '@apitopmix/dialects/gemini';
import { toOpenAiError } from '@apitopmix/dialects/openai-chat';
import { ErrorCode, GatewayError, isGatewayError } from '@apitopmix/platform/errors';
import { rateLimitHeaders, RateLimitedError } from '../rate-limit/rate-limit.client';
import { CallerDialect, callerDialect } from './caller-dialect';

/**
 * Turns anything thrown while serving a request into the documented error shape, with the right status and
 * headers. Nothing internal leaks: unexpected errors are logged and answered as a plain 500.
 */
export function toGatewayError(error: unknown, request: Pick<FastifyRequest, 'method' | 'url'>, logger: Logger): GatewayError {
  if (isGatewayError(error)) return error;
  if (error instanceof HttpException && error.getStatus() === 404) {
    return new GatewayError(ErrorCode.RouteNotFound, `Unknown request URL: ${request.method} ${request.url.split('?')[0]}.`);
  }
  const status = (error as { statusCode?: number }).statusCode ?? (error instanceof HttpException ? error.getStatus() : 500);
  if (status >= 400 && status < 500) {
    return new GatewayError(ErrorCode.InvalidRequest, (error as Error).message || 'Invalid request.', { status });
  }
  logger.error({ err: error }, 'unexpected error');
  return new GatewayError(ErrorCode.Internal, 'The server had an error while processing your request. Please retry.');
}

/** The error in the shape of the caller's dialect (decided by the request's path), with its headers. */
export function sendError(reply: FastifyReply, error: GatewayError): void {
  if (error instanceof RateLimitedError) reply.headers(rateLimitHeaders(error.admission));
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(Math.ceil(error.retryAfterSeconds)));
  const { status, body } = renderError(error, callerDialect(reply.request.url));
  reply.status(status).header('content-type', 'application/json').send(JSON.stringify(body));
}

function renderError(error: GatewayError, dialect: CallerDialect): { status: number; body: unknown } {
  switch (dialect) {
    case 'anthropic':
      return toAnthropicError(error);
    case 'gemini':
      return toGeminiError(error);
    case 'suno':
      return toSunoError(error);
    default:
      return { status: error.status, body: toOpenAiError(error) };
  }
}
