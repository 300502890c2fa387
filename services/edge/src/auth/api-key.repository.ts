import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@apitopmix/platform/prisma';
import { TierId } from '@apitopmix/catalog';

export const PRISMA = Symbol('PRISMA');

/** What the edge needs to know about a key, read in one query. */
export interface KeyRecord {
  apiKeyId: string;
  accountId: string;
  tier: TierId;
  accountActive: boolean;
  rpmLimit: number | null;
  tpmLimit: number | null;
  allowedModels: string[];
  expiresAt: Date | null;
  revoked: boolean;
  /** The account's balance when the key was read, with its balance_seq: the credit gate's snapshot. */
  balanceMicros: bigint;
  balanceSeq: bigint;
}

@Injectable()
export class ApiKeyRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async findByHash(keyHash: string): Promise<KeyRecord | undefined> {
    const key = await this.prisma.apiKey.findUnique({
      where: { keyHash },
      select: {
        id: true,
        allowedModels: true,
        expiresAt: true,
        revokedAt: true,
        account: { select: { id: true, tier: true, status: true, rpmLimit: true, tpmLimit: true, balanceMicros: true, balanceSeq: true } },
      },
    });
    if (!key) return undefined;
    return {
      apiKeyId: key.id,
      accountId: key.account.id,
      tier: key.account.tier,
      accountActive: key.account.status === 'ACTIVE',
      rpmLimit: key.account.rpmLimit,
      tpmLimit: key.account.tpmLimit,
      allowedModels: key.allowedModels,
      expiresAt: key.expiresAt,
      revoked: key.revokedAt !== null,
      balanceMicros: key.account.balanceMicros,
      balanceSeq: key.account.balanceSeq,
    };
  }
}
