import { z } from 'zod';

/**
 * One upstream call's usage, created where the usage happened (chat, embeddings, media-jobs) with a unique id.
 * Billing settles it into exactly one ledger row: the id is the ledger's idempotency key.
 *
 * Tokens are the default unit (inputTokens/outputTokens). Media is counted in its model's unit instead: `unit` with
 * `quantity` (images delivered, seconds of video to the millisecond, music tracks), and the token counts at 0.
 * Both fields are optional additions, so events written before them still parse (as tokens).
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
  unit: z.enum(['token', 'image', 'second', 'track']).default('token'),
  /** For a unit other than tokens: how many images, seconds or tracks were delivered. */
  quantity: z.number().nonnegative().optional(),
});

export type UsageEvent = z.infer<typeof usageEventSchema>;
