import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ErrorCode, isGatewayError } from '@apitopmix/platform/errors';
import { LOGGER } from '@apitopmix/platform/nest';
import { Caller } from '../auth/auth.service';
import { EdgeMetrics } from '../http/edge-metrics';
import { Admission, RateLimitClient } from './rate-limit.client';

/**
 * Admission of an authenticated request against its key's limits. If the rate-limit service itself cannot be
 * reached in time, the request is admitted (fail open, like the service's own Redis policy) and counted in
 * edge_admission_degraded_total: paid traffic keeps flowing, billing still applies.
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
      this.metrics.admissionDegraded.inc();
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
