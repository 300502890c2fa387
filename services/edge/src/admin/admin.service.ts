import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { limitsFor, ModelCatalog } from '@apitopmix/catalog';
import { ErrorCode, GatewayError, isGatewayError } from '@apitopmix/platform/errors';
import { LOGGER } from '@apitopmix/platform/nest';
import { apiKeyDisplayPrefix, generateApiKey, hashApiKey, Tier } from '@apitopmix/platform/prisma';
import { KeyRevocationService } from '../auth/key-revocation.service';
import { LedgerClient } from '../ledger/ledger.client';
import { parseSince, renderAdminUsage, toUsageReport } from '../ledger/usage-report';
import { money, parseUsd } from '../ledger/usd';
import { AddCreditRequest, CreateAccountRequest, CreateKeyRequest } from './admin-requests';
import { AdminRepository, KeyRow } from './admin.repository';

/** At most $1,000,000,000 per credit: billing's own limit, checked here first for a clear 400. */
const MAX_CREDIT_MICROS = 10n ** 15n;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const noAccount = (accountId: string) => new GatewayError(ErrorCode.NotFound, `No account '${accountId}'.`);

/**
 * What the admin API does. Accounts and keys are written to Postgres here; money moves only through billing
 * (AddCredit), which writes the ledger row and the balance together. A key is returned in full once, at creation:
 * only its SHA-256 and display prefix are stored.
 */
@Injectable()
export class AdminService {
  constructor(
    private readonly repository: AdminRepository,
    private readonly ledger: LedgerClient,
    private readonly revocations: KeyRevocationService,
    private readonly catalog: ModelCatalog,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async createAccount(request: CreateAccountRequest) {
    const tier = request.tier.toUpperCase() as Tier;
    if (tier !== 'ENTERPRISE' && (request.rpmLimit !== undefined || request.tpmLimit !== undefined)) {
      throw GatewayError.invalid(
        'Custom limits (rpmLimit, tpmLimit) are for enterprise accounts; other tiers have their plan limits.',
        request.rpmLimit !== undefined ? 'rpmLimit' : 'tpmLimit',
      );
    }
    const credit = request.creditUsd === undefined ? 0n : this.usd(request.creditUsd, 'creditUsd', true);
    const account = await this.repository.createAccount({ name: request.name, tier, rpmLimit: request.rpmLimit, tpmLimit: request.tpmLimit });
    if (credit > 0n) await this.creditNewAccount(account.id, credit);
    const key = await this.issueKey(account.id, {});
    return {
      accountId: account.id,
      keyId: key.keyId,
      apiKey: key.apiKey,
      name: request.name,
      tier: request.tier,
      limits: limitsFor(tier, request),
      balance: money(credit),
    };
  }

  async getAccount(accountId: string) {
    const account = UUID.test(accountId) ? await this.repository.findAccount(accountId) : null;
    if (!account) throw noAccount(accountId);
    return {
      accountId: account.id,
      name: account.name,
      tier: account.tier.toLowerCase(),
      status: account.status.toLowerCase(),
      limits: limitsFor(account.tier, account),
      balance: money(account.balanceMicros),
      createdAt: account.createdAt.toISOString(),
    };
  }

  async createKey(accountId: string, request: CreateKeyRequest) {
    await this.getAccount(accountId);
    return this.issueKey(accountId, request);
  }

  async listKeys(accountId: string) {
    await this.getAccount(accountId);
    const keys = await this.repository.listKeys(accountId);
    return { accountId, data: keys.map((key) => describeKey(key)) };
  }

  async revokeKey(keyId: string) {
    const revoked = UUID.test(keyId) ? await this.repository.revokeKey(keyId) : undefined;
    if (!revoked) throw new GatewayError(ErrorCode.NotFound, `No API key '${keyId}'.`);
    // After the commit: an edge that reads the key again from now on sees it revoked.
    const broadcast = await this.revocations.announce(revoked.keyHash);
    if (!revoked.alreadyRevoked) this.logger.info({ keyId, accountId: revoked.accountId, broadcast }, 'API key revoked');
    return { keyId, accountId: revoked.accountId, revokedAt: revoked.revokedAt.toISOString(), alreadyRevoked: revoked.alreadyRevoked, broadcast };
  }

  async addCredit(accountId: string, request: AddCreditRequest) {
    if (!UUID.test(accountId)) throw noAccount(accountId);
    const amount = this.usd(request.usd, 'usd', false);
    const idempotencyKey = request.idempotencyKey ?? randomUUID();
    const credit = await this.billing(() => this.ledger.addCredit({ accountId, amountMicros: amount.toString(), idempotencyKey }));
    return {
      accountId,
      credited: money(BigInt(credit.amountMicros)),
      balance: money(BigInt(credit.balanceMicros)),
      idempotencyKey,
      applied: credit.applied,
    };
  }

  async usage(accountId: string, since: unknown) {
    if (!UUID.test(accountId)) throw noAccount(accountId);
    const from = parseSince(since);
    const report = await this.billing(() => this.ledger.getUsage({ accountId, since: from?.toISOString() ?? '' }));
    return renderAdminUsage(toUsageReport(report));
  }

  private async issueKey(accountId: string, request: CreateKeyRequest) {
    const allowedModels = [...new Set(request.allowedModels ?? [])];
    for (const [i, model] of allowedModels.entries()) {
      const entry = this.catalog.find(model);
      if (!entry) throw GatewayError.invalid(`Unknown model '${model}': see GET /v1/models.`, `allowedModels.${i}`);
      allowedModels[i] = entry.id;
    }
    const apiKey = generateApiKey();
    const key = await this.repository.createKey({
      accountId,
      name: request.name,
      keyHash: hashApiKey(apiKey),
      prefix: apiKeyDisplayPrefix(apiKey),
      allowedModels,
      expiresAt: request.expiresAt === undefined ? undefined : new Date(request.expiresAt),
    });
    return { ...describeKey(key), apiKey };
  }

  /**
   * The initial credit of an account created a moment ago. If billing fails, the account is removed again (unless
   * the credit landed after all), so a failed `accounts create` leaves nothing behind and can simply be repeated.
   */
  private async creditNewAccount(accountId: string, amount: bigint): Promise<void> {
    try {
      await this.billing(() => this.ledger.addCredit({ accountId, amountMicros: amount.toString(), idempotencyKey: `account:${accountId}:initial` }));
    } catch (error) {
      const removed = await this.repository.deleteAccountWithoutLedger(accountId).catch(() => false);
      if (removed) throw error;
      this.logger.warn({ accountId, err: (error as Error).message }, 'initial credit reported a failure but its ledger row exists: account kept');
    }
  }

  /** Billing's parameter names are snake_case; the admin API's are camelCase. */
  private async billing<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (isGatewayError(error) && error.code === ErrorCode.InvalidRequest && error.param) {
        throw GatewayError.invalid(
          error.message,
          error.param.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase()),
        );
      }
      throw error;
    }
  }

  private usd(value: string, param: string, zeroAllowed: boolean): bigint {
    const micros = parseUsd(value);
    if (micros === undefined || micros > MAX_CREDIT_MICROS || (!zeroAllowed && micros === 0n)) {
      throw GatewayError.invalid(
        `${param} must be a USD amount like "12.50" (at most 6 decimals, ${zeroAllowed ? '' : 'more than 0, '}at most 1000000000).`,
        param,
      );
    }
    return micros;
  }
}

function describeKey(key: KeyRow) {
  const now = Date.now();
  return {
    keyId: key.id,
    accountId: key.accountId,
    name: key.name,
    prefix: key.prefix,
    allowedModels: key.allowedModels,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    status: key.revokedAt ? 'revoked' : key.expiresAt && key.expiresAt.getTime() <= now ? 'expired' : 'active',
  };
}
