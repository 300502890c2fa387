// LedgerRepository.settle against the real PostgreSQL (apitopmix_test, migrated). Every test works on accounts it
// creates itself and removes them (and their ledger rows) afterwards.
import { randomUUID } from 'node:crypto';
import { ChatModelEntry, costMicros, ModelCatalog, PRICE_TABLE_VERSION, TokenPrice } from '@apitopmix/catalog';
import type { UsageEvent } from '@apitopmix/contracts';
import { createPrismaClient, PrismaClient } from '@apitopmix/platform/prisma';
import { LedgerRepository } from '../src/usage/ledger.repository';
import { chargeFor, UsageCharge } from '../src/usage/usage-charge';

const DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgresql://apitopmix:apitopmix@127.0.0.1:55432/apitopmix_test';
const START_BALANCE = 100_000_000n;
const catalog = new ModelCatalog();
// A priced model, so every charge moves the balance (the free ones would make the sums vacuous).
const MODEL = 'gpt-4.1';

describe('LedgerRepository.settle (integration)', () => {
  let prisma: PrismaClient;
  let other: PrismaClient;
  let ledger: LedgerRepository;
  const accountIds: string[] = [];

  async function newAccount(): Promise<{ accountId: string; apiKeyId: string }> {
    const account = await prisma.account.create({ data: { name: `ledger-test-${randomUUID()}`, tier: 'PRO', balanceMicros: START_BALANCE } });
    accountIds.push(account.id);
    return { accountId: account.id, apiKeyId: randomUUID() };
  }

  function event(owner: { accountId: string; apiKeyId: string }, i: number, overrides: Partial<UsageEvent> = {}): UsageEvent {
    return {
      schema: 'usage.v1',
      eventId: randomUUID(),
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      requestId: `req-${i}`,
      accountId: owner.accountId,
      apiKeyId: owner.apiKeyId,
      model: MODEL,
      provider: 'openai',
      upstreamModel: MODEL,
      // Uneven counts, so each charge rounds up by a different amount.
      inputTokens: 1_000 + 137 * i,
      outputTokens: 3 + 71 * i,
      tokensEstimated: i % 2 === 1,
      outcome: 'completed',
      streamed: true,
      unit: 'token',
      ...overrides,
    };
  }

  function charges(owner: { accountId: string; apiKeyId: string }, n: number): UsageCharge[] {
    return Array.from({ length: n }, (_, i) => chargeFor(event(owner, i), catalog));
  }

  const sum = (list: UsageCharge[]) => list.reduce((total, c) => total + c.amountMicros, 0n);

  async function state(accountId: string): Promise<{ balance: bigint; rows: number }> {
    const account = await prisma.account.findUniqueOrThrow({ where: { id: accountId }, select: { balanceMicros: true } });
    const rows = await prisma.ledgerEntry.count({ where: { accountId } });
    return { balance: account.balanceMicros, rows };
  }

  beforeAll(() => {
    prisma = createPrismaClient(DATABASE_URL, { poolMax: 4 });
    // A second client (its own pool), so concurrent settles really run on separate connections.
    other = createPrismaClient(DATABASE_URL, { poolMax: 2 });
    ledger = new LedgerRepository(prisma);
  });

  afterAll(async () => {
    await prisma.ledgerEntry.deleteMany({ where: { accountId: { in: accountIds } } });
    await prisma.account.deleteMany({ where: { id: { in: accountIds } } });
    await prisma.$disconnect();
    await other.$disconnect();
  });

  it('prices charges as the catalog says (so the sums below are not trivially zero)', () => {
    const [charge] = charges({ accountId: randomUUID(), apiKeyId: randomUUID() }, 1);
    const model = catalog.findOfKind(MODEL, 'chat')! as ChatModelEntry & { price: TokenPrice };
    expect(model.price.inputMicrosPerMTok).toBeGreaterThan(0);
    expect(charge.amountMicros).toBe(-costMicros(model.price, 1_000, 3));
    expect(charge.amountMicros).toBeLessThan(0n);
  });

  it('inserts every row of a batch and moves the balance by exactly their sum', async () => {
    const owner = await newAccount();
    const batch = charges(owner, 25);

    const inserted = await ledger.settle(batch);

    expect(inserted).toBe(25);
    expect(await state(owner.accountId)).toEqual({ balance: START_BALANCE + sum(batch), rows: 25 });
  });

  it('returns 0 for an empty batch', async () => {
    expect(await ledger.settle([])).toBe(0);
  });

  it('settling the same batch again inserts nothing and leaves the balance unchanged', async () => {
    const owner = await newAccount();
    const batch = charges(owner, 10);
    await ledger.settle(batch);
    const after = await state(owner.accountId);

    expect(await ledger.settle(batch)).toBe(0);
    expect(await state(owner.accountId)).toEqual(after);
    expect(after).toEqual({ balance: START_BALANCE + sum(batch), rows: 10 });
  });

  it('a batch mixing new and already-settled events inserts only the new ones', async () => {
    const owner = await newAccount();
    const all = charges(owner, 12);
    const first = all.slice(0, 5);
    await ledger.settle(first);

    const inserted = await ledger.settle([all[0], ...all.slice(5), all[3]]);

    expect(inserted).toBe(7);
    expect(await state(owner.accountId)).toEqual({ balance: START_BALANCE + sum(all), rows: 12 });
  });

  it('the same event twice in one batch is settled once', async () => {
    const owner = await newAccount();
    const [a, b] = charges(owner, 2);

    expect(await ledger.settle([a, b, a])).toBe(2);
    expect(await state(owner.accountId)).toEqual({ balance: START_BALANCE + a.amountMicros + b.amountMicros, rows: 2 });
  });

  it('skips charges for an account that does not exist without failing the rest of the batch', async () => {
    const owner = await newAccount();
    const ghost = { accountId: randomUUID(), apiKeyId: randomUUID() };
    const real = charges(owner, 4);
    const orphans = charges(ghost, 3);

    const inserted = await ledger.settle([orphans[0], real[0], real[1], orphans[1], real[2], real[3], orphans[2]]);

    expect(inserted).toBe(4);
    expect(await state(owner.accountId)).toEqual({ balance: START_BALANCE + sum(real), rows: 4 });
    expect(await prisma.ledgerEntry.count({ where: { eventId: { in: orphans.map((c) => c.eventId) } } })).toBe(0);
  });

  it('settles one batch across several accounts, each by its own sum', async () => {
    const alice = await newAccount();
    const bob = await newAccount();
    const a = charges(alice, 6);
    const b = charges(bob, 9);

    expect(await ledger.settle([...a.slice(0, 3), ...b, ...a.slice(3)])).toBe(15);
    expect(await state(alice.accountId)).toEqual({ balance: START_BALANCE + sum(a), rows: 6 });
    expect(await state(bob.accountId)).toEqual({ balance: START_BALANCE + sum(b), rows: 9 });
  });

  it('two concurrent settles of the same events never double-count', async () => {
    for (let round = 0; round < 5; round++) {
      const owner = await newAccount();
      const batch = charges(owner, 40);

      const [x, y] = await Promise.all([ledger.settle(batch), new LedgerRepository(other).settle(batch)]);

      expect(x + y).toBe(40);
      expect(await state(owner.accountId)).toEqual({ balance: START_BALANCE + sum(batch), rows: 40 });
    }
  });

  it('two concurrent overlapping batches settle the union exactly once', async () => {
    const owner = await newAccount();
    const all = charges(owner, 30);

    const [x, y] = await Promise.all([ledger.settle(all.slice(0, 20)), new LedgerRepository(other).settle(all.slice(10))]);

    expect(x + y).toBe(30);
    expect(await state(owner.accountId)).toEqual({ balance: START_BALANCE + sum(all), rows: 30 });
  });

  it('stores the row with the price version and both prices used', async () => {
    const owner = await newAccount();
    const source = event(owner, 3, { requestId: 'req-stored', tokensEstimated: true });
    const charge = chargeFor(source, catalog);
    const model = catalog.findOfKind(MODEL, 'chat')! as ChatModelEntry & { price: TokenPrice };

    await ledger.settle([charge]);

    const row = await prisma.ledgerEntry.findUniqueOrThrow({ where: { eventId: charge.eventId } });
    expect(row).toMatchObject({
      kind: 'USAGE',
      accountId: owner.accountId,
      apiKeyId: owner.apiKeyId,
      requestId: 'req-stored',
      model: MODEL,
      provider: 'openai',
      inputTokens: source.inputTokens,
      outputTokens: source.outputTokens,
      tokensEstimated: true,
      priceVersion: PRICE_TABLE_VERSION,
      inputPriceMicrosPerMTok: BigInt(model.price.inputMicrosPerMTok),
      outputPriceMicrosPerMTok: BigInt(model.price.outputMicrosPerMTok),
      amountMicros: charge.amountMicros,
      occurredAt: new Date(source.occurredAt),
    });
  });
});
