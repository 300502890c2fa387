import { createTestAccount, ledgerRows, startTestPlatform, TestPlatform, waitFor } from '@apitopmix/testing';

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

it(
  `billing SIGKILLed ${soak ? 'every 5 s during 10,000 requests' : 'once during 200 requests'}: nothing lost, nothing twice`,
  async () => {
    // An enterprise account with room for the whole run: this test is about billing, not rate limits.
    const { accountId, apiKey } = await createTestAccount(platform.prisma, {
      name: 'billing-killed',
      tier: 'ENTERPRISE',
      rpmLimit: 1_000_000,
      tpmLimit: 1_000_000_000,
    });
    const total = soak ? 10_000 : 200;
    const billing = platform.process('billing');
    let done = false;
    const traffic = send(apiKey, total, 8).finally(() => (done = true));
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
    expect(kills).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(total);
    await expectLedgerExact(accountId, total);
  },
  soak ? 1_800_000 : 180_000,
);
