import { randomUUID } from 'node:crypto';
import { createPrismaClient, PrismaClient } from '@apitopmix/platform/prisma';
import { PostgresMediaStore } from '../src/storage/postgres-media-store';

// `npm test` sets TEST_DATABASE_URL (migrated); by hand, the test database `node scripts/infra.mjs up` creates.
const databaseUrl = process.env.TEST_DATABASE_URL ?? `postgresql://apitopmix:apitopmix@127.0.0.1:${process.env.APITOPMIX_PG_PORT ?? '55432'}/apitopmix_test`;

describe('PostgresMediaStore (real Postgres)', () => {
  let prisma: PrismaClient;
  let store: PostgresMediaStore;
  const accountId = randomUUID();

  beforeAll(() => {
    prisma = createPrismaClient(databaseUrl, { poolMax: 2 });
    store = new PostgresMediaStore(prisma);
  });

  afterAll(async () => {
    await prisma.mediaObject.deleteMany({ where: { accountId } });
    await prisma.$disconnect();
  });

  it('keeps the exact bytes and type until the object expires', async () => {
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256));
    const expiresAt = new Date(Date.now() + 60_000);
    const id = await store.put({ accountId, contentType: 'image/png', bytes, expiresAt });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const got = await store.get(id);
    expect(got).toMatchObject({ id, accountId, contentType: 'image/png', expiresAt });
    expect(got!.bytes.equals(bytes)).toBe(true);
    expect(await store.get(id, new Date(expiresAt.getTime() - 1))).toBeDefined();
    expect(await store.get(id, expiresAt)).toBeUndefined();
  });

  it('answers undefined for unknown and malformed ids without asking the database to parse them', async () => {
    expect(await store.get(randomUUID())).toBeUndefined();
    expect(await store.get("x' OR '1'='1")).toBeUndefined();
    expect(await store.get('')).toBeUndefined();
  });

  it('deletes expired objects in bounded batches and leaves live ones', async () => {
    const now = new Date();
    const past = new Date(now.getTime() - 1_000);
    const future = new Date(now.getTime() + 60_000);
    const expired = await Promise.all([1, 2, 3].map(() => store.put({ accountId, contentType: 'image/png', bytes: Buffer.from('x'), expiresAt: past })));
    const live = await store.put({ accountId, contentType: 'image/png', bytes: Buffer.from('y'), expiresAt: future });

    let deleted = 0;
    for (let n = await store.deleteExpired(now, 2); n > 0; n = await store.deleteExpired(now, 2)) {
      expect(n).toBeLessThanOrEqual(2);
      deleted += n;
    }
    expect(deleted).toBeGreaterThanOrEqual(3);
    expect(await prisma.mediaObject.count({ where: { id: { in: expired } } })).toBe(0);
    expect(await store.get(live)).toBeDefined();
  });
});
