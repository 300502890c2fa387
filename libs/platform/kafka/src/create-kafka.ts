import { Kafka, logLevel, ITopicConfig, Admin } from 'kafkajs';
import type { Logger } from 'pino';

export type { Kafka, Consumer, Producer, EachBatchPayload, KafkaMessage } from 'kafkajs';

export interface KafkaOptions {
  brokers: string[];
  clientId: string;
  logger?: Logger;
}

/** A kafkajs client whose own logging goes through the service's structured logger. */
export function createKafka({ brokers, clientId, logger }: KafkaOptions): Kafka {
  return new Kafka({
    clientId,
    brokers,
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { initialRetryTime: 100, retries: 8, maxRetryTime: 5_000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }) => {
        if (!logger) return;
        const { message, ...rest } = log;
        const line = { kafka: { namespace: log.namespace, ...pick(rest) } };
        if (level <= logLevel.ERROR) logger.error(line, message);
        else if (level === logLevel.WARN) logger.warn(line, message);
        else logger.debug(line, message);
      },
  });
}

function pick(rest: Record<string, unknown>): Record<string, unknown> {
  const { broker, clientId, error, groupId, topic } = rest;
  return { broker, clientId, error, groupId, topic };
}

/**
 * Creates the topics a service needs if they are missing. The brokers run with auto-creation off so a typo in a
 * topic name fails loudly instead of creating a topic no one reads.
 */
export async function ensureTopics(kafka: Kafka, topics: string[], options: Partial<ITopicConfig> = {}): Promise<void> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({ topic, numPartitions: options.numPartitions ?? 3, replicationFactor: options.replicationFactor ?? 1 })),
    });
  } finally {
    await admin.disconnect();
  }
}
