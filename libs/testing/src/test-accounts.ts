import { randomBytes } from 'node:crypto';
import { apiKeyDisplayPrefix, hashApiKey, PrismaClient } from '@apitopmix/platform/prisma';

export type TestTier = 'FREE' | 'STANDARD' | 'PRO' | 'ENTERPRISE';

/** Creates an account with one key, straight in the database (the admin API belongs to a later issue). */
export async function createTestAccount(
  prisma: PrismaClient,
  options: { tier?: TestTier; balanceMicros?: bigint; allowedModels?: string[]; name?: string; rpmLimit?: number; tpmLimit?: number } = {},
): Promise<{ accountId: string; apiKeyId: string; apiKey: string }> {
  const apiKey = `sk-atm-${randomBytes(36).toString('base64url')}`;
  const account = await prisma.account.create({
    data: {
      name: options.name ?? `test-${randomBytes(4).toString('hex')}`,
      tier: options.tier ?? 'PRO',
      balanceMicros: options.balanceMicros ?? 100_000_000n,
      rpmLimit: options.rpmLimit,
      tpmLimit: options.tpmLimit,
      apiKeys: { create: { keyHash: hashApiKey(apiKey), prefix: apiKeyDisplayPrefix(apiKey), allowedModels: options.allowedModels ?? [] } },
    },
    include: { apiKeys: true },
  });
  return { accountId: account.id, apiKeyId: account.apiKeys[0].id, apiKey };
}

export async function ledgerRows(prisma: PrismaClient, accountId: string) {
  return prisma.ledgerEntry.findMany({ where: { accountId, kind: 'USAGE' }, orderBy: { id: 'asc' } });
}
