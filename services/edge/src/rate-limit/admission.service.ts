import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ErrorCode, GatewayError, isGatewayError } from '@apitopmix/platform/errors';
import { isDeadlineExceeded } from '@apitopmix/platform/grpc';
import { LOGGER } from '@apitopmix/platform/nest';
import { Caller } from '../auth/auth.service';
import { EdgeMetrics } from '../http/edge-metrics';
import { Admission, RateLimitClient } from './rate-limit.client';

/**
 * Admission of an authenticated request against its key's limits.
 * - The rate-limit service unreachable (not running, connection refused): the request is admitted (fail open, like
 *   the service's own policy when Redis is down), counted in edge_admission_degraded_total{outcome="admitted"}:
 *   paid traffic keeps flowing, billing still applies.
 * - The service reachable but not answering within ADMISSION_DEADLINE_MS: it is overloaded, and admitting would
 *   let a burst through every limit exactly when limits matter most. The request is shed with 503 and
 *   Retry-After: 1, counted as edge_admission_degraded_total{outcome="shed"}.
 */
@Injectable()
export class AdmissionService {
  private lastWarning = 0;

  constructor(
    private readonly rateLimit: RateLimitClient,
    private readonly metrics: EdgeMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async admit(caller: Caller, estimatedTokens: number): Promise<Admission> {
    try {
      return await this.rateLimit.admit(caller, estimatedTokens);
    } catch (error) {
      if (!isGatewayError(error) || error.code !== ErrorCode.ServiceUnavailable) throw error;
      if (isDeadlineExceeded(error)) {
        this.metrics.admissionDegraded.inc({ outcome: 'shed' });
        throw new GatewayError(ErrorCode.ServiceUnavailable, 'The gateway is busy and could not check your rate limits in time. Retry shortly.', {
          retryAfterSeconds: 1,
        });
      }
      this.metrics.admissionDegraded.inc({ outcome: 'admitted' });
      if (Date.now() - this.lastWarning > 10_000) {
        this.lastWarning = Date.now();
        this.logger.warn({ err: error.message }, 'rate-limit service unreachable: admitting without it');
      }
      const { requestsPerMinute, tokensPerMinute } = caller.limits;
      return {
        allowed: true,
        degraded: true,
        retryAfterSeconds: 0,
        requests: { limit: requestsPerMinute, remaining: requestsPerMinute, resetSeconds: 0 },
        tokens: { limit: tokensPerMinute, remaining: tokensPerMinute, resetSeconds: 0 },
      };
    }
  }

  /** Gives back (or takes) the difference between the admitted estimate and the real usage. */
  settle(caller: Caller, estimatedTokens: number, usedTokens: number): void {
    this.rateLimit.settle(caller, usedTokens - estimatedTokens);
  }
}
