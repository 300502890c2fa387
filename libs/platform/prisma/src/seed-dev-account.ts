// Local development needs one working account and key without a sign-up flow. This makes sure one exists and that
// the key is in a file only the developer can read; it is safe to call on every start, from several processes at once.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Prisma, PrismaClient } from '@prisma/client';
import { generateApiKey } from './api-key-generator';
import { apiKeyDisplayPrefix, hashApiKey } from './api-key-hash';

export const DEV_ACCOUNT_NAME = 'Development';
export const DEV_ACCOUNT_CREDIT_MICROS = 100_000_000n; // $100
export const DEV_API_KEY_NAME = 'Development key';

// Serialises concurrent seeders (services starting together), so they create one account, not one each.
const SEED_LOCK_ID = 0x61746d5f646576n; // "atm_dev"

export interface EnsureDevAccountOptions {
  /** Where the plain key lives; created with mode 0600 (its folder 0700) when a new key is issued. */
  keyFile: string;
}

export interface DevAccount {
  accountId: string;
  apiKey: string;
  /** True when a new key was issued (and written to keyFile) by this call. */
  created: boolean;
}

type Db = PrismaClient | Prisma.TransactionClient;

/** The credit's ledger event id: deterministic, so the unique index turns a second credit into a no-op. */
export const devCreditEventId = (accountId: string) => `dev-seed:${accountId}:initial-credit`;

async function readKeyFile(keyFile: string): Promise<string | null> {
  try {
    return (await readFile(keyFile, 'utf8')).trim() || null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

// Write-then-rename: a crash never leaves a half-written key, and the mode is set when the file is created.
async function writeKeyFile(keyFile: string, apiKey: string): Promise<void> {
  await mkdir(dirname(keyFile), { recursive: true, mode: 0o700 });
  const temporary = `${keyFile}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${apiKey}\n`, { mode: 0o600, flag: 'wx' });
    await rename(temporary, keyFile);
  } finally {
    await rm(temporary, { force: true });
  }
}

/** The key in keyFile, if the database knows it as unrevoked and unexpired. */
async function usableKeyFromFile(db: Db, keyFile: string): Promise<DevAccount | null> {
  const apiKey = await readKeyFile(keyFile);
  if (!apiKey) return null;
  const row = await db.apiKey.findUnique({
    where: { keyHash: hashApiKey(apiKey) },
    select: { accountId: true, revokedAt: true, expiresAt: true },
  });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= new Date())) return null;
  return { accountId: row.accountId, apiKey, created: false };
}

async function creditOnce(tx: Prisma.TransactionClient, accountId: string): Promise<void> {
  const { count } = await tx.ledgerEntry.createMany({
    data: [
      {
        eventId: devCreditEventId(accountId),
        kind: 'CREDIT',
        accountId,
        amountMicros: DEV_ACCOUNT_CREDIT_MICROS,
        occurredAt: new Date(),
      },
    ],
    skipDuplicates: true,
  });
  // The balance moves only together with the ledger row that explains it.
  if (count === 1) {
    await tx.account.update({ where: { id: accountId }, data: { balanceMicros: { increment: DEV_ACCOUNT_CREDIT_MICROS } } });
  }
}

export async function ensureDevAccount(prisma: PrismaClient, { keyFile }: EnsureDevAccountOptions): Promise<DevAccount> {
  const existing = await usableKeyFromFile(prisma, keyFile);
  if (existing) return existing;

  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK_ID})`;
    // Another seeder may have finished while this one waited for the lock.
    const issuedMeanwhile = await usableKeyFromFile(tx, keyFile);
    if (issuedMeanwhile) return issuedMeanwhile;

    const account =
      (await tx.account.findFirst({ where: { name: DEV_ACCOUNT_NAME }, orderBy: { createdAt: 'asc' }, select: { id: true } })) ??
      (await tx.account.create({ data: { name: DEV_ACCOUNT_NAME, tier: 'PRO' }, select: { id: true } }));
    await creditOnce(tx, account.id);

    const apiKey = generateApiKey();
    await tx.apiKey.create({
      data: { accountId: account.id, name: DEV_API_KEY_NAME, keyHash: hashApiKey(apiKey), prefix: apiKeyDisplayPrefix(apiKey) },
    });
    // Written before commit, under the lock: if the commit fails, the next call sees an unknown key and replaces it.
    await writeKeyFile(keyFile, apiKey);
    return { accountId: account.id, apiKey, created: true };
  });
}
