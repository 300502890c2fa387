// Fault rules: test-controlled failures the sandbox injects into matching provider requests (HTTP errors, hung
// connections, streams broken halfway, unparseable bodies), so the gateway's retries, fallbacks and timeouts can be
// proven against every wire format. Pure data and matching here; each format renders a fault in its own shape.
import { z } from 'zod';
import { WIRE_FORMATS, type WireFormat } from './wire-format';

/** A deployment is the `<name>` of a `/d/<name>/...` path prefix. */
export const DEPLOYMENT_NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

const faultMatchSchema = z.strictObject({
  /** The model id exactly as the request names it (body `model`, or the Gemini path segment). */
  model: z.string().min(1).optional(),
  deployment: z.string().regex(DEPLOYMENT_NAME_PATTERN, 'expected a deployment name ([A-Za-z0-9._-]{1,64})').optional(),
  format: z.enum(WIRE_FORMATS).optional(),
});

const common = {
  match: faultMatchSchema.optional(),
  /** How many matching requests the rule applies to; absent means every one. */
  times: z.number().int().min(1).optional(),
};
const afterChunks = z.number().int().min(0).max(100_000).optional();
const httpErrorStatus = z.number().int().min(400).max(599);

export const faultRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    ...common,
    kind: z.literal('status'),
    status: httpErrorStatus,
    /** Sent as the `Retry-After` header (seconds). */
    retryAfterSeconds: z.number().int().min(0).max(86_400).optional(),
  }),
  z.strictObject({
    ...common,
    kind: z.literal('timeout'),
    /** Streams only: send this many events, then stall with the connection open. Absent: no headers at all. */
    afterChunks,
  }),
  z.strictObject({
    ...common,
    kind: z.literal('midstream'),
    /** Events sent before the error (default 1). */
    afterChunks,
    /** The error's status for the format's error type (default: 500, Anthropic 529 overloaded). */
    status: z.number().int().min(400).max(599).optional(),
  }),
  z.strictObject({
    ...common,
    kind: z.literal('garbage'),
    /** Streams only: valid events sent before the garbage (default 0). */
    afterChunks,
  }),
]);

export type FaultRule = z.infer<typeof faultRuleSchema>;
export type FaultKind = FaultRule['kind'];

/** A rule as the sandbox keeps it: how many more requests it will hit (null = unlimited) and how many it did. */
export type FaultState = FaultRule & { remaining: number | null; applied: number };

export interface FaultTarget {
  format: WireFormat;
  model: string | undefined;
  deployment: string | null;
}

export function toFaultState(rule: FaultRule): FaultState {
  return { ...rule, remaining: rule.times ?? null, applied: 0 };
}

export function faultMatches(fault: FaultState, target: FaultTarget): boolean {
  const match = fault.match ?? {};
  if (match.format !== undefined && match.format !== target.format) return false;
  if (match.model !== undefined && match.model !== target.model) return false;
  if (match.deployment !== undefined && match.deployment !== target.deployment) return false;
  return true;
}

/**
 * The first live rule matching the request, spent by one use. Rules are tried in the order they were set, so a
 * specific rule placed before a general one wins.
 */
export function takeFault(faults: FaultState[], target: FaultTarget): FaultState | undefined {
  const fault = faults.find((candidate) => candidate.remaining !== 0 && faultMatches(candidate, target));
  if (!fault) return undefined;
  if (fault.remaining !== null) fault.remaining -= 1;
  fault.applied += 1;
  return fault;
}
