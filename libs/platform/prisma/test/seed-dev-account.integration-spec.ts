// Against the real apitopmix_test database (migrated by `npx prisma migrate deploy`). Removes only the rows of the
// "Development" account, which nothing else in the test suite uses.
import { mkdtemp, readFile, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_KEY_PATTERN, createPrismaClient, DEV_ACCOUNT_NAME, ensureDevAccount, hashApiKey, PrismaClient } from '../src';
import { testDatabaseUrl } from './test-database-url';

const CREDIT = 100_000_000n;

describe('ensureDevAccount (integration)', () => {
  let prisma: PrismaClient;
  let dir: string;
  let keyFile: string;

  async function removeDevAccounts() {
    const accounts = await prisma.account.findMany({ where: { name: DEV_ACCOUNT_NAME }, select: { id: true } });
    const ids = accounts.map((a) => a.id);
    await prisma.ledgerEntry.deleteMany({ where: { accountId: { in: ids } } });
    await prisma.account.deleteMany({ where: { id: { in: ids } } }); // api keys cascade
  }

  async function state(accountId: string) {
    const account = await prisma.account.findUniqueOrThrow({ where: { id: accountId } });
    const credits = await prisma.ledgerEntry.findMany({ where: { accountId, kind: 'CREDIT' } });
    const keys = await prisma.apiKey.findMany({ where: { accountId }, orderBy: { createdAt: 'asc' } });
    const devAccounts = await prisma.account.count({ where: { name: DEV_ACCOUNT_NAME } });
    return { account, credits, keys, devAccounts };
  }

  beforeAll(async () => {
    prisma = createPrismaClient(testDatabaseUrl(), { poolMax: 4 });
  });

  beforeEach(async () => {
    await removeDevAccounts();
    dir = await mkdtemp(join(tmpdir(), 'apitopmix-seed-'));
    keyFile = join(dir, 'nested', 'dev-api-key');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  afterAll(async () => {
    await removeDevAccounts();
    await prisma.$disconnect();
  });

  it('creates a PRO account with $100 credited through one CREDIT ledger row, and a key stored only as its hash', async () => {
    const first = await ensureDevAccount(prisma, { keyFile });

    expect(first.created).toBe(true);
    expect(first.apiKey).toMatch(API_KEY_PATTERN);
    expect((await readFile(keyFile, 'utf8')).trim()).toBe(first.apiKey);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);

    const { account, credits, keys } = await state(first.accountId);
    expect(account).toMatchObject({ name: DEV_ACCOUNT_NAME, tier: 'PRO', status: 'ACTIVE', balanceMicros: CREDIT });
    expect(credits).toHaveLength(1);
    expect(credits[0]).toMatchObject({ amountMicros: CREDIT, eventId: `dev-seed:${first.accountId}:initial-credit` });
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ keyHash: hashApiKey(first.apiKey), prefix: first.apiKey.slice(0, 12), revokedAt: null });
    // The plain key appears nowhere in the row.
    expect(JSON.stringify(keys[0])).not.toContain(first.apiKey.slice(12));
  });

  it('is idempotent: the second call returns the same key and credits nothing', async () => {
    const first = await ensureDevAccount(prisma, { keyFile });
    const second = await ensureDevAccount(prisma, { keyFile });

    expect(second).toEqual({ accountId: first.accountId, apiKey: first.apiKey, created: false });
    const { account, credits, keys, devAccounts } = await state(first.accountId);
    expect(account.balanceMicros).toBe(CREDIT);
    expect(credits).toHaveLength(1);
    expect(keys).toHaveLength(1);
    expect(devAccounts).toBe(1);
  });

  it('replaces a revoked key on the same account without crediting again', async () => {
    const first = await ensureDevAccount(prisma, { keyFile });
    await prisma.apiKey.update({ where: { keyHash: hashApiKey(first.apiKey) }, data: { revokedAt: new Date() } });

    const replaced = await ensureDevAccount(prisma, { keyFile });

    expect(replaced.created).toBe(true);
    expect(replaced.accountId).toBe(first.accountId);
    expect(replaced.apiKey).not.toBe(first.apiKey);
    expect((await readFile(keyFile, 'utf8')).trim()).toBe(replaced.apiKey);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const { account, credits, keys } = await state(first.accountId);
    expect(account.balanceMicros).toBe(CREDIT);
    expect(credits).toHaveLength(1);
    expect(keys.map((k) => k.revokedAt === null)).toEqual([false, true]);
  });

  it('issues a new key when the key file is lost, reusing the account', async () => {
    const first = await ensureDevAccount(prisma, { keyFile });
    await unlink(keyFile);

    const again = await ensureDevAccount(prisma, { keyFile });

    expect(again).toMatchObject({ accountId: first.accountId, created: true });
    expect(again.apiKey).not.toBe(first.apiKey);
    expect((await state(first.accountId)).account.balanceMicros).toBe(CREDIT);
  });

  it('creates one account and one credit when several processes seed at once', async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() => {
        const client = createPrismaClient(testDatabaseUrl(), { poolMax: 2 });
        return ensureDevAccount(client, { keyFile }).finally(() => client.$disconnect());
      }),
    );

    const accountIds = new Set(results.map((r) => r.accountId));
    expect(accountIds.size).toBe(1);
    // The first seeder issues the key; the others wait for its lock and then find it.
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.apiKey)).size).toBe(1);
    const { account, credits, devAccounts } = await state(results[0].accountId);
    expect(devAccounts).toBe(1);
    expect(credits).toHaveLength(1);
    expect(account.balanceMicros).toBe(CREDIT);
  });
});
