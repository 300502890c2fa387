import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * One state change of an asynchronous media job (video, music), published on `media.job-updates.v1` keyed by the
 * job id, so one job's updates stay in order on one partition. Every state change gets exactly one event (written
 * to media-jobs' outbox in the transaction that makes the change); a crash can publish one twice, never zero times.
 * `version` orders a job's updates (1 is `queued`); consumers dedupe by `eventId` or by (`jobId`, `version`).
 *
 * A `succeeded` update carries what was delivered (`usage`): that transition is what bills, once, keyed by the job
 * (see `mediaJobChargeEventId`). A `failed` update costs nothing and frees the credit held for the job.
 */
export const mediaJobUpdateSchema = z
  .object({
    schema: z.literal('media.job-update.v1'),
    eventId: z.uuid(),
    occurredAt: z.iso.datetime(),
    jobId: z.string().min(1),
    version: z.number().int().positive(),
    kind: z.enum(['video', 'music']),
    status: z.enum(['queued', 'in_progress', 'succeeded', 'failed']),
    /** 0–100. */
    progress: z.number().int().min(0).max(100),
    accountId: z.uuid(),
    apiKeyId: z.uuid(),
    /** The submit request's id: also the id of the credit reservation the edge took for the job. */
    requestId: z.string().min(1),
    model: z.string().min(1),
    provider: z.string().min(1),
    upstreamModel: z.string().min(1),
    /** On `succeeded` only: seconds of video delivered (to the millisecond) or music tracks delivered. */
    usage: z.object({ unit: z.enum(['second', 'track']), quantity: z.number().nonnegative() }).optional(),
    /** On `failed` only: why, in words fit for the client. */
    failReason: z.string().optional(),
  })
  .refine((update) => update.status !== 'succeeded' || update.usage !== undefined, { message: 'a succeeded update carries its usage', path: ['usage'] });

export type MediaJobUpdate = z.infer<typeof mediaJobUpdateSchema>;

/** Namespace of the ledger event ids of media jobs (a random UUID fixed once; never change it). */
const MEDIA_JOB_CHARGE_NAMESPACE = '1d3c2f0e-6a0b-4f4e-9b5d-7c0f6e2a9d41';

/**
 * The ledger event id of a job's charge: a UUID v5 of the job id, the same however often the `succeeded` update is
 * published, consumed or replayed, and from whichever replica. The ledger's unique event id does the rest.
 */
export function mediaJobChargeEventId(jobId: string): string {
  return uuidV5(`media-job:${jobId}`, MEDIA_JOB_CHARGE_NAMESPACE);
}

/** RFC 9562 UUID version 5 (SHA-1, name-based). */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new Error(`not a UUID: ${namespace}`);
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
