import { z } from 'zod';
import { GatewayError } from '@apitopmix/platform/errors';

// The admin API's request bodies. Unknown fields are refused, so a misspelt option fails loudly instead of being
// ignored. Money is a decimal string, converted exactly (ledger/usd.ts); a JSON number is refused.

const usd = z.string({ error: 'must be a decimal string of USD, e.g. "12.50"' });
const limit = z.number().int().positive().max(1_000_000_000);

export const createAccountSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  tier: z.enum(['free', 'standard', 'pro', 'enterprise']),
  /** Initial credit in USD; 0 when absent. */
  creditUsd: usd.optional(),
  /** Custom limits: enterprise accounts only. */
  rpmLimit: limit.optional(),
  tpmLimit: limit.optional(),
});

export const createKeySchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  /** ISO 8601; a moment in the past is allowed (the key is then expired from the start). */
  expiresAt: z.iso.datetime({ offset: true, local: false }).or(z.iso.date()).optional(),
  /** Model ids the key may call; absent or empty: every model. */
  allowedModels: z.array(z.string().min(1).max(200)).max(500).optional(),
});

export const addCreditSchema = z.strictObject({
  usd,
  /** The same key credits once (retry-safe); a random one when absent. */
  idempotencyKey: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1 to 128 characters of letters, digits, "_", ".", ":" and "-"')
    .optional(),
});

export type CreateAccountRequest = z.infer<typeof createAccountSchema>;
export type CreateKeyRequest = z.infer<typeof createKeySchema>;
export type AddCreditRequest = z.infer<typeof addCreditSchema>;

/** Parses a body, or throws 400 naming the first field at fault. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const param = unknownKey ?? (issue.path.join('.') || undefined);
  const message = unknownKey ? `Unknown field '${unknownKey}'.` : param ? `${param}: ${issue.message}` : `The body must be a JSON object: ${issue.message}`;
  throw GatewayError.invalid(message, param);
}
