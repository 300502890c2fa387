// The one way services get a database client: Prisma Client on the @prisma/adapter-pg driver adapter (pure
// JavaScript, nothing downloaded). The generator's engineType "client" makes the adapter mandatory.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';

export interface PrismaClientOptions {
  /** Connections in this process's pg pool; pg's default is 10. */
  poolMax?: number;
}

export function createPrismaClient(databaseUrl: string, options: PrismaClientOptions = {}): PrismaClient {
  if (!databaseUrl) throw new Error('createPrismaClient: databaseUrl is empty');
  const { poolMax } = options;
  if (poolMax !== undefined && (!Number.isInteger(poolMax) || poolMax < 1)) {
    throw new RangeError(`createPrismaClient: poolMax must be a positive integer, got ${poolMax}`);
  }
  const adapter = new PrismaPg({ connectionString: databaseUrl, ...(poolMax === undefined ? {} : { max: poolMax }) });
  return new PrismaClient({ adapter });
}
