import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';

export interface OutgoingMessage {
  topic: string;
  key: string;
  value: string;
  headers?: Record<string, string>;
}

export interface BatchingProducerOptions {
  /** Longest an event waits for companions before its batch is sent. */
  lingerMs?: number;
  maxBatch?: number;
  /** Most events held while Kafka is unreachable; past it, `enqueue` refuses. */
  maxQueued?: number;
  logger?: Logger;
}

/**
 * Sends events off the request path: `enqueue` returns at once, batches leave every `lingerMs`, acknowledged by
 * all in-sync replicas. Events that fail stay queued, in order, and are retried with backoff.
 *
 * One send at a time, always from the head of the queue: a batch is removed only after Kafka acknowledged it, and
 * only by the send that sent it, so nothing is skipped and a batch is sent twice only if Kafka lost the
 * acknowledgement (consumers dedupe by event id).
 */
export class BatchingProducer {
  private readonly producer: Producer;
  private queue: OutgoingMessage[] = [];
  private timer?: NodeJS.Timeout;
  private sending: Promise<boolean> = Promise.resolve(true);
  private failures = 0;
  private connected = false;
  private closed = false;
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
  }

  /** Connects now; if Kafka is away, sending connects later on its own and events wait in the queue meanwhile. */
  async connect(): Promise<void> {
    await this.producer.connect();
    this.connected = true;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Queues one event; false when the queue is full (the caller decides what that means). */
  enqueue(message: OutgoingMessage): boolean {
    if (this.queue.length >= this.maxQueued) return false;
    this.queue.push(message);
    this.schedule(this.lingerMs);
    return true;
  }

  /** Sends everything queued now; resolves when the queue is empty or Kafka refused a batch. */
  async flush(): Promise<void> {
    while (this.queue.length > 0) {
      if (!(await this.sendNext())) return;
    }
  }

  /** Stops the timers, sends what is queued (one attempt per batch), and disconnects. */
  async disconnect(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush().catch(() => undefined);
    if (this.queue.length > 0) this.options.logger?.error({ queued: this.queue.length }, 'kafka producer closed with events unsent');
    if (this.connected) await this.producer.disconnect();
    this.connected = false;
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.sendNext().then(() => {
        if (this.queue.length > 0) this.schedule(this.failures === 0 ? 0 : Math.min(100 * 2 ** this.failures, 5_000));
      });
    }, delayMs);
  }

  /** Chains one send after the one in flight; resolves true when a batch left (or nothing was queued). */
  private sendNext(): Promise<boolean> {
    this.sending = this.sending.then(() => this.sendHead());
    return this.sending;
  }

  private async sendHead(): Promise<boolean> {
    const batch = this.queue.slice(0, this.maxBatch);
    if (batch.length === 0) return true;
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const message of batch) byTopic.set(message.topic, [...(byTopic.get(message.topic) ?? []), message]);
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
      this.queue.splice(0, batch.length);
      this.failures = 0;
      return true;
    } catch (error) {
      this.failures += 1;
      this.options.logger?.warn({ err: error, queued: this.queue.length, failures: this.failures }, 'kafka send failed; events stay queued');
      return false;
    }
  }
}
