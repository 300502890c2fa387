// Workaround for @prisma/adapter-pg 6.x's connectToShadowDb(), needed by the Prisma CLI only (`migrate dev`, `diff`).
//
// The adapter creates a temporary database and then connects to it with `{ ...config, database }`, but pg lets a
// `connectionString` override `database`, so the "shadow" connection is the main database: `migrate dev` would replay
// every migration and reset objects there. This module creates the temporary database itself, hands out a connection
// string that really points at it, and drops it (WITH FORCE, PostgreSQL 13+) once Prisma is done.
// The role needs CREATEDB. A killed CLI can leave a `prisma_shadow_*` database behind; the README says how to clean up.
import { randomUUID } from 'node:crypto';
import pg from 'pg';

export const SHADOW_DATABASE_PREFIX = 'prisma_shadow_';

export interface ShadowDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

async function runOnMain(databaseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Points a connection string at another database, keeping host, credentials and query parameters. */
export function withDatabase(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

export async function createShadowDatabase(databaseUrl: string): Promise<ShadowDatabase> {
  // 46 characters of [a-z0-9_]: under PostgreSQL's 63-byte limit, and safe inside double quotes.
  const name = `${SHADOW_DATABASE_PREFIX}${randomUUID().replaceAll('-', '')}`;
  await runOnMain(databaseUrl, `CREATE DATABASE "${name}"`);
  let dropped = false;
  return {
    name,
    url: withDatabase(databaseUrl, name),
    async drop() {
      if (dropped) return;
      dropped = true;
      await runOnMain(databaseUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}
