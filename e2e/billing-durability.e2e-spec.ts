import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { createTestAccount, ledgerRows, readTopic, startTestPlatform, TestPlatform, waitFor } from '@apitopmix/testing';

jest.setTimeout(180_000);

const soak = process.env.APITOPMIX_SOAK === '1';
let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform();
}, 120_000);

afterAll(async () => {
  await platform?.shutdown();
});

async function send(apiKey: string, count: number, concurrency = 10): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      const response = await fetch(`${platform.baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: `request ${next}` }], max_tokens: 20 }),
      });
      await response.arrayBuffer();
      statuses.push(response.status);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return statuses;
}

/** Every distinct usage event exactly once, and the balance equal to the credit minus the rows. */
async function expectLedgerExact(accountId: string, expectedRows: number): Promise<void> {
  const rows = await waitFor(
    () => ledgerRows(platform.prisma, accountId),
    (r) => r.length >= expectedRows,
    60_000,
    200,
  );
  // Give any duplicate a chance to appear before declaring there is none.
  await new Promise((r) => setTimeout(r, 1_000));
  const final = await ledgerRows(platform.prisma, accountId);
  expect(final).toHaveLength(expectedRows);
  expect(new Set(final.map((r) => r.eventId)).size).toBe(expectedRows);
  expect(new Set(final.map((r) => r.requestId)).size).toBe(expectedRows);
  const account = await platform.prisma.account.findUniqueOrThrow({ where: { id: accountId } });
  const spent = final.reduce((sum, r) => sum + r.amountMicros, 0n);
  expect(account.balanceMicros).toBe(100_000_000n + spent);
  expect(rows.length).toBeGreaterThanOrEqual(expectedRows);
}

it('billing stopped: 100 requests still succeed, and once it is back the ledger holds exactly 100 new rows', async () => {
  const { accountId, apiKey } = await createTestAccount(platform.prisma, { name: 'billing-stopped' });
  const billing = platform.process('billing');
  await billing.stop();
  expect(billing.running).toBe(false);
  const statuses = await send(apiKey, 100);
  expect(statuses.filter((s) => s === 200)).toHaveLength(100);
  expect(await ledgerRows(platform.prisma, accountId)).toHaveLength(0);
  billing.start();
  await billing.waitReady();
  await expectLedgerExact(accountId, 100);
});

/** The shared broker goes down and comes back on the same data (scripts/infra.mjs restart-kafka). */
async function restartKafka(): Promise<void> {
  await promisify(execFile)(process.execPath, [join(__dirname, '../scripts/infra.mjs'), 'restart-kafka']);
}

it(
  `billing SIGKILLed ${soak ? 'every 5 s' : 'once'} and the Kafka broker restarted once during ${soak ? '10,000' : '300'} requests: every request answered, the ledger is the distinct usage events, nothing lost, nothing twice`,
  async () => {
    // An enterprise account with room for the whole run: this test is about billing, not rate limits.
    const { accountId, apiKey } = await createTestAccount(platform.prisma, {
      name: 'billing-killed',
      tier: 'ENTERPRISE',
      rpmLimit: 1_000_000,
      tpmLimit: 1_000_000_000,
    });
    const total = soak ? 10_000 : 300;
    const billing = platform.process('billing');
    let done = false;
    const traffic = send(apiKey, total, soak ? 8 : 4).finally(() => (done = true));
    // The broker goes away while requests flow (in the soak, a while into the run): usage waits in chat's spool.
    const kafka = new Promise((r) => setTimeout(r, soak ? 30_000 : 200)).then(restartKafka);
    let kills = 0;
    do {
      await new Promise((r) => setTimeout(r, soak ? 5_000 : 300));
      if (done && kills > 0) break;
      await billing.kill();
      kills += 1;
      billing.start();
      await billing.waitReady();
    } while (soak && !done);
    const statuses = await traffic;
    await kafka;
    expect(kills).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(total);
    await expectLedgerExact(accountId, total);
    // The ledger is exactly the distinct usage events the topic holds for the account.
    const events = (await readTopic([process.env.TEST_KAFKA_BROKERS!], `${platform.topicPrefix}usage.events.v1`, 60_000))
      .map((m) => JSON.parse(m.value!.toString('utf8')) as { eventId: string; accountId: string })
      .filter((e) => e.accountId === accountId);
    const rows = await ledgerRows(platform.prisma, accountId);
    expect(new Set(events.map((e) => e.eventId))).toEqual(new Set(rows.map((r) => r.eventId)));
  },
  soak ? 1_800_000 : 300_000,
);

it('replaying the whole usage topic from offset 0 into billing leaves every balance and ledger total unchanged', async () => {
  const topic = `${platform.topicPrefix}usage.events.v1`;
  const events = (await readTopic([process.env.TEST_KAFKA_BROKERS!], topic)).map((m) => JSON.parse(m.value!.toString('utf8')) as { accountId: string });
  const accounts = [...new Set(events.map((e) => e.accountId))];
  expect(accounts.length).toBeGreaterThanOrEqual(2);
  const totals = async () =>
    Promise.all(
      accounts.map(async (id) => {
        const account = await platform.prisma.account.findUniqueOrThrow({ where: { id } });
        const ledger = await platform.prisma.ledgerEntry.aggregate({ where: { accountId: id }, _sum: { amountMicros: true }, _count: true });
        return { id, balance: account.balanceMicros, ledgerSum: ledger._sum.amountMicros, rows: ledger._count };
      }),
    );
  const before = await totals();

  // Billing again, under a consumer group that has never read the topic: it starts from offset 0.
  const billing = platform.process('billing');
  const group = `billing-replay-${randomBytes(4).toString('hex')}`;
  await billing.stop();
  billing.definition.env.BILLING_CONSUMER_GROUP = group;
  billing.start();
  await billing.waitReady();

  // Wait until the replaying group has committed the end of every partition.
  const kafka = new Kafka({ brokers: [process.env.TEST_KAFKA_BROKERS!], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    await waitFor(
      async () => (await admin.fetchOffsets({ groupId: group, topics: [topic] }))[0].partitions,
      (committed) => ends.every((end) => end.high === '0' || Number(committed.find((p) => p.partition === end.partition)?.offset ?? -1) >= Number(end.high)),
      60_000,
      250,
    );
  } finally {
    await admin.disconnect();
  }
  expect(await totals()).toEqual(before);
});
