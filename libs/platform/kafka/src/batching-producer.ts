import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { DurableSpool, SpoolEntry } from './durable-spool';
import type { OutgoingMessage } from './outgoing-message';
import { encodeSpoolLine } from './spool-line';

export type { OutgoingMessage } from './outgoing-message';

export interface BatchingProducerOptions {
  /** Longest an event waits for companions before its batch is written to the spool and sent. */
  lingerMs?: number;
  maxBatch?: number;
  /**
   * Most events held in memory only (no spool, or the spool full or failing) while Kafka is unreachable; past it,
   * `enqueue` refuses. Events in the spool do not count: they are bounded by `maxSpoolBytes`.
   */
  maxQueued?: number;
  /**
   * A directory only this process uses: every event is written there before it is sent, and stays until Kafka
   * acknowledged it, so a crash or a long outage loses nothing. Without it, events live in memory only.
   */
  spoolDir?: string;
  /** Most bytes the spool may hold on disk (default 256 MiB); past it, new events are kept in memory only. */
  maxSpoolBytes?: number;
  /** Size and age at which a spool segment file is closed and a new one started (default 8 MiB, 5 s). */
  spoolSegmentBytes?: number;
  spoolSegmentMaxAgeMs?: number;
  /** Longest `disconnect` keeps sending before it leaves the rest in the spool (default 5 s). */
  shutdownTimeoutMs?: number;
  logger?: Logger;
}

/** Monotonic counters and current levels, for metrics. */
export interface BatchingProducerStats {
  /** Accepted and not yet acknowledged by Kafka. */
  queued: number;
  spoolBytes: number;
  spoolSegments: number;
  /** Events accepted into memory only although a spool is configured (spool full or failing): lost on a crash. */
  unspooled: number;
  /** Events `enqueue` refused (memory bound reached, or the producer closed). */
  dropped: number;
  /** Events lost because a spool file could not be read back. */
  unreadable: number;
}

/**
 * Sends events off the request path: `enqueue` returns at once, batches leave every `lingerMs`, acknowledged by
 * all in-sync replicas. Events that fail stay queued, in order, and are retried with backoff.
 *
 * With `spoolDir`, the queue is a write-ahead spool on disk (durable-spool.ts). Durability window: each linger
 * tick writes what was enqueued since the last one in one write + fdatasync, and only then are those events sent;
 * so an accepted event is on disk within `lingerMs` (5 ms by default) plus the time of that write (and of one still
 * in progress ahead of it), and a crash (kill -9, OOM, power cut) loses at most that window. A spool file is deleted only after Kafka acknowledged every
 * event in it; what a previous process left is sent first. After a crash, events sent but not yet deleted with
 * their segment are sent again (at most one segment: 8 MiB or 5 s of traffic); consumers dedupe by event id.
 *
 * Bound: when the spool holds `maxSpoolBytes`, or a write fails, new events are kept in memory only (counted in
 * `stats.unspooled`, logged at error level), within `maxQueued`; past that, `enqueue` refuses (`stats.dropped`).
 * Serving goes on either way: slow or absent billing never fails a request.
 *
 * One send at a time, always from the head of the queue: a batch is removed only after Kafka acknowledged it, and
 * only by the send that sent it, so nothing is skipped and a batch is sent twice only if Kafka lost the
 * acknowledgement (consumers dedupe by event id).
 */
export class BatchingProducer {
  private readonly producer: Producer;
  private readonly spool: DurableSpool;
  /** Accepted, not yet handed to the spool. */
  private staged: SpoolEntry[] = [];
  private stagedBytes = 0;
  private stagedInMemory = 0;
  /** Handed to the spool, append still in progress. */
  private writingCount = 0;
  private writingBytes = 0;
  private writingInMemory = 0;
  private writing: Promise<void> = Promise.resolve();
  private writeTimer?: NodeJS.Timeout;
  private sendTimer?: NodeJS.Timeout;
  private sending: Promise<'sent' | 'empty' | 'failed'> = Promise.resolve('empty');
  private failures = 0;
  private connected = false;
  private closed = false;
  /** After a failed spool write, new events go to memory until then, rather than each retrying the disk. */
  private diskRetryAt = 0;
  private spoolFull = false;
  private unspooled = 0;
  private dropped = 0;
  private readonly lingerMs: number;
  private readonly maxBatch: number;
  private readonly maxQueued: number;

  constructor(
    kafka: Kafka,
    private readonly options: BatchingProducerOptions = {},
  ) {
    this.producer = kafka.producer({ allowAutoTopicCreation: false });
    this.lingerMs = options.lingerMs ?? 5;
    this.maxBatch = options.maxBatch ?? 500;
    this.maxQueued = options.maxQueued ?? 100_000;
    this.spool = new DurableSpool({
      dir: options.spoolDir,
      maxBytes: options.maxSpoolBytes,
      segmentBytes: options.spoolSegmentBytes,
      segmentMaxAgeMs: options.spoolSegmentMaxAgeMs,
      logger: options.logger,
    });
  }

  /**
   * Opens the spool: takes its directory's lock and finds what a previous process left there, which is sent
   * first. Rejects if the directory is unusable or another live process holds it (call it at boot, so a
   * misconfiguration stops the service); events would then be kept in memory only. Without `spoolDir`, a no-op.
   */
  async open(): Promise<void> {
    await this.spool.open();
    if (this.spool.pending > 0) this.scheduleSend(0);
  }

  /** Connects now; if Kafka is away, sending connects later on its own and events wait in the queue meanwhile. */
  async connect(): Promise<void> {
    await this.producer.connect();
    this.connected = true;
  }

  get queued(): number {
    return this.staged.length + this.writingCount + this.spool.pending;
  }

  get stats(): BatchingProducerStats {
    return {
      queued: this.queued,
      spoolBytes: this.spool.diskBytes,
      spoolSegments: this.spool.segmentFiles,
      unspooled: this.unspooled,
      dropped: this.dropped,
      unreadable: this.spool.unreadable,
    };
  }

  /**
   * Queues one event; false when it cannot be kept (memory bound reached, or closed): the caller decides what
   * that means. Cheap and synchronous: the disk write happens on the next linger tick.
   */
  enqueue(message: OutgoingMessage): boolean {
    if (this.closed) {
      this.dropped += 1;
      return false;
    }
    if (this.spool.durable && Date.now() >= this.diskRetryAt) {
      const line = encodeSpoolLine(message);
      const bytes = Buffer.byteLength(line);
      if (this.writingBytes + this.stagedBytes + bytes <= this.spool.freeBytes) {
        this.noteSpoolFull(false);
        this.stage({ message, line }, bytes);
        return true;
      }
      this.noteSpoolFull(true);
    }
    if (this.stagedInMemory + this.writingInMemory + this.spool.pendingInMemory >= this.maxQueued) {
      this.dropped += 1;
      return false;
    }
    if (this.options.spoolDir !== undefined) this.unspooled += 1;
    this.stage({ message }, 0);
    return true;
  }

  /** Writes what is staged, then sends everything queued; resolves when the queue is empty or Kafka refused a batch. */
  async flush(): Promise<void> {
    await this.writeStaged();
    while ((await this.sendNext()) === 'sent');
  }

  /**
   * Stops the timers, puts what is staged on disk, sends what it can within `shutdownTimeoutMs`, and closes the
   * spool: what Kafka has not acknowledged stays there for the next start.
   */
  async disconnect(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of [this.writeTimer, this.sendTimer]) if (timer) clearTimeout(timer);
    this.writeTimer = this.sendTimer = undefined;
    await this.writeStaged();
    await within(
      this.flush().catch(() => undefined),
      this.options.shutdownTimeoutMs ?? 5_000,
    );
    const { onDisk, inMemory } = await this.spool.close();
    if (onDisk > 0)
      this.options.logger?.warn({ spooled: onDisk, dir: this.options.spoolDir }, 'kafka producer closed; unsent events stay in the spool for the next start');
    if (inMemory > 0) this.options.logger?.error({ queued: inMemory }, 'kafka producer closed with events unsent');
    if (this.connected) await this.producer.disconnect();
    this.connected = false;
  }

  private stage(entry: SpoolEntry, bytes: number): void {
    this.staged.push(entry);
    this.stagedBytes += bytes;
    if (entry.line === undefined) this.stagedInMemory += 1;
    this.scheduleWrite();
  }

  private noteSpoolFull(full: boolean): void {
    if (full === this.spoolFull) return;
    this.spoolFull = full;
    if (full) this.options.logger?.error({ maxSpoolBytes: this.spool.maxBytes, dir: this.options.spoolDir }, 'spool full: new events are kept in memory only');
    else this.options.logger?.warn({ dir: this.options.spoolDir }, 'spool has room again');
  }

  private scheduleWrite(): void {
    if (this.writeTimer || this.closed) return;
    this.writeTimer = setTimeout(() => {
      this.writeTimer = undefined;
      void this.writeStaged().then(() => {
        if (this.staged.length > 0) this.scheduleWrite();
        this.scheduleSend(this.failures === 0 ? 0 : backoff(this.failures));
      });
    }, this.lingerMs);
  }

  /** Hands everything staged to the spool (one append at a time, so order holds); resolves once it is there. */
  private writeStaged(): Promise<void> {
    this.writing = this.writing.then(async () => {
      const entries = this.staged;
      if (entries.length === 0) return;
      [this.writingCount, this.writingBytes, this.writingInMemory] = [entries.length, this.stagedBytes, this.stagedInMemory];
      this.staged = [];
      this.stagedBytes = this.stagedInMemory = 0;
      try {
        const { failed } = await this.spool.append(entries);
        if (failed > 0) {
          this.unspooled += failed;
          this.diskRetryAt = Date.now() + 1_000;
        }
      } catch (error) {
        // The spool never throws by contract; if it did, say so rather than stall every later write.
        this.options.logger?.error({ err: error, events: entries.length }, 'spool append failed unexpectedly');
      } finally {
        this.writingCount = this.writingBytes = this.writingInMemory = 0;
      }
    });
    return this.writing;
  }

  private scheduleSend(delayMs: number): void {
    if (this.sendTimer || this.closed) return;
    this.sendTimer = setTimeout(() => {
      this.sendTimer = undefined;
      void this.sendNext().then(() => {
        if (this.spool.pending > 0) this.scheduleSend(this.failures === 0 ? 0 : backoff(this.failures));
      });
    }, delayMs);
  }

  /** Chains one send after the one in flight. */
  private sendNext(): Promise<'sent' | 'empty' | 'failed'> {
    this.sending = this.sending.then(() => this.sendHead());
    return this.sending;
  }

  private async sendHead(): Promise<'sent' | 'empty' | 'failed'> {
    const batch = await this.spool.next(this.maxBatch).catch(() => undefined);
    if (!batch) return 'empty';
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const message of batch.messages) byTopic.set(message.topic, [...(byTopic.get(message.topic) ?? []), message]);
    try {
      if (!this.connected) {
        await this.producer.connect();
        this.connected = true;
      }
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({
          topic,
          messages: messages.map(({ key, value, headers }) => ({ key, value, headers })),
        })),
      });
      // Only this send removes these events, and only sends chained after it can see the queue's new head.
      this.spool.acknowledge(batch);
      this.failures = 0;
      return 'sent';
    } catch (error) {
      this.failures += 1;
      this.options.logger?.warn({ err: error, queued: this.queued, failures: this.failures }, 'kafka send failed; events stay queued');
      return 'failed';
    }
  }
}

function backoff(failures: number): number {
  return Math.min(100 * 2 ** failures, 5_000);
}

/** Waits for `promise`, but no longer than `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
