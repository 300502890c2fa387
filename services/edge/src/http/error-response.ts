import { HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { toOpenAiError } from '@apitopmix/dialects/openai-chat';
import { ErrorCode, GatewayError, isGatewayError } from '@apitopmix/platform/errors';
import { rateLimitHeaders, RateLimitedError } from '../rate-limit/rate-limit.client';

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

export function sendError(reply: FastifyReply, error: GatewayError): void {
  if (error instanceof RateLimitedError) reply.headers(rateLimitHeaders(error.admission));
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  reply
    .status(error.status)
    .header('content-type', 'application/json')
    .send(JSON.stringify(toOpenAiError(error)));
}
