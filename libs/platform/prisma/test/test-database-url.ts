// `npm test` sets TEST_DATABASE_URL after migrating apitopmix_test; running one spec by hand falls back to the test
// database that `node scripts/infra.mjs up` creates.
export function testDatabaseUrl(): string {
  const port = process.env.APITOPMIX_PG_PORT ?? '55432';
  return process.env.TEST_DATABASE_URL ?? `postgresql://apitopmix:apitopmix@127.0.0.1:${port}/apitopmix_test`;
}
