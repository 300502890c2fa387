import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { topicName, topics } from '@apitopmix/contracts';
import { ensureTopics, Kafka, Producer } from '@apitopmix/platform/kafka';
import type { PrismaClient } from '@apitopmix/platform/prisma';
import { JobMetrics } from './job-metrics';
import { JOBS_LOGGER } from './job-worker';
import { JOBS_PRISMA, JOBS_QUEUE } from './media-job.repository';

export const JOBS_KAFKA = Symbol('JOBS_KAFKA');
export const RELAY_SETTINGS = Symbol('RELAY_SETTINGS');

export interface RelaySettings {
  topicPrefix: string;
  intervalMs: number;
}

const BATCH = 500;
/** A publication (Kafka's acknowledgement included) must end within this, or it is abandoned and retried. */
const SEND_DEADLINE_MS = 10_000;
/** Published events are kept this long (for inspection), then deleted. */
const KEEP_PUBLISHED_MS = 7 * 24 * 3_600_000;

/**
 * Publishes the outbox (media_job_events) to `media.job-updates.v1`: in one transaction, under an advisory lock
 * (one relay of a deployment at a time, so a job's updates stay in version order), it reads the oldest unpublished
 * events of this deployment's queue, sends them (acks from all in-sync replicas, key = job id) and marks them
 * published. A crash or a failed commit after Kafka acknowledged sends them again: consumers dedupe by event id
 * (billing by the job's charge id). Nothing committed in Postgres is ever lost, whichever replica dies: any
 * replica's relay publishes any job's events. Kafka away: events wait in the table, retried every interval.
 */
@Injectable()
export class JobUpdateRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly topic: string;
  private readonly producer: Producer;
  private connected: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private busy = false;
  private again = false;
  private stopped = false;
  private lastCleanup = 0;
  private lastWarning = 0;

  constructor(
    @Inject(JOBS_PRISMA) private readonly prisma: PrismaClient,
    @Inject(JOBS_QUEUE) private readonly queue: string,
    @Inject(JOBS_KAFKA) private readonly kafka: Kafka,
    @Inject(RELAY_SETTINGS) private readonly settings: RelaySettings,
    private readonly metrics: JobMetrics,
    @Inject(JOBS_LOGGER) private readonly logger: Logger,
  ) {
    this.topic = topicName(topics.mediaJobUpdates, settings.topicPrefix);
    this.producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 2_000 } });
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  /** Publish now (a state change was just committed). */
  wake(): void {
    if (this.stopped) return;
    if (this.busy) this.again = true;
    else this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    // One last round for what this replica's final writes left (bounded by the send deadline).
    await this.publishOnce().catch(() => undefined);
    await this.producer.disconnect().catch(() => undefined);
  }

  /** Publishes one batch; returns how many events it published (0: none waiting, or another relay is at it). */
  async publishOnce(): Promise<number> {
    await this.connect();
    const published = await this.prisma.$transaction(
      async (tx) => {
        // One relay of this deployment publishes at a time, so each job's updates reach the topic in version order.
        const [{ locked }] = await tx.$queryRawUnsafe<{ locked: boolean }[]>(
          `SELECT pg_try_advisory_xact_lock(hashtext('media_job_events:' || $1)) AS locked`,
          this.queue,
        );
        if (!locked) return 0;
        const rows = await tx.$queryRawUnsafe<{ id: string; jobId: string; payload: unknown }[]>(
          `SELECT id::text AS id, job_id AS "jobId", payload FROM media_job_events
           WHERE queue = $1 AND published_at IS NULL ORDER BY created_at, job_id, version LIMIT ${BATCH}`,
          this.queue,
        );
        if (rows.length === 0) return 0;
        await deadline(
          this.producer.send({ topic: this.topic, acks: -1, messages: rows.map((row) => ({ key: row.jobId, value: JSON.stringify(row.payload) })) }),
          SEND_DEADLINE_MS,
        );
        await tx.$executeRawUnsafe(
          'UPDATE media_job_events SET published_at = now() WHERE id = ANY($1::uuid[])',
          rows.map((row) => row.id),
        );
        return rows.length;
      },
      { maxWait: 5_000, timeout: SEND_DEADLINE_MS + 5_000 },
    );
    this.metrics.eventsPublished.inc(published);
    if (Date.now() - this.lastCleanup > 3_600_000) {
      this.lastCleanup = Date.now();
      await this.prisma.$executeRawUnsafe(`DELETE FROM media_job_events WHERE published_at < now() - $1::int * interval '1 millisecond'`, KEEP_PUBLISHED_MS);
    }
    return published;
  }

  private connect(): Promise<void> {
    this.connected ??= (async () => {
      await ensureTopics(this.kafka, [this.topic]);
      await this.producer.connect();
    })().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    return this.connected;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.round();
    }, ms);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    if (this.stopped) return;
    this.busy = true;
    let next = this.settings.intervalMs;
    try {
      // A full batch means more are waiting: go on at once.
      if ((await this.publishOnce()) === BATCH) next = 0;
    } catch (error) {
      this.metrics.publishErrors.inc();
      // Once every 10 s at most while it lasts; the counter has every failure.
      if (Date.now() - this.lastWarning > 10_000) {
        this.lastWarning = Date.now();
        this.logger.warn({ err: error }, 'job updates not published (Kafka or Postgres unavailable); they wait in the outbox, retrying');
      }
      next = Math.max(next, 1_000);
    } finally {
      this.busy = false;
    }
    if (this.stopped) return;
    if (this.again) {
      this.again = false;
      next = 0;
    }
    this.schedule(next);
  }
}

function deadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Kafka did not acknowledge within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
