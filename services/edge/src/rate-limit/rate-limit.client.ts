import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Metadata } from '@grpc/grpc-js';
import { ratelimit } from '@apitopmix/contracts';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { callUnary, createGrpcClient } from '@apitopmix/platform/grpc';
import { CONFIG } from '@apitopmix/platform/nest';
import { EdgeConfig } from '../config/edge.config';
import { Caller } from '../auth/auth.service';

export type Admission = ratelimit.AdmitResponse;

/** The edge's side of the rate-limit service: one long-lived gRPC channel, a tight deadline. */
@Injectable()
export class RateLimitClient implements OnModuleDestroy {
  private readonly client: ratelimit.RateLimitServiceClient;

  constructor(@Inject(CONFIG) private readonly config: EdgeConfig) {
    this.client = createGrpcClient(ratelimit.RateLimitServiceClient, config.RATE_LIMIT_GRPC_URL);
  }

  /** Admits the request or throws 429 carrying the admission (for its headers). */
  async admit(caller: Caller, estimatedTokens: number): Promise<Admission> {
    const admission = await callUnary(
      this.client,
      this.client.admit,
      { apiKeyId: caller.apiKeyId, limits: caller.limits, estimatedTokens },
      this.config.ADMISSION_DEADLINE_MS,
      'rate-limit',
    );
    if (!admission.allowed) throw new RateLimitedError(admission);
    return admission;
  }

  /** Corrects the token reservation with the real usage; nobody waits for it. */
  settle(caller: Caller, tokenDelta: number): void {
    if (tokenDelta === 0) return;
    this.client.settle({ apiKeyId: caller.apiKeyId, limits: caller.limits, tokenDelta }, new Metadata(), { deadline: Date.now() + 1_000 }, () => undefined);
  }

  onModuleDestroy(): void {
    this.client.close();
  }
}

export class RateLimitedError extends GatewayError {
  constructor(readonly admission: Admission) {
    const which = admission.requests && admission.requests.remaining === 0 ? 'requests' : 'tokens';
    super(ErrorCode.RateLimited, `Rate limit reached for ${which} per minute. Retry after ${admission.retryAfterSeconds} s.`, {
      retryAfterSeconds: admission.retryAfterSeconds,
    });
  }
}

/** The spec's five rate-limit headers; resets in whole seconds. */
export function rateLimitHeaders(admission: Admission | undefined): Record<string, string> {
  if (!admission?.requests || !admission.tokens) return {};
  return {
    'x-ratelimit-limit-requests': String(admission.requests.limit),
    'x-ratelimit-remaining-requests': String(admission.requests.remaining),
    'x-ratelimit-reset-requests': String(admission.requests.resetSeconds),
    'x-ratelimit-limit-tokens': String(admission.tokens.limit),
    'x-ratelimit-remaining-tokens': String(admission.tokens.remaining),
  };
}
