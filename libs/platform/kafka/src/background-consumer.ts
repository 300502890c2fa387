import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { ensureTopics } from './create-kafka';

export interface BackgroundConsumerOptions {
  kafka: Kafka;
  consumer: Consumer;
  topic: string;
  /** Names the consumer in its log lines. */
  name: string;
  logger: Logger;
  eachBatch(payload: EachBatchPayload): Promise<void>;
}

/**
 * A consumer that starts in the background and retries until the broker answers, so a service whose other work does
 * not need Kafka (billing's gRPC methods) serves while Kafka is away. `stop` waits for a start in progress, then
 * disconnects.
 */
export class BackgroundConsumer {
  private starting: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: BackgroundConsumerOptions) {}

  start(): void {
    this.starting = this.run(1);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.starting;
    await this.options.consumer.disconnect();
  }

  private async run(attempt: number): Promise<void> {
    const { kafka, consumer, topic, name, logger, eachBatch } = this.options;
    try {
      await ensureTopics(kafka, [topic]);
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachBatch });
    } catch (error) {
      if (this.stopped) return;
      logger.warn({ err: error, attempt }, `Kafka not reachable; the ${name} retries`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(500 * attempt, 5_000)));
      if (!this.stopped) return this.run(attempt + 1);
    }
  }
}
