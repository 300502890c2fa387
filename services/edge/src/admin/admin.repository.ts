import { Inject, Injectable } from '@nestjs/common';
import { Prisma, PrismaClient, Tier } from '@apitopmix/platform/prisma';
import { PRISMA } from '../auth/api-key.repository';

export interface NewAccount {
  name: string;
  tier: Tier;
  rpmLimit?: number;
  tpmLimit?: number;
}

export interface NewKey {
  accountId: string;
  name?: string;
  keyHash: string;
  prefix: string;
  allowedModels: string[];
  expiresAt?: Date;
}

const keyFields = {
  id: true,
  accountId: true,
  name: true,
  prefix: true,
  allowedModels: true,
  expiresAt: true,
  revokedAt: true,
  createdAt: true,
  lastUsedAt: true,
} as const;

export type KeyRow = Prisma.ApiKeyGetPayload<{ select: typeof keyFields }>;

/** Accounts and API keys for the admin API. Money never moves here: credits go through billing. */
@Injectable()
export class AdminRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async createAccount(account: NewAccount): Promise<{ id: string }> {
    return this.prisma.account.create({ data: account, select: { id: true } });
  }

  /**
   * Undoes a new account whose initial credit failed, unless the credit did land after all (a ledger row exists:
   * the ledger's foreign key keeps the account). Returns whether the account is gone.
   */
  async deleteAccountWithoutLedger(accountId: string): Promise<boolean> {
    try {
      const { count } = await this.prisma.account.deleteMany({ where: { id: accountId, ledgerEntries: { none: {} } } });
      return count === 1;
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2003') return false;
      throw error;
    }
  }

  async findAccount(accountId: string) {
    return this.prisma.account.findUnique({
      where: { id: accountId },
      select: { id: true, name: true, tier: true, status: true, balanceMicros: true, rpmLimit: true, tpmLimit: true, createdAt: true },
    });
  }

  async createKey(key: NewKey): Promise<KeyRow> {
    return this.prisma.apiKey.create({ data: key, select: keyFields });
  }

  async listKeys(accountId: string): Promise<KeyRow[]> {
    return this.prisma.apiKey.findMany({ where: { accountId }, select: keyFields, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  /**
   * Sets revoked_at once (a second revocation keeps the first moment) and returns what the caches need: the hash.
   * Undefined when there is no such key.
   */
  async revokeKey(keyId: string): Promise<{ accountId: string; keyHash: string; revokedAt: Date; alreadyRevoked: boolean } | undefined> {
    const { count } = await this.prisma.apiKey.updateMany({ where: { id: keyId, revokedAt: null }, data: { revokedAt: new Date() } });
    const key = await this.prisma.apiKey.findUnique({ where: { id: keyId }, select: { accountId: true, keyHash: true, revokedAt: true } });
    if (!key?.revokedAt) return undefined;
    return { accountId: key.accountId, keyHash: key.keyHash, revokedAt: key.revokedAt, alreadyRevoked: count === 0 };
  }
}
