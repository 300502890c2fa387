import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { limitsFor, TierLimits } from '@apitopmix/catalog';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { Counter } from '@apitopmix/platform/metrics';
import { CONFIG, LOGGER, METRICS } from '@apitopmix/platform/nest';
import { hashApiKey } from '@apitopmix/platform/prisma';
import { EdgeConfig } from '../config/edge.config';
import { ApiKeyRepository, KeyRecord } from './api-key.repository';
import { KeyCache } from './key-cache';

export interface Caller {
  apiKeyId: string;
  accountId: string;
  tier: KeyRecord['tier'];
  limits: TierLimits;
  allowedModels: string[];
  /** The account's balance as last read (at most KEY_CACHE_TTL_MS old), ordered by its seq. */
  balance: { balanceMicros: bigint; seq: bigint };
}

/**
 * One error for every key that does not work (unknown, revoked, expired), thrown from one place: the 401 bodies
 * are byte-identical, so a caller cannot tell which it was.
 */
const invalidKey = () => new GatewayError(ErrorCode.InvalidApiKey, 'Invalid API key provided.');

/**
 * The revocation promise: a revoked key stops working on every edge within this long. No request is ever admitted
 * on a key record whose database read began longer ago than this.
 */
export const REVOCATION_BOUND_MS = 5_000;

/**
 * Resolves API keys to callers. Answers are cached by key hash for KEY_CACHE_TTL_MS (≤ 4 s); unknown keys are
 * cached too, so a flood of bad keys does not reach Postgres. A revocation broadcast evicts an entry at once
 * (`forget`). If Postgres fails, an entry keeps answering only while its read began less than REVOCATION_BOUND_MS
 * ago; after that the key gets 503 until Postgres answers. Reads time out after KEY_LOOKUP_TIMEOUT_MS (≤ 3 s), so a
 * slow read cannot admit a request on a snapshot older than the bound either.
 */
@Injectable()
export class AuthService {
  private readonly cache: KeyCache<KeyRecord | 'unknown'>;
  private readonly staleAnswers: Counter;

  constructor(
    private readonly keys: ApiKeyRepository,
    @Inject(CONFIG) private readonly config: EdgeConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) metrics: Registry,
  ) {
    this.cache = new KeyCache({ ttlMs: config.KEY_CACHE_TTL_MS, staleLimitMs: REVOCATION_BOUND_MS, max: 100_000 });
    this.staleAnswers = new Counter({
      name: 'edge_key_cache_stale_answers_total',
      help: 'API keys answered from an expired cache entry because Postgres failed (each at most 5 s after its read)',
      registers: [metrics],
    });
  }

  async authenticate(rawKey: string | undefined): Promise<Caller> {
    if (!rawKey) throw new GatewayError(ErrorCode.MissingApiKey, 'You did not provide an API key. Send it as "Authorization: Bearer YOUR_API_KEY".');
    let record: KeyRecord | 'unknown';
    try {
      const answer = await this.cache.get(hashApiKey(rawKey), (hash) => this.read(hash));
      if (answer.stale) this.staleAnswers.inc();
      record = answer.value;
    } catch (error) {
      this.logger.error({ err: error }, 'API key lookup failed');
      throw new GatewayError(ErrorCode.ServiceUnavailable, 'The gateway cannot verify API keys right now. Please retry shortly.');
    }
    if (record === 'unknown' || record.revoked) throw invalidKey();
    if (record.expiresAt && record.expiresAt.getTime() <= Date.now()) throw invalidKey();
    // A suspended account's key is still a real key held by its owner: 403 tells them why (see README's errors).
    if (!record.accountActive) throw new GatewayError(ErrorCode.PermissionDenied, 'This account is suspended.');
    return {
      apiKeyId: record.apiKeyId,
      accountId: record.accountId,
      tier: record.tier,
      limits: limitsFor(record.tier, record),
      allowedModels: record.allowedModels,
      balance: { balanceMicros: record.balanceMicros, seq: record.balanceSeq },
    };
  }

  /** Drops a key's cached answer at once (a revocation, here or broadcast by another edge). */
  forget(keyHash: string): void {
    this.cache.evict(keyHash);
  }

  /** Whether the key's allow-list (empty: every model) includes the model. */
  isModelAllowed(caller: Caller, model: string): boolean {
    return caller.allowedModels.length === 0 || caller.allowedModels.includes(model);
  }

  /** 403 when the key's allow-list does not include the model. */
  assertModelAllowed(caller: Caller, model: string): void {
    if (!this.isModelAllowed(caller, model)) {
      throw new GatewayError(ErrorCode.PermissionDenied, `This API key is not allowed to use the model '${model}'.`, { param: 'model' });
    }
  }

  /** One database read, abandoned after KEY_LOOKUP_TIMEOUT_MS. */
  private async read(keyHash: string): Promise<KeyRecord | 'unknown'> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`API key lookup took longer than ${this.config.KEY_LOOKUP_TIMEOUT_MS} ms`)), this.config.KEY_LOOKUP_TIMEOUT_MS);
    });
    try {
      return (await Promise.race([this.keys.findByHash(keyHash), timeout])) ?? 'unknown';
    } finally {
      clearTimeout(timer);
    }
  }
}
