import type { Logger } from 'pino';
import { ErrorCode, isGatewayError } from '@apitopmix/platform/errors';
import { neverReachedUpstream, upstreamStatusOf } from '@apitopmix/providers/core';
import { backoffDelay } from './job-backoff';
import type { MediaJobRepository, OwnedJob } from './media-job.repository';
import type { MediaUpstreamSource } from './media-upstreams';

export interface RunnerSettings {
  pollIntervalMs: number;
  pollMaxIntervalMs: number;
  leaseMs: number;
  deadlineMs: number;
  submitMaxAttempts: number;
}

export interface RunnerClock {
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  random(): number;
}

export type RunEnd = 'succeeded' | 'failed' | 'lost' | 'stopped';

type JobWrites = Pick<MediaJobRepository, 'renew' | 'markSubmitting' | 'submitNotMade' | 'submitted' | 'progressed' | 'succeeded' | 'failed'>;

/** Why a job failed, in words for the client. None of these is charged. */
export const FAIL_REASONS = {
  deadline: 'The job did not finish within its deadline. Nothing was charged.',
  unconfirmed: 'The upstream provider did not confirm the submission, so the job was stopped rather than risk generating it twice. Nothing was charged.',
  unavailable: 'The upstream provider stayed unavailable. Nothing was charged.',
  lost: 'The upstream provider no longer knows the task. Nothing was charged.',
} as const;

/** How many polls in a row may answer "no such task" before the job fails: one could be an upstream hiccup. */
const NOT_FOUND_LIMIT = 3;

/**
 * Drives one owned job to its end: submit once, then poll with backoff until the upstream says succeeded or failed,
 * renewing the lease with every write. Each write succeeds only while this worker still owns the live job; when one
 * does not, another worker has it (or it ended) and this run stops without touching it again.
 *
 * Exactly once upstream: before calling the upstream's submit the job is marked (`submit_started_at`, with a fresh
 * lease that outlasts the call); the task id is recorded right after. A job found marked but without a task id was
 * being submitted by a worker that died or lost it mid-call: the upstream may or may not have the task, and neither
 * API takes an idempotency key, so the job fails (not charged) instead of being submitted a second time. Failures
 * that certainly created nothing (a refused connection, 429, 500, 503) are retried with backoff, up to
 * JOB_SUBMIT_MAX_ATTEMPTS; other 4xx answers fail the job with the upstream's reason.
 */
export class JobRunner {
  constructor(
    private readonly repo: JobWrites,
    private readonly upstreams: MediaUpstreamSource,
    private readonly settings: RunnerSettings,
    private readonly clock: RunnerClock,
    private readonly logger: Logger,
    /** Called after each state change (a new event waits in the outbox). */
    private readonly changed: () => void = () => undefined,
  ) {}

  async run(job: OwnedJob, stop: AbortSignal): Promise<RunEnd> {
    let quietPolls = 0;
    let failures = 0;
    let notFound = 0;
    while (!stop.aborted) {
      if (this.clock.now() - job.createdAt.getTime() > this.settings.deadlineMs) return this.fail(job, FAIL_REASONS.deadline);

      if (job.upstreamTaskId === null) {
        const step = await this.submit(job);
        if (step !== 'continue') return step;
        await this.clock.sleep(job.upstreamTaskId === null ? this.retryDelay(job.attempts) : this.settings.pollIntervalMs, stop);
        continue;
      }

      let state;
      try {
        state = await this.upstreams.forJob(job).fetch(job, job.upstreamTaskId, stop);
      } catch (error) {
        if (stop.aborted) break;
        failures += 1;
        notFound = isGatewayError(error) && error.code === ErrorCode.NotFound ? notFound + 1 : 0;
        if (notFound >= NOT_FOUND_LIMIT) return this.fail(job, FAIL_REASONS.lost);
        this.logger.warn({ jobId: job.id, err: describe(error), failures }, 'polling the upstream failed; retrying with backoff');
        const delay = this.retryDelay(failures);
        if (!(await this.repo.renew(job, this.settings.leaseMs, delay))) return 'lost';
        await this.clock.sleep(delay, stop);
        continue;
      }
      failures = 0;
      notFound = 0;

      if (state.status === 'succeeded') {
        const done = await this.repo.succeeded(job, state.result.result, state.result.usage);
        if (done) this.changed();
        return done ? 'succeeded' : 'lost';
      }
      if (state.status === 'failed') return this.fail(job, state.reason);

      // Progress never goes backwards; a job the upstream has is IN_PROGRESS.
      const progress = Math.max(job.progress, Math.min(99, state.progress ?? job.progress));
      const news = progress !== job.progress || job.status !== 'IN_PROGRESS';
      quietPolls = news ? 0 : quietPolls + 1;
      const delay = backoffDelay(quietPolls, this.settings.pollIntervalMs, this.settings.pollMaxIntervalMs, this.clock.random);
      const kept = news ? await this.repo.progressed(job, progress, this.settings.leaseMs, delay) : await this.repo.renew(job, this.settings.leaseMs, delay);
      if (!kept) return 'lost';
      if (news) this.changed();
      await this.clock.sleep(delay, stop);
    }
    return 'stopped';
  }

  /** One submission attempt. 'continue' means: go on with the job (submitted, or to be retried later). */
  private async submit(job: OwnedJob): Promise<RunEnd | 'continue'> {
    if (job.submitStartedAt !== null) {
      this.logger.warn({ jobId: job.id }, 'job taken over mid-submission: the upstream may have the task; failing it rather than submitting twice');
      return this.fail(job, FAIL_REASONS.unconfirmed);
    }
    if (job.attempts >= this.settings.submitMaxAttempts) return this.fail(job, FAIL_REASONS.unavailable);
    if (!(await this.repo.markSubmitting(job, this.settings.leaseMs))) return 'lost';

    let taskId: string;
    try {
      // Not abortable by a shutdown: an abandoned call would leave the submission unconfirmed.
      taskId = await this.upstreams.forJob(job).submit(job);
    } catch (error) {
      const kind = classifySubmitFailure(error);
      this.logger.warn({ jobId: job.id, err: describe(error), outcome: kind }, 'upstream submission failed');
      if (kind === 'rejected') return this.fail(job, isGatewayError(error) ? error.message : FAIL_REASONS.unavailable);
      if (kind === 'unconfirmed') return this.fail(job, FAIL_REASONS.unconfirmed);
      return (await this.repo.submitNotMade(job, this.settings.leaseMs, this.retryDelay(job.attempts + 1))) ? 'continue' : 'lost';
    }

    // The task exists upstream now: record its id, retrying a failing database within the lease.
    const recorded = await this.persist(() => this.repo.submitted(job, taskId, this.settings.leaseMs, this.settings.pollIntervalMs));
    if (!recorded) {
      this.logger.error({ jobId: job.id, upstreamTaskId: taskId }, 'upstream task created but the job could not be updated: it will fail as unconfirmed');
      return 'lost';
    }
    this.changed();
    return 'continue';
  }

  private async fail(job: OwnedJob, reason: string): Promise<RunEnd> {
    const done = await this.repo.failed(job, reason);
    if (done) this.changed();
    return done ? 'failed' : 'lost';
  }

  private retryDelay(attempt: number): number {
    return backoffDelay(attempt, this.settings.pollIntervalMs, this.settings.pollMaxIntervalMs, this.clock.random);
  }

  /** A write retried while the database fails, for at most half a lease. */
  private async persist(write: () => Promise<boolean>): Promise<boolean> {
    const giveUpAt = this.clock.now() + this.settings.leaseMs / 2;
    for (let attempt = 0; ; attempt++) {
      try {
        return await write();
      } catch (error) {
        if (this.clock.now() >= giveUpAt) throw error;
        this.logger.warn({ err: describe(error), attempt }, 'database write failed; retrying');
        await this.clock.sleep(Math.min(1_000, 100 * 2 ** attempt), new AbortController().signal);
      }
    }
  }
}

/**
 * What a failed submission means:
 * - `retry`: certainly no task was created (the connection was never made; 429, 500, 503 answers).
 * - `rejected`: the upstream answered that it will not do it (a 4xx, a refusal in a 2xx envelope).
 * - `unconfirmed`: it may have been created (a timeout, a connection cut after the request was written, another
 *   5xx from something in front of the upstream, an unreadable 2xx).
 */
export function classifySubmitFailure(error: unknown): 'retry' | 'rejected' | 'unconfirmed' {
  const status = upstreamStatusOf(error);
  if (status !== undefined) {
    if (status === 429 || status === 500 || status === 503) return 'retry';
    return status >= 500 ? 'unconfirmed' : 'rejected';
  }
  if (isGatewayError(error) && error.code === ErrorCode.UpstreamRejected) return 'rejected';
  return neverReachedUpstream(error) ? 'retry' : 'unconfirmed';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
