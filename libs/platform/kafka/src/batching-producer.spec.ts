import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { BatchingProducer, BatchingProducerOptions } from './batching-producer';
import { encodeSpoolLine } from './spool-line';
import { SpoolLockedError } from './spool-lock';

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

describe('BatchingProducer with a spool', () => {
  let root: string;
  const cleanup: (() => Promise<unknown>)[] = [];
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'batching-producer-spool-'))));
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
    rmSync(root, { recursive: true, force: true });
  });

  /** A kafkajs stand-in whose sends fail while `down.value`, hang while `hang.value`, and record what they deliver. */
  function fakeKafka(options: { down?: boolean; hang?: boolean; onSend?: (values: string[]) => void } = {}) {
    const state = { down: options.down ?? false, hang: options.hang ?? false, delivered: [] as string[] };
    const kafka = {
      producer: () => ({
        connect: async () => undefined,
        disconnect: async () => undefined,
        sendBatch: async ({ topicMessages }: { topicMessages: { messages: { value: string }[] }[] }) => {
          if (state.hang) await new Promise(() => undefined);
          if (state.down) throw new Error('broker away');
          const values = topicMessages.flatMap((t) => t.messages.map((m) => m.value));
          options.onSend?.(values);
          state.delivered.push(...values);
        },
      }),
    } as unknown as Kafka;
    return { kafka, state };
  }

  function producerOver(kafka: Kafka, options: BatchingProducerOptions = {}): BatchingProducer {
    const producer = new BatchingProducer(kafka, { spoolDir: join(root, 'spool'), lingerMs: 1, ...options });
    cleanup.push(() => producer.disconnect());
    return producer;
  }

  const spooled = () =>
    readdirSync(join(root, 'spool'))
      .filter((f) => f.endsWith('.jsonl'))
      .flatMap((f) =>
        readFileSync(join(root, 'spool', f), 'utf8')
          .split('\n')
          .filter(Boolean),
      )
      .map((line) => JSON.parse(line).value as string);
  const values = (n: number, prefix = 'v') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

  it('writes every event to disk before Kafka sees it', async () => {
    const seenOnDisk: boolean[] = [];
    const { kafka, state } = fakeKafka({ onSend: (sent) => seenOnDisk.push(...sent.map((v) => spooled().includes(v))) });
    const producer = producerOver(kafka, { maxBatch: 3 });
    await producer.open();
    for (const value of values(10)) producer.enqueue({ topic: 't', key: 'k', value });
    await producer.flush();
    expect(state.delivered).toEqual(values(10));
    expect(seenOnDisk).toEqual(Array(10).fill(true));
  });

  it('puts accepted events on disk within the linger tick, with no flush and Kafka down', async () => {
    const { kafka } = fakeKafka({ down: true });
    const producer = producerOver(kafka, { lingerMs: 5 });
    await producer.open();
    for (const value of values(50)) producer.enqueue({ topic: 't', key: 'k', value });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(spooled()).toEqual(values(50));
    expect(producer.queued).toBe(50);
  });

  it('disconnect while Kafka is down leaves the events on disk; the next producer sends them first, in order', async () => {
    const first = fakeKafka({ down: true });
    const before = producerOver(first.kafka, { shutdownTimeoutMs: 200 });
    await before.open();
    for (const value of values(20, 'old')) before.enqueue({ topic: 't', key: 'k', value });
    await before.disconnect();
    expect(spooled()).toEqual(values(20, 'old'));

    const second = fakeKafka();
    const after = producerOver(second.kafka, { maxBatch: 7 });
    await after.open();
    expect(after.queued).toBe(20);
    for (const value of values(5, 'new')) after.enqueue({ topic: 't', key: 'k', value });
    await after.flush();
    expect(second.state.delivered).toEqual([...values(20, 'old'), ...values(5, 'new')]);
    await after.disconnect();
    expect(spooled()).toEqual([]);
  });

  it('disconnect stops waiting for a hung Kafka after shutdownTimeoutMs and leaves the events on disk', async () => {
    const { kafka } = fakeKafka({ hang: true });
    const producer = producerOver(kafka, { shutdownTimeoutMs: 150 });
    await producer.open();
    for (const value of values(3)) producer.enqueue({ topic: 't', key: 'k', value });
    const started = Date.now();
    await producer.disconnect();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(spooled()).toEqual(values(3));
    expect(producer.enqueue({ topic: 't', key: 'k', value: 'late' })).toBe(false);
  });

  it('when the spool is full, keeps new events in memory up to maxQueued, then refuses; both are counted', async () => {
    const { kafka, state } = fakeKafka({ down: true });
    const lineBytes = Buffer.byteLength(encodeSpoolLine({ topic: 't', key: 'k', value: 'v0' }));
    const producer = producerOver(kafka, { maxSpoolBytes: lineBytes * 3, maxQueued: 2 });
    await producer.open();
    const accepted = values(7).map((value) => producer.enqueue({ topic: 't', key: 'k', value }));
    expect(accepted).toEqual([true, true, true, true, true, false, false]);
    expect(producer.stats).toMatchObject({ queued: 5, unspooled: 2, dropped: 2 });
    await producer.flush();
    expect(spooled()).toEqual(values(3));
    state.down = false;
    await producer.flush();
    expect(state.delivered).toEqual(values(5)); // in order: the memory-only events after the spooled ones
    expect(producer.stats).toMatchObject({ queued: 0, spoolBytes: expect.any(Number), unspooled: 2, dropped: 2 });
  });

  it('open rejects a directory another producer holds', async () => {
    await producerOver(fakeKafka().kafka).open();
    await expect(producerOver(fakeKafka().kafka).open()).rejects.toBeInstanceOf(SpoolLockedError);
  });
});
