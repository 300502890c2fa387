import { randomBytes } from 'node:crypto';
import { Kafka, KafkaMessage, logLevel } from 'kafkajs';

/**
 * Every message on `topic` up to its end as of the call, read by a throwaway consumer group. Resolves once each
 * partition has been read to the offset it had when the call began.
 */
export async function readTopic(brokers: string[], topic: string, timeoutMs = 20_000): Promise<KafkaMessage[]> {
  const kafka = new Kafka({ brokers, clientId: 'apitopmix-test-reader', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  let ends: { partition: number; high: string }[];
  try {
    ends = await admin.fetchTopicOffsets(topic);
  } finally {
    await admin.disconnect();
  }
  const pending = new Map(ends.filter((p) => Number(p.high) > 0).map((p) => [p.partition, BigInt(p.high)]));
  const messages: KafkaMessage[] = [];
  if (pending.size === 0) return messages;
  const consumer = kafka.consumer({ groupId: `test-reader-${randomBytes(6).toString('hex')}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${topic}: not read to its end within ${timeoutMs} ms`)), timeoutMs);
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          const end = pending.get(partition);
          if (end === undefined || BigInt(message.offset) >= end) return;
          messages.push(message);
          if (BigInt(message.offset) + 1n >= end) pending.delete(partition);
          if (pending.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}
