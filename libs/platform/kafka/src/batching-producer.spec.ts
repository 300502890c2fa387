import type { Kafka } from 'kafkajs';
import { BatchingProducer } from './batching-producer';

/** A kafkajs stand-in whose sends take a while, to let a timer-driven send and flush() overlap. */
function slowKafka(delaysMs: number[]) {
  const sent: string[][] = [];
  let call = 0;
  const producer = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    sendBatch: async ({ topicMessages }: { topicMessages: { messages: { value: string }[] }[] }) => {
      const delay = delaysMs[Math.min(call++, delaysMs.length - 1)];
      await new Promise((r) => setTimeout(r, delay));
      sent.push(topicMessages.flatMap((t) => t.messages.map((m) => m.value)));
    },
  };
  return { kafka: { producer: () => producer } as unknown as Kafka, sent };
}

describe('BatchingProducer', () => {
  it('never sends an event twice nor skips one when flush() overlaps a send in flight', async () => {
    const { kafka, sent } = slowKafka([30, 25, 5]);
    const producer = new BatchingProducer(kafka, { lingerMs: 0, maxBatch: 5 });
    const values = Array.from({ length: 15 }, (_, i) => `v${i}`);
    for (const value of values) producer.enqueue({ topic: 't', key: 'k', value });
    await new Promise((r) => setTimeout(r, 5)); // the timer's send is now in flight
    await producer.flush();
    await producer.disconnect();
    expect(sent.flat()).toEqual(values);
    expect(producer.queued).toBe(0);
  });

  it('keeps events queued, in order, while sends fail, and delivers them once Kafka answers', async () => {
    let fail = true;
    const delivered: string[] = [];
    const producer = new BatchingProducer(
      {
        producer: () => ({
          connect: async () => undefined,
          disconnect: async () => undefined,
          sendBatch: async ({ topicMessages }: { topicMessages: { messages: { value: string }[] }[] }) => {
            if (fail) throw new Error('broker away');
            delivered.push(...topicMessages.flatMap((t) => t.messages.map((m) => m.value)));
          },
        }),
      } as unknown as Kafka,
      { lingerMs: 0 },
    );
    producer.enqueue({ topic: 't', key: 'k', value: 'a' });
    producer.enqueue({ topic: 't', key: 'k', value: 'b' });
    await producer.flush();
    expect(producer.queued).toBe(2);
    fail = false;
    await producer.flush();
    expect(delivered).toEqual(['a', 'b']);
    await producer.disconnect();
  });
});
