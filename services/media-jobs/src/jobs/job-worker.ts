import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { JobMetrics } from './job-metrics';
import { JobRunner } from './job-runner';
import { MediaJobRepository, OwnedJob } from './media-job.repository';

export const JOB_WORKER_SETTINGS = Symbol('JOB_WORKER_SETTINGS');
export const JOBS_LOGGER = Symbol('JOBS_LOGGER');

export interface JobWorkerSettings {
  workerId?: string;
  claimIntervalMs: number;
  leaseMs: number;
  concurrency: number;
}

/**
 * Takes jobs and runs them. Every JOB_POLL_INTERVAL_MS (and at once when a job is submitted here) it claims as many
 * due jobs as it has room for (JOB_CONCURRENCY): new ones, and those whose owner's lease expired, a crashed
 * replica's included. Each claim gets its own lease token, `<worker id>/<process nonce>.<n>`, which every later write
 * presents: unique even when a restarted process (or a misconfigured twin) has the same worker id.
 *
 * On shutdown it stops claiming, lets each run finish the step it is in (a submission in flight is recorded, not
 * abandoned), then gives back every lease it holds so another replica takes the jobs over at once instead of after
 * JOB_LEASE_MS.
 */
@Injectable()
export class JobWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly workerId: string;
  /** This process's lease tokens all start with it. */
  private readonly tokenPrefix: string;
  private claims = 0;
  private readonly active = new Map<string, Promise<void>>();
  private readonly stop = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private again = false;
  private lastWarning = 0;

  constructor(
    private readonly repo: MediaJobRepository,
    private readonly runner: JobRunner,
    private readonly metrics: JobMetrics,
    @Inject(JOB_WORKER_SETTINGS) private readonly settings: JobWorkerSettings,
    @Inject(JOBS_LOGGER) private readonly logger: Logger,
  ) {
    this.workerId = settings.workerId ?? `${hostname()}:${process.pid}`;
    this.tokenPrefix = `${this.workerId}/${randomBytes(4).toString('hex')}.`;
  }

  onApplicationBootstrap(): void {
    this.logger.info({ workerId: this.workerId, concurrency: this.settings.concurrency }, 'media job worker started');
    void this.tick();
  }

  /** Look for work now (a job was just stored). */
  wake(): void {
    if (this.stop.signal.aborted) return;
    if (this.ticking) this.again = true;
    else void this.tick();
  }

  /** The jobs this worker runs now (for tests and metrics). */
  get running(): number {
    return this.active.size;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop.abort();
    clearTimeout(this.timer);
    await Promise.allSettled(this.active.values());
    try {
      const released = await this.repo.releaseAll(this.tokenPrefix);
      this.logger.info({ released }, 'media job worker stopped; leases given back');
    } catch (error) {
      this.logger.warn({ err: error }, 'could not give back leases; they expire on their own');
    }
  }

  private async tick(): Promise<void> {
    if (this.stop.signal.aborted) return;
    clearTimeout(this.timer);
    this.ticking = true;
    try {
      const room = this.settings.concurrency - this.active.size;
      if (room > 0) {
        const owner = `${this.tokenPrefix}${++this.claims}`;
        const jobs = await this.repo.claim(owner, room, this.settings.leaseMs);
        for (const job of jobs) this.start(job);
      }
    } catch (error) {
      this.metrics.claimErrors.inc();
      if (Date.now() - this.lastWarning > 10_000) {
        this.lastWarning = Date.now();
        this.logger.warn({ err: error }, 'could not claim media jobs (database unavailable?); retrying');
      }
    } finally {
      this.ticking = false;
      if (!this.stop.signal.aborted) {
        if (this.again) {
          this.again = false;
          setImmediate(() => void this.tick());
        } else {
          this.timer = setTimeout(() => void this.tick(), this.settings.claimIntervalMs);
          this.timer.unref();
        }
      }
    }
  }

  private start(job: OwnedJob): void {
    if (this.active.has(job.id)) return;
    if (job.status !== 'QUEUED' || job.submitStartedAt !== null) {
      this.metrics.takenOver.inc();
      this.logger.info({ jobId: job.id, status: job.status, submitted: job.upstreamTaskId !== null }, 'took over a media job another worker had started');
    }
    this.metrics.owned.inc();
    const run = this.runner
      .run(job, this.stop.signal)
      .then((end) => this.metrics.runs.inc({ end }))
      .catch((error: unknown) => {
        // Most likely the database: the lease expires and the job is claimed again (here or elsewhere).
        this.metrics.runs.inc({ end: 'error' });
        this.logger.error({ err: error, jobId: job.id }, 'media job run failed; its lease will expire and it will be taken again');
      })
      .finally(() => {
        this.metrics.owned.dec();
        this.active.delete(job.id);
      });
    this.active.set(job.id, run);
  }
}
