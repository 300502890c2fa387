import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createRedis } from '@apitopmix/platform/redis';
import { CreditGateRepository } from '../src/credit/credit-gate.repository';

// `npm test` (scripts/test.mjs) sets TEST_REDIS_URL; a direct jest run may use the local default.
const REDIS_URL = process.env.TEST_REDIS_URL || process.env.REDIS_URL || 'redis://127.0.0.1:56379';

/** A gate on the real Redis under a prefix of its own: tests share one Redis with everyone else. */
const redis = createRedis(REDIS_URL, { name: 'credit-gate-test', commandTimeoutMs: 5_000 });
const gate = (ttlMs = 60_000) => new CreditGateRepository(redis, `credit:it:${randomUUID()}:`, ttlMs);

beforeAll(async () => {
  if (redis.status !== 'ready') await once(redis, 'ready');
});

const snapshot = (balanceMicros: bigint, seq: bigint) => ({ balanceMicros, seq });
const open = (ttlMs?: number) => gate(ttlMs);

afterAll(async () => {
  await redis.quit();
});

describe('credit gate (Redis)', () => {
  it('admits exactly one of 50 concurrent requests when the balance covers one', async () => {
    const credit = open();
    const decisions = await Promise.all(Array.from({ length: 50 }, (_, i) => credit.authorize('acct', `req-${i}`, 700n, snapshot(1_000n, 1n))));
    expect(decisions.filter((d) => d.decision === 'allowed')).toHaveLength(1);
    expect(decisions.filter((d) => d.decision === 'refused')).toHaveLength(49);
  });

  it('counts every live reservation, and answers a retried authorization without reserving twice', async () => {
    const credit = open();
    expect(await credit.authorize('acct', 'a', 400n, snapshot(1_000n, 1n))).toEqual({ decision: 'allowed', availableMicros: 600n });
    expect(await credit.authorize('acct', 'a', 400n, snapshot(1_000n, 1n))).toEqual({ decision: 'allowed', availableMicros: 600n });
    expect(await credit.authorize('acct', 'b', 400n, snapshot(1_000n, 1n))).toEqual({ decision: 'allowed', availableMicros: 200n });
    expect(await credit.authorize('acct', 'c', 400n, snapshot(1_000n, 1n))).toEqual({ decision: 'refused', availableMicros: 200n });
  });

  it('admits a free request (amount 0) whatever the balance, and reserves nothing', async () => {
    const credit = open();
    expect(await credit.authorize('acct', 'free', 0n, snapshot(-50n, 3n))).toEqual({ decision: 'allowed', availableMicros: -50n });
    expect(await credit.authorize('acct', 'paid', 1n, snapshot(-50n, 3n))).toEqual({ decision: 'refused', availableMicros: -50n });
  });

  it('never lets an older snapshot replace a newer one', async () => {
    const credit = open();
    await credit.authorize('acct', 'x', 0n, snapshot(500n, 7n));
    expect(await credit.authorize('acct', 'y', 0n, snapshot(9_999n, 6n))).toMatchObject({ availableMicros: 500n });
    expect(await credit.authorize('acct', 'z', 0n, snapshot(300n, 8n))).toMatchObject({ availableMicros: 300n });
  });

  it('settles: the new balance and the release of the settled reservations land together', async () => {
    const credit = open();
    await credit.authorize('acct', 'r1', 400n, snapshot(1_000n, 1n));
    await credit.authorize('acct', 'r2', 400n, snapshot(1_000n, 1n));
    // r1 cost 150: the ledger moved the balance to 850 at seq 2.
    await credit.settle('acct', snapshot(850n, 2n), ['r1']);
    expect(await credit.authorize('acct', 'probe', 0n)).toEqual({ decision: 'allowed', availableMicros: 450n });
    // A replayed settlement changes nothing.
    await credit.settle('acct', snapshot(850n, 2n), ['r1']);
    expect(await credit.authorize('acct', 'probe', 0n)).toEqual({ decision: 'allowed', availableMicros: 450n });
  });

  it('adjusts a reservation to the real cost, and releases it at 0', async () => {
    const credit = open();
    await credit.authorize('acct', 'r', 400n, snapshot(1_000n, 1n));
    await credit.adjust('acct', 'r', 120n);
    expect(await credit.authorize('acct', 'probe', 0n)).toMatchObject({ availableMicros: 880n });
    await credit.adjust('acct', 'r', 0n);
    expect(await credit.authorize('acct', 'probe', 0n)).toMatchObject({ availableMicros: 1_000n });
    // Adjusting a reservation that is gone does not resurrect it.
    await credit.adjust('acct', 'r', 300n);
    expect(await credit.authorize('acct', 'probe', 0n)).toMatchObject({ availableMicros: 1_000n });
  });

  it('frees a reservation whose usage never came once it expires', async () => {
    const credit = open(200);
    await credit.authorize('acct', 'lost', 900n, snapshot(1_000n, 1n));
    expect(await credit.authorize('acct', 'next', 900n)).toMatchObject({ decision: 'refused' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await credit.authorize('acct', 'next', 900n)).toEqual({ decision: 'allowed', availableMicros: 100n });
  });

  it('says when it knows no balance for the account', async () => {
    expect(await open().authorize('nobody', 'r', 1n)).toEqual({ decision: 'unknown-balance' });
  });
});
