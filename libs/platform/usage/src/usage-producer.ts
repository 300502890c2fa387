import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { topicName, topics } from '@apitopmix/contracts';
import { BatchingProducer, ensureTopics } from '@apitopmix/platform/kafka';
import type { Kafka } from '@apitopmix/platform/kafka';
import { registerUsageQueueMetrics } from './usage-queue-metrics';

export interface UsageProducerOptions {
  /** The publishing service: names its metrics (`<service>_usage_…`). */
  service: string;
  spoolDir: string;
  maxSpoolBytes: number;
}

/**
 * The usage producer over its disk spool, opened before the service serves: what a previous process left there is
 * sent first. A spool directory that cannot be used (not writable, or held by another live process) rejects, so the
 * boot stops rather than serve requests whose usage a crash would lose.
 */
export async function openUsageProducer(kafka: Kafka, options: UsageProducerOptions, logger: Logger, metrics: Registry): Promise<BatchingProducer> {
  const producer = new BatchingProducer(kafka, { logger, spoolDir: options.spoolDir, maxSpoolBytes: options.maxSpoolBytes });
  await producer.open();
  registerUsageQueueMetrics(metrics, producer, options.service);
  return producer;
}

/**
 * Kafka being away at boot does not stop a service from serving: the usage topic and the producer's connection are
 * set up in the background, retried (1 s, 2 s, … at most 10 s apart) until they succeed; usage waits in the spool
 * meanwhile.
 */
export function connectUsageProducer(kafka: Kafka, producer: Pick<BatchingProducer, 'connect'>, topicPrefix: string, logger: Logger): void {
  const attempt = async (n: number): Promise<void> => {
    try {
      await ensureTopics(kafka, [topicName(topics.usageEvents, topicPrefix)]);
      await producer.connect();
    } catch (error) {
      logger.warn({ err: error, attempt: n }, 'Kafka not reachable; usage events queue until it is');
      setTimeout(() => void attempt(n + 1), Math.min(1_000 * n, 10_000)).unref();
    }
  };
  void attempt(1);
}
