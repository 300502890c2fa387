import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { ratelimit } from '@apitopmix/contracts';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { LOGGER } from '@apitopmix/platform/nest';
import { withDeadline } from '@apitopmix/platform/grpc';
import { fullLimitState, retryAfterSeconds, toLimitState } from './limit-state';
import { RateLimitMetrics } from './rate-limit.metrics';
import { MinuteLimits, RateLimitRepository } from './rate-limit.repository';
import { WarningThrottle } from './warning-throttle';

const MAX_API_KEY_ID_LENGTH = 256;
/** How long a caller waits for Redis before the fallback decides: the contract promises an answer within 20 ms, and the other 10 ms absorb timer jitter on a busy machine. */
export const REDIS_BUDGET_MS = 10;

/**
 * Admission decisions for requests and tokens per minute per API key. The arithmetic runs atomically in Redis
 * (RateLimitRepository); this class validates, maps the buckets to the contract and applies the fallback policy:
 * when Redis fails or does not answer within REDIS_BUDGET_MS, it FAILS OPEN (allowed, degraded).
 */
@Injectable()
export class RateLimitService {
  constructor(
    private readonly repository: RateLimitRepository,
    private readonly metrics: RateLimitMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
    /** Shared with the Redis client's connection-error listener: one Redis warning per 10 s in all. */
    private readonly redisWarnings: WarningThrottle,
  ) {}

  async admit(request: ratelimit.AdmitRequest): Promise<ratelimit.AdmitResponse> {
    const apiKeyId = requireApiKeyId(request.apiKeyId);
    const limits = requireLimits(request.limits);
    const estimatedTokens = request.estimatedTokens ?? 0;
    const stopTimer = this.metrics.admitDuration.startTimer();
    try {
      if (limits.requestsPerMinute === 0 && limits.tokensPerMinute === 0) {
        this.metrics.decisions.inc({ decision: 'allowed' });
        return { allowed: true, requests: toLimitState(0, 0), tokens: toLimitState(0, 0), retryAfterSeconds: 0, degraded: false };
      }
      let outcome;
      try {
        outcome = await withDeadline(this.repository.admit(apiKeyId, limits, estimatedTokens), REDIS_BUDGET_MS);
      } catch (error) {
        this.redisFailed(error);
        this.metrics.decisions.inc({ decision: 'degraded' });
        return {
          allowed: true,
          requests: fullLimitState(limits.requestsPerMinute),
          tokens: fullLimitState(limits.tokensPerMinute),
          retryAfterSeconds: 0,
          degraded: true,
        };
      }
      this.metrics.decisions.inc({ decision: outcome.allowed ? 'allowed' : 'denied' });
      return {
        allowed: outcome.allowed,
        requests: toLimitState(limits.requestsPerMinute, outcome.requestLevel),
        tokens: toLimitState(limits.tokensPerMinute, outcome.tokenLevel),
        retryAfterSeconds: outcome.allowed ? 0 : retryAfterSeconds(outcome.waitSeconds),
        degraded: false,
      };
    } finally {
      stopTimer();
    }
  }

  async settle(request: ratelimit.SettleRequest): Promise<ratelimit.SettleResponse> {
    const apiKeyId = requireApiKeyId(request.apiKeyId);
    const { tokensPerMinute } = requireLimits(request.limits);
    if (tokensPerMinute === 0) return { tokens: toLimitState(0, 0) };
    try {
      const level = await withDeadline(this.repository.settle(apiKeyId, tokensPerMinute, request.tokenDelta ?? 0), REDIS_BUDGET_MS);
      return { tokens: toLimitState(tokensPerMinute, level) };
    } catch (error) {
      // The correction is lost; the bucket refills within a minute anyway, and billing counts the real usage.
      this.redisFailed(error);
      return { tokens: fullLimitState(tokensPerMinute) };
    }
  }

  private redisFailed(error: unknown): void {
    this.metrics.redisFailures.inc();
    if (this.redisWarnings.shouldWarn()) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn({ error: reason }, 'rate limiting degraded: Redis failed or timed out, failing open');
    }
  }
}

function requireApiKeyId(apiKeyId: string | undefined | null): string {
  if (!apiKeyId) throw new GatewayError(ErrorCode.InvalidRequest, 'apiKeyId is required', { param: 'api_key_id' });
  if (apiKeyId.length > MAX_API_KEY_ID_LENGTH) {
    throw new GatewayError(ErrorCode.InvalidRequest, `apiKeyId must be at most ${MAX_API_KEY_ID_LENGTH} characters`, { param: 'api_key_id' });
  }
  return apiKeyId;
}

function requireLimits(limits: ratelimit.Limits | undefined | null): MinuteLimits {
  if (!limits) throw new GatewayError(ErrorCode.InvalidRequest, 'limits is required', { param: 'limits' });
  return { requestsPerMinute: limits.requestsPerMinute ?? 0, tokensPerMinute: limits.tokensPerMinute ?? 0 };
}
