import { z } from 'zod';
import { positiveInt } from '@apitopmix/platform/config';

/**
 * The job machinery's settings, spread into media-jobs' configuration schema. Defaults suit real upstreams (a video
 * takes 30–60 s, music 30–120 s); the tests shrink them.
 */
export const jobsEnv = {
  /** This replica's name in lease owners (default: host, pid and a random suffix, unique per process). */
  JOB_WORKER_ID: z
    .string()
    .regex(/^[\w.:-]{1,100}$/, 'letters, digits, ".", ":", "_" and "-" only')
    .optional(),
  /** How often a worker looks for jobs to take (new, or whose owner's lease expired), and the first poll's delay. */
  JOB_POLL_INTERVAL_MS: positiveInt.default(2_000),
  /** The longest wait between two polls of one task (backoff grows to it). */
  JOB_POLL_MAX_INTERVAL_MS: positiveInt.default(10_000),
  /** How long a worker owns a job after its last write; renewed at every poll. */
  JOB_LEASE_MS: positiveInt.default(60_000),
  /** Every call to an upstream task API (submit, poll) ends within this. */
  JOB_UPSTREAM_TIMEOUT_MS: positiveInt.default(15_000),
  /** A job still unfinished this long after it was stored fails (not charged). Below billing's reservation TTL. */
  JOB_DEADLINE_MS: positiveInt.default(20 * 60_000),
  /** Most jobs one worker owns at once. */
  JOB_CONCURRENCY: positiveInt.default(100),
  /** Submissions refused by an unavailable upstream (429, 5xx, no connection) are retried this many times in all. */
  JOB_SUBMIT_MAX_ATTEMPTS: positiveInt.default(5),
  /** How often the outbox of job updates is read for events to publish (also right after every state change). */
  JOB_OUTBOX_INTERVAL_MS: positiveInt.default(500),
};

/**
 * A worker must never lose a lease while it still works on the job: the lease outlasts the longest sleep between
 * two polls plus the longest upstream call plus a margin for the database write.
 */
export function leaseOutlastsAStep(config: { JOB_LEASE_MS: number; JOB_POLL_MAX_INTERVAL_MS: number; JOB_UPSTREAM_TIMEOUT_MS: number }): boolean {
  return config.JOB_LEASE_MS >= config.JOB_POLL_MAX_INTERVAL_MS + config.JOB_UPSTREAM_TIMEOUT_MS + LEASE_MARGIN_MS;
}

/** Time kept between a step's end and the lease's expiry, for the write that renews it. */
export const LEASE_MARGIN_MS = 1_000;

export const jobTimingsRule = {
  check: leaseOutlastsAStep,
  message: `must be at least JOB_POLL_MAX_INTERVAL_MS + JOB_UPSTREAM_TIMEOUT_MS + ${LEASE_MARGIN_MS} ms, so a worker never loses a job it is working on`,
  path: ['JOB_LEASE_MS'],
};

export type JobsConfig = { [K in keyof typeof jobsEnv]: z.infer<(typeof jobsEnv)[K]> };
