// Prisma CLI configuration (picked up from the repository root). Prisma 6.19 runs migrations through its WebAssembly
// schema engine and a driver adapter, so nothing is downloaded; see libs/platform/prisma/README.md for why and for
// the two adapter defects worked around in MigrationPrismaPg.
// Relative imports on purpose: the CLI loads this file without tsconfig path aliases.
import { defineConfig } from 'prisma/config';
import { allowSchemaParsingWithoutDatabaseUrl, requireDatabaseUrl } from './libs/platform/prisma/src/database-url';
import { MigrationPrismaPg } from './libs/platform/prisma/src/migration-adapter.factory';

// `prisma generate` needs no database and must work without DATABASE_URL (see the function's comment).
allowSchemaParsingWithoutDatabaseUrl();

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'libs/platform/prisma/schema.prisma',
  migrations: { path: 'libs/platform/prisma/migrations' },
  // Called only by commands that connect, so the missing-variable error appears exactly when it matters.
  adapter: async () => new MigrationPrismaPg(requireDatabaseUrl()),
});
