// The spool against the real local broker: events accepted while Kafka is unreachable survive the producer's
// process being killed (SIGKILL, in a child process) or shut down, and reach the topic from the next producer.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { BatchingProducer, createKafka, ensureTopics } from '../src';

const BROKERS = (process.env.TEST_KAFKA_BROKERS || '127.0.0.1:59092').split(',');
/** Nothing listens on port 1: a broker address that refuses every connection at once. */
const DEAD_BROKER = '127.0.0.1:1';

jest.setTimeout(60_000);

describe('DurableSpool (integration)', () => {
  const kafka = createKafka({ brokers: BROKERS, clientId: 'durable-spool-test' });
  const cleanup: (() => Promise<unknown>)[] = [];
  const created: string[] = [];
  let root: string;

  const uniqueTopic = () => {
    const topic = `test.durable-spool.${randomUUID()}`;
    created.push(topic);
    return topic;
  };

  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'durable-spool-it-'))));

  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  });

  afterAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const mine = created.filter((t) => existing.has(t));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine, timeout: 5_000 }).catch(() => undefined);
    await admin.disconnect();
  });

  async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Everything on `topic` from the beginning, read until `quietMs` pass without a new message. */
  async function consumeAll(topic: string, expected: number, timeoutMs = 20_000, quietMs = 1_000): Promise<{ key: string; value: string }[]> {
    const consumer = kafka.consumer({ groupId: `test-${randomUUID()}`, allowAutoTopicCreation: false, maxWaitTimeInMs: 100 });
    cleanup.push(() => consumer.disconnect());
    const received: { key: string; value: string }[] = [];
    let lastAt = Date.now();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push({ key: message.key?.toString() ?? '', value: message.value?.toString() ?? '' });
        lastAt = Date.now();
      },
    });
    // Waits for the expected count, then a quiet spell, so duplicates arriving late are seen too.
    await until(() => received.length >= expected, timeoutMs, `received ${received.length} of ${expected} messages`);
    await until(() => Date.now() - lastAt >= quietMs, timeoutMs, 'topic still receiving');
    return received;
  }

  function linesOnDisk(dir: string): number {
    if (!existsSync(dir)) return 0;
    return readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .reduce((sum, f) => sum + readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean).length, 0);
  }

  /** The child's events: `${topic}/${seq}` ids, keyed by account. */
  const eventsOf = (messages: { key: string; value: string }[]) =>
    messages.map((m) => ({ key: m.key, ...(JSON.parse(m.value) as { eventId: string; seq: number }) }));

  it('events enqueued while Kafka is unreachable survive a kill -9 and all arrive from the next producer, first and in order', async () => {
    const topic = uniqueTopic();
    await ensureTopics(kafka, [topic], { numPartitions: 3 });
    const spoolDir = join(root, 'spool');
    const count = 2_000;

    // The crashing process: enqueues `count` events with no broker to send them to.
    const child = spawn(process.execPath, ['-r', join(__dirname, 'support/swc-register.js'), join(__dirname, 'support/spool-writer.child.ts')], {
      env: { ...process.env, SPOOL_DIR: spoolDir, TOPIC: topic, COUNT: String(count), DEAD_BROKER },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    cleanup.push(async () => child.kill('SIGKILL'));
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await until(() => output.includes('enqueued') || child.exitCode !== null, 30_000, `child ready (output: ${output})`);
    expect(output).toContain('enqueued');
    // Past the durability window (one linger tick and its fdatasync), every accepted event is on disk.
    await until(() => linesOnDisk(spoolDir) === count, 5_000, 'all events on disk');
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    // The next process: same directory, a broker that answers. It takes over the dead process's lock.
    const producer = new BatchingProducer(kafka, { spoolDir, lingerMs: 5, maxBatch: 100 });
    cleanup.push(() => producer.disconnect());
    await producer.open();
    expect(producer.queued).toBe(count);
    // New traffic arrives while the replay runs; it must come after what the dead process left.
    const fresh = 50;
    for (let seq = count; seq < count + fresh; seq++) {
      producer.enqueue({ topic, key: `account-${seq % 4}`, value: JSON.stringify({ eventId: `${topic}/${seq}`, seq }) });
    }
    await until(() => producer.queued === 0, 30_000, `spool drained (${producer.queued} left)`);

    const received = eventsOf(await consumeAll(topic, count + fresh));
    const distinct = new Set(received.map((e) => e.eventId));
    expect(distinct.size).toBe(count + fresh);
    expect([...distinct].sort()).toEqual(Array.from({ length: count + fresh }, (_, seq) => `${topic}/${seq}`).sort());
    for (const key of ['account-0', 'account-1', 'account-2', 'account-3']) {
      const seqs = received.filter((e) => e.key === key).map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
    // Nothing left behind once Kafka acknowledged everything and the producer closed.
    await producer.disconnect();
    expect(linesOnDisk(spoolDir)).toBe(0);
  });

  it('a shutdown while Kafka is unreachable leaves the events on disk, and the next producer delivers them', async () => {
    const topic = uniqueTopic();
    await ensureTopics(kafka, [topic], { numPartitions: 1 });
    const spoolDir = join(root, 'spool');
    const unreachable = new Kafka({
      clientId: 'durable-spool-test-unreachable',
      brokers: [DEAD_BROKER],
      connectionTimeout: 200,
      requestTimeout: 200,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    });
    const before = new BatchingProducer(unreachable, { spoolDir, lingerMs: 5, shutdownTimeoutMs: 500 });
    cleanup.push(() => before.disconnect());
    await before.open();
    for (let seq = 0; seq < 100; seq++) expect(before.enqueue({ topic, key: 'k', value: JSON.stringify({ eventId: `${topic}/${seq}`, seq }) })).toBe(true);
    await before.disconnect();
    expect(linesOnDisk(spoolDir)).toBe(100);

    const after = new BatchingProducer(kafka, { spoolDir });
    cleanup.push(() => after.disconnect());
    await after.open();
    await until(() => after.queued === 0, 20_000, 'spool drained');
    const received = eventsOf(await consumeAll(topic, 100));
    expect(received.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, seq) => seq));
  });
});
