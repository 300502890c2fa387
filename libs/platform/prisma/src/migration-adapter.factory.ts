// The driver adapter that prisma.config.ts gives the Prisma CLI's WebAssembly schema engine: @prisma/adapter-pg with
// both CLI-side workarounds applied (catalog types, prisma/orm#27403; and a shadow database that is really separate).
// Services do not use this: they use createPrismaClient().
import { PrismaPg } from '@prisma/adapter-pg';
import { CatalogTypesAsTextClient } from './catalog-type-parsers';
import { createShadowDatabase } from './shadow-database';

type SqlDriverAdapter = Awaited<ReturnType<PrismaPg['connect']>>;

// A pool config rather than a pool: the adapter then owns the pool and ends it on dispose(). The CLI does not always
// dispose the main connection, so allowExitOnIdle lets the process end instead of waiting out pg's 10 s idle timeout.
const poolConfig = (connectionString: string) => ({
  connectionString,
  Client: CatalogTypesAsTextClient,
  max: 4,
  allowExitOnIdle: true,
});

export class MigrationPrismaPg extends PrismaPg {
  constructor(private readonly databaseUrl: string) {
    super(poolConfig(databaseUrl));
  }

  override async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const shadow = await createShadowDatabase(this.databaseUrl);
    let adapter: SqlDriverAdapter;
    try {
      adapter = await new PrismaPg(poolConfig(shadow.url)).connect();
    } catch (error) {
      await shadow.drop();
      throw error;
    }
    // The engine binds dispose() when it receives the adapter, so replacing it on the instance here is enough.
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      try {
        await dispose();
      } finally {
        await shadow.drop();
      }
    };
    return adapter;
  }
}
