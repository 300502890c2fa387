import { z } from 'zod';

/**
 * One upstream call's usage, created where the usage happened (the `chat` service) with a unique id.
 * Billing settles it into exactly one ledger row: the id is the ledger's idempotency key.
 */
export const usageEventSchema = z.object({
  schema: z.literal('usage.v1'),
  eventId: z.uuid(),
  occurredAt: z.iso.datetime(),
  requestId: z.string().min(1),
  accountId: z.uuid(),
  apiKeyId: z.uuid(),
  model: z.string().min(1),
  provider: z.string().min(1),
  upstreamModel: z.string().min(1),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  /** True when the upstream reported no usage (or was cut off) and the gateway counted. */
  tokensEstimated: z.boolean(),
  /** completed: the upstream finished; cancelled: the client went away; failed: the upstream failed mid-way. */
  outcome: z.enum(['completed', 'cancelled', 'failed']),
  streamed: z.boolean(),
});

export type UsageEvent = z.infer<typeof usageEventSchema>;
