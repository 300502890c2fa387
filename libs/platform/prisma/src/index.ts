// @apitopmix/platform/prisma: the billing schema's client for services. The CLI-only pieces (migration adapter and
// its workarounds) are imported by prisma.config.ts directly and deliberately not exported here.
export { AccountStatus, LedgerKind, MediaJobKind, MediaJobStatus, Prisma, PrismaClient, Tier } from '@prisma/client';
export type { Account, ApiKey, LedgerEntry, MediaJob, MediaJobEvent } from '@prisma/client';
export { createPrismaClient, type PrismaClientOptions } from './prisma-client.factory';
export { API_KEY_DISPLAY_PREFIX_LENGTH, apiKeyDisplayPrefix, hashApiKey } from './api-key-hash';
export { API_KEY_PATTERN, API_KEY_PREFIX, generateApiKey } from './api-key-generator';
export {
  DEV_ACCOUNT_CREDIT_MICROS,
  DEV_ACCOUNT_NAME,
  devCreditEventId,
  ensureDevAccount,
  type DevAccount,
  type EnsureDevAccountOptions,
} from './seed-dev-account';
