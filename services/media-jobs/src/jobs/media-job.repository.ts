import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { MediaJobUpdate } from '@apitopmix/contracts';
import { ModelCatalog } from '@apitopmix/catalog';
import type { PrismaClient } from '@apitopmix/platform/prisma';

export const JOBS_PRISMA = Symbol('JOBS_PRISMA');
/** The queue this deployment's jobs belong to (its KAFKA_TOPIC_PREFIX): deployments sharing a database stay apart. */
export const JOBS_QUEUE = Symbol('JOBS_QUEUE');

export type JobKind = 'VIDEO' | 'MUSIC';
export type JobStatus = 'QUEUED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';

/** One row of media_jobs. */
export interface JobRecord {
  id: string;
  kind: JobKind;
  accountId: string;
  apiKeyId: string;
  requestId: string;
  model: string;
  provider: string;
  /** Not stored: the catalog's upstream id of `model`. */
  upstreamModel: string;
  status: JobStatus;
  progress: number;
  /** The validated request (VideoJobRequest or MusicJobRequest). */
  request: unknown;
  upstreamTaskId: string | null;
  result: unknown;
  failReason: string | null;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  nextRunAt: Date;
  attempts: number;
  version: number;
  submitStartedAt: Date | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** A job as a worker holds it: the lease token it claimed it with is what every later write must present. */
export interface OwnedJob extends JobRecord {
  leaseOwner: string;
}

export interface NewJob {
  id: string;
  kind: JobKind;
  accountId: string;
  apiKeyId: string;
  requestId: string;
  model: string;
  provider: string;
  upstreamModel: string;
  request: unknown;
}

/** What a success delivered, in the unit its model is priced in. */
export interface JobUsage {
  unit: 'second' | 'track';
  quantity: number;
}

const COLUMNS = `id, kind::text AS kind, account_id::text AS "accountId", api_key_id::text AS "apiKeyId", request_id AS "requestId",
  model, coalesce(provider, '') AS provider, status::text AS status, progress,
  request, upstream_task_id AS "upstreamTaskId", result, fail_reason AS "failReason", lease_owner AS "leaseOwner",
  lease_expires_at AS "leaseExpiresAt", next_run_at AS "nextRunAt", attempts, version, submit_started_at AS "submitStartedAt",
  created_at AS "createdAt", finished_at AS "finishedAt"`;

/** Only a job that is not finished can change, and only through the worker whose lease is current. */
// The lease token is enough: a claim replaces it, so an owner whose lease expired and was taken over matches no more.
const OWNED = `id = $1 AND lease_owner = $2 AND status IN ('QUEUED', 'IN_PROGRESS')`;

const LIVE = `status IN ('QUEUED', 'IN_PROGRESS')`;

/**
 * media_jobs and its outbox, media_job_events. Every state change is one SQL statement that updates the job (if the
 * caller still owns it and it is not finished) and, in the same statement, inserts the event announcing it: the
 * change and its event commit together or not at all. A terminal state (SUCCEEDED, FAILED) is never left: every
 * write requires a live status.
 */
@Injectable()
export class MediaJobRepository {
  constructor(
    @Inject(JOBS_PRISMA) private readonly prisma: PrismaClient,
    private readonly catalog: ModelCatalog,
    @Inject(JOBS_QUEUE) private readonly queue: string,
  ) {}

  /** Stores a new job, QUEUED at version 1, with its first event. */
  async create(job: NewJob): Promise<JobRecord> {
    const eventId = randomUUID();
    const payload = eventPayload({ ...job, version: 1, progress: 0 }, eventId, 'queued');
    const rows = await this.prisma.$queryRawUnsafe<Omit<JobRecord, 'upstreamModel'>[]>(
      `WITH job AS (
         INSERT INTO media_jobs (id, kind, account_id, api_key_id, request_id, model, provider, request, queue, version, next_run_at, updated_at)
         VALUES ($1, $2::media_job_kind, $3::uuid, $4::uuid, $5, $6, $7, $8::jsonb, $11, 1, now(), now())
         RETURNING ${COLUMNS}
       ), event AS (
         INSERT INTO media_job_events (id, job_id, version, queue, payload) SELECT $9::uuid, id, 1, $11, $10::jsonb FROM job
       )
       SELECT * FROM job`,
      job.id,
      job.kind,
      job.accountId,
      job.apiKeyId,
      job.requestId,
      job.model,
      job.provider,
      JSON.stringify(job.request),
      eventId,
      JSON.stringify(payload),
      this.queue,
    );
    return this.complete(rows[0]);
  }

  /** The job if it belongs to the account (another account's job does not exist for it). */
  async findForAccount(id: string, accountId: string): Promise<JobRecord | undefined> {
    const rows = await this.prisma.$queryRawUnsafe<Omit<JobRecord, 'upstreamModel'>[]>(
      `SELECT ${COLUMNS} FROM media_jobs WHERE id = $1 AND account_id = $2::uuid AND queue = $3`,
      id,
      accountId,
      this.queue,
    );
    return rows[0] && this.complete(rows[0]);
  }

  async find(id: string): Promise<JobRecord | undefined> {
    const rows = await this.prisma.$queryRawUnsafe<Omit<JobRecord, 'upstreamModel'>[]>(`SELECT ${COLUMNS} FROM media_jobs WHERE id = $1`, id);
    return rows[0] && this.complete(rows[0]);
  }

  /**
   * Takes up to `limit` live jobs that are due and that nobody holds a current lease on: new ones, and those whose
   * owner stopped renewing (crashed, or cut off from Postgres). `FOR UPDATE SKIP LOCKED` makes concurrent claimers
   * take disjoint sets, and a row updated by another claimer meanwhile is re-checked against the conditions, so two
   * workers never own one job. `owner` is this claim's lease token. Only this deployment's queue is looked at.
   */
  async claim(owner: string, limit: number, leaseMs: number): Promise<OwnedJob[]> {
    const rows = await this.prisma.$queryRawUnsafe<Omit<OwnedJob, 'upstreamModel'>[]>(
      `UPDATE media_jobs SET lease_owner = $1, lease_expires_at = now() + $2::int * interval '1 millisecond', updated_at = now()
       WHERE id IN (
         SELECT id FROM media_jobs
         WHERE queue = $4 AND ${LIVE} AND next_run_at <= now() AND (lease_expires_at IS NULL OR lease_expires_at <= now())
         ORDER BY next_run_at
         LIMIT $3
         FOR UPDATE SKIP LOCKED
       )
       RETURNING ${COLUMNS}`,
      owner,
      leaseMs,
      limit,
      this.queue,
    );
    return rows.map((row) => this.complete(row));
  }

  /** Renews the lease and says when the job is next due; false when the lease was lost or the job is finished. */
  async renew(job: OwnedJob, leaseMs: number, nextRunInMs: number): Promise<boolean> {
    const count = await this.prisma.$executeRawUnsafe(
      `UPDATE media_jobs SET lease_expires_at = now() + $3::int * interval '1 millisecond', next_run_at = now() + $4::int * interval '1 millisecond', updated_at = now()
       WHERE ${OWNED}`,
      job.id,
      job.leaseOwner,
      leaseMs,
      nextRunInMs,
    );
    return count === 1;
  }

  /**
   * Marks that an upstream submission is about to start, with a fresh lease, so it cannot expire before the call
   * ends. Refused (false) when the job was submitted already or a submission may have been made: it must never be
   * submitted twice.
   */
  async markSubmitting(job: OwnedJob, leaseMs: number): Promise<boolean> {
    const rows = await this.prisma.$queryRawUnsafe<{ submitStartedAt: Date }[]>(
      `UPDATE media_jobs SET submit_started_at = now(), lease_expires_at = now() + $3::int * interval '1 millisecond', updated_at = now()
       WHERE ${OWNED} AND upstream_task_id IS NULL AND submit_started_at IS NULL
       RETURNING submit_started_at AS "submitStartedAt"`,
      job.id,
      job.leaseOwner,
      leaseMs,
    );
    if (rows.length === 0) return false;
    job.submitStartedAt = rows[0].submitStartedAt;
    return true;
  }

  /** The submission certainly did not reach the upstream (refused, or never connected): it may be tried again later. */
  async submitNotMade(job: OwnedJob, leaseMs: number, nextRunInMs: number): Promise<boolean> {
    const count = await this.prisma.$executeRawUnsafe(
      `UPDATE media_jobs SET submit_started_at = NULL, attempts = attempts + 1, lease_expires_at = now() + $3::int * interval '1 millisecond',
         next_run_at = now() + $4::int * interval '1 millisecond', updated_at = now()
       WHERE ${OWNED} AND upstream_task_id IS NULL`,
      job.id,
      job.leaseOwner,
      leaseMs,
      nextRunInMs,
    );
    if (count === 1) {
      job.submitStartedAt = null;
      job.attempts += 1;
    }
    return count === 1;
  }

  /** The upstream accepted the task: its id is recorded once, and the job is IN_PROGRESS. */
  async submitted(job: OwnedJob, upstreamTaskId: string, leaseMs: number, nextRunInMs: number): Promise<boolean> {
    return this.transition(job, 'in_progress', {
      set: `upstream_task_id = $5, status = 'IN_PROGRESS', attempts = 0, lease_expires_at = now() + $6::int * interval '1 millisecond',
        next_run_at = now() + $7::int * interval '1 millisecond'`,
      extraWhere: 'AND upstream_task_id IS NULL',
      params: [upstreamTaskId, leaseMs, nextRunInMs],
      apply: (j) => Object.assign(j, { upstreamTaskId, status: 'IN_PROGRESS', attempts: 0 }),
    });
  }

  /** New progress from the upstream (an event), with the lease renewed. */
  async progressed(job: OwnedJob, progress: number, leaseMs: number, nextRunInMs: number): Promise<boolean> {
    return this.transition(job, 'in_progress', {
      set: `progress = $5, status = 'IN_PROGRESS', lease_expires_at = now() + $6::int * interval '1 millisecond', next_run_at = now() + $7::int * interval '1 millisecond'`,
      params: [progress, leaseMs, nextRunInMs],
      apply: (j) => Object.assign(j, { progress, status: 'IN_PROGRESS' }),
    });
  }

  /** SUCCEEDED with the public result; the event carries the usage that bills it. The lease is released. */
  async succeeded(job: OwnedJob, result: unknown, usage: JobUsage): Promise<boolean> {
    return this.transition(job, 'succeeded', {
      set: `status = 'SUCCEEDED', progress = 100, result = $5::jsonb, finished_at = now(), lease_owner = NULL, lease_expires_at = NULL`,
      params: [JSON.stringify(result)],
      usage,
      apply: (j) => Object.assign(j, { status: 'SUCCEEDED', progress: 100, result }),
    });
  }

  /** FAILED with a reason fit for the client; nothing is charged. The lease is released. */
  async failed(job: OwnedJob, reason: string): Promise<boolean> {
    return this.transition(job, 'failed', {
      set: `status = 'FAILED', fail_reason = $5, finished_at = now(), lease_owner = NULL, lease_expires_at = NULL`,
      params: [reason],
      failReason: reason,
      apply: (j) => Object.assign(j, { status: 'FAILED', failReason: reason }),
    });
  }

  /**
   * Gives back every job whose lease token starts with `tokenPrefix` (a worker process's own prefix, at a clean
   * shutdown): another replica may take them at once.
   */
  async releaseAll(tokenPrefix: string): Promise<number> {
    return this.prisma.$executeRawUnsafe(
      `UPDATE media_jobs SET lease_owner = NULL, lease_expires_at = NULL, next_run_at = least(next_run_at, now()), updated_at = now()
       WHERE starts_with(lease_owner, $1) AND ${LIVE}`,
      tokenPrefix,
    );
  }

  private complete<J extends Omit<JobRecord, 'upstreamModel'>>(row: J): J & { upstreamModel: string } {
    return { ...row, upstreamModel: this.catalog.find(row.model)?.upstreamModel ?? row.model };
  }

  /**
   * One state change and its event in one statement: the UPDATE only matches while the caller owns the live job, and
   * the event is inserted only for the row the UPDATE changed, at the version it moved to.
   * Parameters: $1 id, $2 lease token, $3 event id, $4 event payload, then `params` from $5.
   */
  private async transition(
    job: OwnedJob,
    status: MediaJobUpdate['status'],
    change: { set: string; params: unknown[]; extraWhere?: string; usage?: JobUsage; failReason?: string; apply: (job: OwnedJob) => void },
  ): Promise<boolean> {
    const eventId = randomUUID();
    const payload = eventPayload(job, eventId, status, { usage: change.usage, failReason: change.failReason });
    const rows = await this.prisma.$queryRawUnsafe<{ version: number; progress: number }[]>(
      `WITH updated AS (
         UPDATE media_jobs SET ${change.set}, version = version + 1, updated_at = now()
         WHERE ${OWNED} ${change.extraWhere ?? ''}
         RETURNING id, version, progress, queue
       ), event AS (
         INSERT INTO media_job_events (id, job_id, version, queue, payload)
         SELECT $3::uuid, u.id, u.version, u.queue, $4::jsonb || jsonb_build_object('version', u.version, 'progress', u.progress) FROM updated u
       )
       SELECT version, progress FROM updated`,
      job.id,
      job.leaseOwner,
      eventId,
      JSON.stringify(payload),
      ...change.params,
    );
    if (rows.length === 0) return false;
    change.apply(job);
    job.version = rows[0].version;
    return true;
  }
}

/** The event announcing a state change; `version` and `progress` are set from the row the change produced. */
function eventPayload(
  job: Pick<JobRecord, 'id' | 'kind' | 'accountId' | 'apiKeyId' | 'requestId' | 'model' | 'provider' | 'upstreamModel' | 'version' | 'progress'>,
  eventId: string,
  status: MediaJobUpdate['status'],
  extra: { usage?: JobUsage; failReason?: string } = {},
): MediaJobUpdate {
  return {
    schema: 'media.job-update.v1',
    eventId,
    occurredAt: new Date().toISOString(),
    jobId: job.id,
    version: job.version,
    kind: job.kind === 'VIDEO' ? 'video' : 'music',
    status,
    progress: job.progress,
    accountId: job.accountId,
    apiKeyId: job.apiKeyId,
    requestId: job.requestId,
    model: job.model,
    provider: job.provider,
    upstreamModel: job.upstreamModel,
    ...(extra.usage ? { usage: extra.usage } : {}),
    ...(extra.failReason ? { failReason: extra.failReason } : {}),
  };
}
