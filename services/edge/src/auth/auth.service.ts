import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { limitsFor, TierLimits } from '@apitopmix/catalog';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { CONFIG, LOGGER } from '@apitopmix/platform/nest';
import { hashApiKey } from '@apitopmix/platform/prisma';
import { EdgeConfig } from '../config/edge.config';
import { ApiKeyRepository, KeyRecord } from './api-key.repository';

export interface Caller {
  apiKeyId: string;
  accountId: string;
  tier: KeyRecord['tier'];
  limits: TierLimits;
  allowedModels: string[];
  /** The account's balance as last read (at most KEY_CACHE_TTL_MS old), ordered by its seq. */
  balance: { balanceMicros: bigint; seq: bigint };
}

/** One message for every key that does not work, so a 401 never tells an unknown key from a revoked one. */
const invalidKey = () => new GatewayError(ErrorCode.InvalidApiKey, 'Invalid API key provided.');

/**
 * Resolves API keys to callers. Answers are cached by key hash for KEY_CACHE_TTL_MS (below the 5 s revocation
 * promise); unknown keys are cached too, so a flood of bad keys does not reach Postgres. If Postgres fails, a
 * key seen recently keeps working from the stale entry rather than failing paid traffic.
 */
@Injectable()
export class AuthService {
  private readonly cache: LRUCache<string, KeyRecord | 'unknown'>;

  constructor(
    private readonly keys: ApiKeyRepository,
    @Inject(CONFIG) config: EdgeConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.cache = new LRUCache<string, KeyRecord | 'unknown'>({
      max: 100_000,
      ttl: config.KEY_CACHE_TTL_MS,
      allowStaleOnFetchRejection: true,
      noDeleteOnFetchRejection: true,
      fetchMethod: async (hash) => (await this.keys.findByHash(hash)) ?? 'unknown',
    });
  }

  async authenticate(rawKey: string | undefined): Promise<Caller> {
    if (!rawKey) throw new GatewayError(ErrorCode.MissingApiKey, 'You did not provide an API key. Send it as "Authorization: Bearer YOUR_API_KEY".');
    let record: KeyRecord | 'unknown' | undefined;
    try {
      record = await this.cache.fetch(hashApiKey(rawKey));
    } catch (error) {
      this.logger.error({ err: error }, 'API key lookup failed');
      throw new GatewayError(ErrorCode.ServiceUnavailable, 'The gateway cannot verify API keys right now. Please retry shortly.');
    }
    if (!record || record === 'unknown' || record.revoked) throw invalidKey();
    if (record.expiresAt && record.expiresAt.getTime() <= Date.now()) throw invalidKey();
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
}
