import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { sendError, toGatewayError } from './error-response';

/** Errors thrown in controllers (and Nest's own 404 for unknown routes) in the caller's dialect. */
@Catch()
export class OpenAiExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    if (reply.sent || reply.raw.headersSent) return;
    sendError(reply, toGatewayError(exception, http.getRequest<FastifyRequest>(), this.logger));
  }
}
