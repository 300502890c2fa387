/** Per-minute limits of one API key; 0 means that dimension is not limited. */
export interface MinuteLimits {
  requestsPerMinute: number;
  tokensPerMinute: number;
}

/** One atomic admission decision. Levels are the buckets' fill after the decision (fractional; 0 for an unlimited dimension). */
export interface AdmitOutcome {
  allowed: boolean;
  requestLevel: number;
  tokenLevel: number;
  /** When denied: seconds (fractional) until both buckets hold enough for this request; 0 when allowed. */
  waitSeconds: number;
}

/**
 * All rate-limit state I/O. The service depends on this abstract class (also its Nest injection token), so unit tests
 * can substitute a fake; RedisRateLimitRepository is the real one.
 */
export abstract class RateLimitRepository {
  /** Takes one request and `estimatedTokens` from the key's buckets if both allow, else takes nothing. */
  abstract admit(apiKeyId: string, limits: MinuteLimits, estimatedTokens: number): Promise<AdmitOutcome>;

  /** Takes `tokenDelta` more tokens (or gives them back when negative); returns the token bucket's level after. */
  abstract settle(apiKeyId: string, tokensPerMinute: number, tokenDelta: number): Promise<number>;
}
