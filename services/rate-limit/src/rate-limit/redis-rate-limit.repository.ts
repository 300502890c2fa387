import { OnModuleDestroy } from '@nestjs/common';
import { createRedis, Redis } from '@apitopmix/platform/redis';
import { AdmitOutcome, MinuteLimits, RateLimitRepository } from './rate-limit.repository';
import { rateLimitScripts } from './rate-limit.lua';

/** The scripts as ioredis commands: defineCommand sends EVAL the first time on each connection, EVALSHA after (EVAL again on NOSCRIPT). */
interface RateLimitCommands {
  rateLimitAdmit(key: string, requestsPerMinute: number, tokensPerMinute: number, estimatedTokens: number): Promise<[number, string, string, number]>;
  rateLimitSettle(key: string, tokensPerMinute: number, tokenDelta: number): Promise<string>;
}

/**
 * The client's own command timeout is only a backstop that reaps replies which never come: the service answers its
 * caller after its 10 ms budget (withDeadline), which, unlike ioredis's timer, does not mistake a reply already in the
 * socket for a timeout when the event loop was busy.
 */
const COMMAND_BACKSTOP_MS = 1_000;

/**
 * Rate-limit state in Redis, one hash per API key, read and written only by the Lua scripts in rate-limit.lua.ts:
 * one script call per Admit or Settle, so the check and the update are atomic across every replica.
 * Failures (Redis down, a Lua error) reject; the service decides the fallback and the latency budget.
 */
export class RedisRateLimitRepository extends RateLimitRepository implements OnModuleDestroy {
  private readonly commands: RateLimitCommands;
  private closing = false;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {
    super();
    redis.defineCommand('rateLimitAdmit', { numberOfKeys: 1, lua: rateLimitScripts.admit });
    redis.defineCommand('rateLimitSettle', { numberOfKeys: 1, lua: rateLimitScripts.settle });
    this.commands = redis as unknown as RateLimitCommands;
  }

  /** A repository on its own fail-fast client (no offline queue); `onConnectionError` receives the client's errors. */
  static connect(url: string, keyPrefix: string, onConnectionError: (error: Error) => void): RedisRateLimitRepository {
    const redis = createRedis(url, { name: 'rate-limit', commandTimeoutMs: COMMAND_BACKSTOP_MS });
    redis.on('error', onConnectionError);
    return new RedisRateLimitRepository(redis, keyPrefix);
  }

  async admit(apiKeyId: string, limits: MinuteLimits, estimatedTokens: number): Promise<AdmitOutcome> {
    this.requireConnection();
    const [allowed, requestLevel, tokenLevel, waitMicros] = await this.commands.rateLimitAdmit(
      this.key(apiKeyId),
      limits.requestsPerMinute,
      limits.tokensPerMinute,
      estimatedTokens,
    );
    return { allowed: allowed === 1, requestLevel: Number(requestLevel), tokenLevel: Number(tokenLevel), waitSeconds: waitMicros / 1e6 };
  }

  async settle(apiKeyId: string, tokensPerMinute: number, tokenDelta: number): Promise<number> {
    this.requireConnection();
    return Number(await this.commands.rateLimitSettle(this.key(apiKeyId), tokensPerMinute, tokenDelta));
  }

  async onModuleDestroy(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }

  /** While the client is (re)connecting, fail at once rather than build a command that can only be rejected. */
  private requireConnection(): void {
    if (this.redis.status !== 'ready') throw new Error(`redis is not connected (${this.redis.status})`);
  }

  private key(apiKeyId: string): string {
    return `${this.keyPrefix}${apiKeyId}`;
  }
}
