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
 */
export class BatchingProducer {
  private readonly producer: Producer;
  private queue: OutgoingMessage[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private failures = 0;
  private connected = false;
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

  /** Sends everything queued now; resolves when the queue is empty or Kafka refused. */
  async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const before = this.queue.length;
      await this.sendOnce();
      if (this.queue.length >= before) return; // no progress: Kafka is refusing
    }
  }

  async disconnect(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.flushing;
    await this.flush().catch(() => undefined);
    if (this.connected) await this.producer.disconnect();
    this.connected = false;
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.flushing) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushing = this.sendOnce().finally(() => {
        this.flushing = undefined;
        if (this.queue.length > 0) this.schedule(this.failures === 0 ? 0 : Math.min(100 * 2 ** this.failures, 5_000));
      });
    }, delayMs);
  }

  private async sendOnce(): Promise<void> {
    const batch = this.queue.slice(0, this.maxBatch);
    if (batch.length === 0) return;
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
      this.queue.splice(0, batch.length);
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      this.options.logger?.warn({ err: error, queued: this.queue.length, failures: this.failures }, 'kafka send failed; events stay queued');
    }
  }
}
