import { CanActivate, ExecutionContext, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { CONFIG } from '@apitopmix/platform/nest';
import { EdgeConfig } from '../config/edge.config';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Whether `given` is the admin token, in time that does not depend on where they differ (or on their lengths). */
export function isAdminToken(given: string | undefined, expected: string): boolean {
  // Comparing digests makes both sides 32 bytes, so even the length of the token does not leak through timing.
  return timingSafeEqual(digest(given ?? ''), digest(expected)) && given !== undefined;
}

/**
 * The admin API's only door: `Authorization: Bearer <ADMIN_TOKEN>`. Without ADMIN_TOKEN configured the admin API
 * does not exist: every route answers the same 404 as an unknown URL.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(@Inject(CONFIG) private readonly config: EdgeConfig) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.config.ADMIN_TOKEN) throw new NotFoundException();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!isAdminToken(match?.[1], this.config.ADMIN_TOKEN)) {
      throw new GatewayError(ErrorCode.InvalidApiKey, 'Invalid or missing admin token. Send it as "Authorization: Bearer ADMIN_TOKEN".');
    }
    return true;
  }
}
