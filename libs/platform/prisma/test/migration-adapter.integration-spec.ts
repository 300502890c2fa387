// The Prisma CLI's driver adapter against the real PostgreSQL: both workarounds do their job, and the upstream
// defects they work around are still there (when a "still has the defect" test fails after a Prisma upgrade,
// delete the matching workaround rather than the test's expectation).
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { MigrationPrismaPg } from '../src/migration-adapter.factory';
import { testDatabaseUrl } from './test-database-url';

const url = testDatabaseUrl();
const query = (sql: string) => ({ sql, args: [], argTypes: [] });
// pg_catalog's own column types: name, "char" and name[].
const CATALOG_SQL = `SELECT 'accounts'::name AS a, 'r'::"char" AS b, ARRAY['id','account id']::name[] AS c`;
const TEXT_SQL = `SELECT 'x'::text AS a, 'y'::text AS b, ARRAY['z']::text[] AS c`;

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('MigrationPrismaPg (integration)', () => {
  describe('catalog types (prisma/orm#27403)', () => {
    it('reads name, "char" and name[] columns as text and text[]', async () => {
      const adapter = await new MigrationPrismaPg(url).connect();
      try {
        const text = await adapter.queryRaw(query(TEXT_SQL));
        const result = await adapter.queryRaw(query(CATALOG_SQL));
        expect(result.columnTypes).toEqual(text.columnTypes);
        expect(result.rows).toEqual([['accounts', 'r', ['id', 'account id']]]);
      } finally {
        await adapter.dispose();
      }
    });

    it('does the same inside a transaction, which runs on a dedicated pool client', async () => {
      const adapter = await new MigrationPrismaPg(url).connect();
      try {
        const tx = await adapter.startTransaction();
        // Roll back even when the query fails: dispose() would otherwise wait forever for the checked-out client.
        const result = await tx.queryRaw(query(`SELECT relname FROM pg_class WHERE relname = 'pg_class'`)).finally(() => tx.rollback());
        expect(result.rows).toEqual([['pg_class']]);
      } finally {
        await adapter.dispose();
      }
    });

    it('upstream @prisma/adapter-pg still has the defect', async () => {
      const adapter = await new PrismaPg({ connectionString: url }).connect();
      try {
        await expect(adapter.queryRaw(query(CATALOG_SQL))).rejects.toMatchObject({
          name: 'DriverAdapterError',
          cause: { kind: 'UnsupportedNativeDataType' },
        });
      } finally {
        await adapter.dispose();
      }
    });
  });

  describe('shadow database', () => {
    const mainDatabase = new URL(url).pathname.slice(1);

    it('connects to a separate temporary database and drops it on dispose', async () => {
      const shadow = await new MigrationPrismaPg(url).connectToShadowDb();
      let name: string;
      try {
        const { rows } = await shadow.queryRaw(query('SELECT current_database()::text'));
        name = rows[0][0] as string;
        expect(name).toMatch(/^prisma_shadow_[0-9a-f]{32}$/);
        expect(name).not.toBe(mainDatabase);
        expect(await databaseExists(name)).toBe(true);
      } finally {
        await shadow.dispose();
      }
      expect(await databaseExists(name)).toBe(false);
    });

    it('upstream @prisma/adapter-pg still connects its "shadow" to the main database', async () => {
      // An external pool, because upstream never ends the main-database pool it opens for CREATE DATABASE.
      const pool = new pg.Pool({ connectionString: url });
      const shadow = await new PrismaPg(pool).connectToShadowDb();
      try {
        const { rows } = await shadow.queryRaw(query('SELECT current_database()::text'));
        expect(rows[0][0]).toBe(mainDatabase);
      } finally {
        await shadow.dispose(); // drops the database it created but never used
        await pool.end();
      }
    });
  });
});
