import type { ratelimit } from '@apitopmix/contracts';

/**
 * How a bucket's fractional level is reported. A bucket of capacity `limit` refills at limit/60 per second, so:
 *   remaining    = floor(level)
 *   resetSeconds = ceil((limit - level) * 60 / limit), whole seconds until it is full again (0 when full)
 * A limit of 0 means "not limited" and is reported as {limit: 0, remaining: 0, resetSeconds: 0}.
 */
export function toLimitState(limit: number, level: number): ratelimit.LimitState {
  if (limit === 0) return { limit: 0, remaining: 0, resetSeconds: 0 };
  const clamped = Math.min(Math.max(level, 0), limit);
  return {
    limit,
    remaining: Math.floor(clamped),
    resetSeconds: Math.ceil(((limit - clamped) * 60) / limit),
  };
}

/** What the fallback reports while Redis cannot answer: the whole limit, as if the bucket were full. */
export function fullLimitState(limit: number): ratelimit.LimitState {
  return { limit, remaining: limit, resetSeconds: 0 };
}

/** Whole seconds a denied caller should wait: the exact wait rounded up, never less than 1. */
export function retryAfterSeconds(waitSeconds: number): number {
  return Math.max(1, Math.ceil(waitSeconds));
}
