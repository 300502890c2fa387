// Run in its own process by durable-spool.integration-spec.ts, so the test can kill it with SIGKILL: a producer
// whose broker address has nothing listening enqueues COUNT usage-like events into SPOOL_DIR, says "enqueued" on
// stdout, and then keeps retrying Kafka until it is killed.
import { Kafka, logLevel } from 'kafkajs';
import { BatchingProducer } from '../../src/batching-producer';

async function main(): Promise<void> {
  const { SPOOL_DIR, TOPIC, COUNT, DEAD_BROKER } = process.env;
  if (!SPOOL_DIR || !TOPIC || !COUNT || !DEAD_BROKER) throw new Error('SPOOL_DIR, TOPIC, COUNT and DEAD_BROKER are required');
  const kafka = new Kafka({
    clientId: 'spool-writer',
    brokers: [DEAD_BROKER],
    connectionTimeout: 200,
    requestTimeout: 200,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  // Small segments, so the replay crosses several files.
  const producer = new BatchingProducer(kafka, { spoolDir: SPOOL_DIR, lingerMs: 5, maxBatch: 50, spoolSegmentBytes: 16 * 1024 });
  await producer.open();
  for (let seq = 0; seq < Number(COUNT); seq++) {
    const accepted = producer.enqueue({ topic: TOPIC, key: `account-${seq % 4}`, value: JSON.stringify({ eventId: `${TOPIC}/${seq}`, seq }) });
    if (!accepted) throw new Error(`event ${seq} refused`);
    // Spread over many linger ticks, as requests would.
    if (seq % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 2));
  }
  process.stdout.write('enqueued\n');
  setInterval(() => undefined, 60_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
