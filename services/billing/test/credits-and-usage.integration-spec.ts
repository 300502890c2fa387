// AddCredit and GetUsage against the real PostgreSQL (apitopmix_test, migrated). Every test works on accounts it
// creates itself and removes them (and their ledger rows) afterwards.
import { randomUUID } from 'node:crypto';
import { createPrismaClient, PrismaClient } from '@apitopmix/platform/prisma';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { AddCreditController, creditEventId, MAX_CREDIT_MICROS } from '../src/add-credit/add-credit.controller';
import { AddCreditRepository } from '../src/add-credit/add-credit.repository';
import { defaultSince, UsageReportController } from '../src/usage-report/usage-report.controller';
import { UsageReportRepository } from '../src/usage-report/usage-report.repository';

const DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgresql://apitopmix:apitopmix@127.0.0.1:55432/apitopmix_test';

async function gatewayError(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('billing credits and usage (integration)', () => {
  let prisma: PrismaClient;
  let credits: AddCreditController;
  let usage: UsageReportController;
  const accountIds: string[] = [];

  async function newAccount(balanceMicros = 0n): Promise<string> {
    const account = await prisma.account.create({ data: { name: `credit-test-${randomUUID()}`, tier: 'PRO', balanceMicros } });
    accountIds.push(account.id);
    return account.id;
  }

  async function state(accountId: string) {
    const account = await prisma.account.findUniqueOrThrow({ where: { id: accountId }, select: { balanceMicros: true } });
    const rows = await prisma.ledgerEntry.findMany({ where: { accountId }, select: { kind: true, eventId: true, amountMicros: true } });
    return { balance: account.balanceMicros, rows };
  }

  beforeAll(() => {
    prisma = createPrismaClient(DATABASE_URL, { poolMax: 8 });
    credits = new AddCreditController(new AddCreditRepository(prisma));
    usage = new UsageReportController(new UsageReportRepository(prisma));
  });

  afterAll(async () => {
    await prisma.ledgerEntry.deleteMany({ where: { accountId: { in: accountIds } } });
    await prisma.account.deleteMany({ where: { id: { in: accountIds } } });
    await prisma.$disconnect();
  });

  describe('AddCredit', () => {
    it('writes one CREDIT row and moves the balance by exactly its amount', async () => {
      const accountId = await newAccount(5_000_000n);
      const key = randomUUID();
      const response = await credits.addCredit({ accountId, amountMicros: '12345678', idempotencyKey: key });
      expect(response).toEqual({ accountId, eventId: `credit:${key}`, amountMicros: '12345678', balanceMicros: '17345678', applied: true });
      expect(await state(accountId)).toEqual({ balance: 17_345_678n, rows: [{ kind: 'CREDIT', eventId: creditEventId(key), amountMicros: 12_345_678n }] });
    });

    it('credits once per idempotency key: a retry moves nothing and says so', async () => {
      const accountId = await newAccount();
      const request = { accountId, amountMicros: '1000000', idempotencyKey: randomUUID() };
      await credits.addCredit(request);
      const again = await credits.addCredit(request);
      expect(again).toMatchObject({ applied: false, balanceMicros: '1000000' });
      expect((await state(accountId)).rows).toHaveLength(1);
    });

    it('credits once when the same key arrives many times at once', async () => {
      const accountId = await newAccount();
      const request = { accountId, amountMicros: '250000', idempotencyKey: randomUUID() };
      const responses = await Promise.all(Array.from({ length: 12 }, () => credits.addCredit(request)));
      expect(responses.filter((r) => r.applied)).toHaveLength(1);
      expect(await state(accountId)).toMatchObject({ balance: 250_000n, rows: [expect.anything()] });
    });

    it('refuses a key reused for another amount or another account, and moves nothing', async () => {
      const accountId = await newAccount();
      const other = await newAccount();
      const idempotencyKey = randomUUID();
      await credits.addCredit({ accountId, amountMicros: '100', idempotencyKey });
      for (const request of [
        { accountId, amountMicros: '101', idempotencyKey },
        { accountId: other, amountMicros: '100', idempotencyKey },
      ]) {
        const error = await gatewayError(credits.addCredit(request));
        expect([error.code, error.param]).toEqual([ErrorCode.InvalidRequest, 'idempotency_key']);
      }
      expect((await state(accountId)).balance).toBe(100n);
      expect(await state(other)).toEqual({ balance: 0n, rows: [] });
    });

    it('answers NOT_FOUND for an unknown account or an id that is not a UUID', async () => {
      for (const accountId of [randomUUID(), 'not-a-uuid']) {
        expect((await gatewayError(credits.addCredit({ accountId, amountMicros: '1', idempotencyKey: 'k' }))).code).toBe(ErrorCode.NotFound);
      }
    });

    it.each(['0', '-5', '1.5', '1e6', '', ' 1', '007', (MAX_CREDIT_MICROS + 1n).toString()])('refuses amount_micros %j', async (amountMicros) => {
      const accountId = await newAccount();
      const error = await gatewayError(credits.addCredit({ accountId, amountMicros, idempotencyKey: randomUUID() }));
      expect([error.code, error.param]).toEqual([ErrorCode.InvalidRequest, 'amount_micros']);
    });

    it.each(['', 'has space', 'x'.repeat(129), 'slash/no'])('refuses idempotency_key %j', async (idempotencyKey) => {
      const accountId = await newAccount();
      const error = await gatewayError(credits.addCredit({ accountId, amountMicros: '1', idempotencyKey }));
      expect([error.code, error.param]).toEqual([ErrorCode.InvalidRequest, 'idempotency_key']);
    });
  });

  describe('GetUsage', () => {
    async function usageRow(accountId: string, model: string, occurredAt: string, inputTokens: number, outputTokens: number, amountMicros: bigint) {
      await prisma.ledgerEntry.create({
        data: {
          eventId: randomUUID(),
          kind: 'USAGE',
          accountId,
          model,
          provider: 'openai',
          inputTokens,
          outputTokens,
          amountMicros,
          occurredAt: new Date(occurredAt),
        },
      });
    }

    it('totals USAGE rows per model and UTC day, from `since`, with the balance', async () => {
      const accountId = await newAccount(7_000_000n);
      await usageRow(accountId, 'gpt-4.1', '2026-03-01T23:59:59.999Z', 10, 20, -30n);
      await usageRow(accountId, 'gpt-4.1', '2026-03-01T00:00:00.000Z', 1, 2, -3n);
      await usageRow(accountId, 'gpt-4.1', '2026-03-02T00:00:00.000Z', 100, 200, -300n);
      await usageRow(accountId, 'claude-sonnet-4-6', '2026-03-01T12:00:00.000Z', 5, 5, -7n);
      // Before `since`, and a credit: neither counts.
      await usageRow(accountId, 'gpt-4.1', '2026-02-28T23:59:59.999Z', 1_000, 1_000, -1_000n);
      await prisma.ledgerEntry.create({
        data: { eventId: randomUUID(), kind: 'CREDIT', accountId, amountMicros: 5n, occurredAt: new Date('2026-03-01T10:00:00Z') },
      });

      const report = await usage.getUsage({ accountId, since: '2026-03-01T00:00:00Z' });

      expect(report).toEqual({
        accountId,
        balanceMicros: '7000000',
        since: '2026-03-01T00:00:00.000Z',
        rows: [
          { model: 'claude-sonnet-4-6', day: '2026-03-01', requests: '1', inputTokens: '5', outputTokens: '5', costMicros: '7' },
          { model: 'gpt-4.1', day: '2026-03-01', requests: '2', inputTokens: '11', outputTokens: '22', costMicros: '33' },
          { model: 'gpt-4.1', day: '2026-03-02', requests: '1', inputTokens: '100', outputTokens: '200', costMicros: '300' },
        ],
      });
    });

    it('answers an account without usage with its balance and no rows; since defaults to 00:00 UTC thirty days ago', async () => {
      const accountId = await newAccount(42n);
      const report = await usage.getUsage({ accountId, since: '' });
      expect(report).toMatchObject({ balanceMicros: '42', rows: [] });
      expect(new Date(report.since).getTime()).toBe(defaultSince().getTime());
      expect(report.since).toMatch(/T00:00:00\.000Z$/);
    });

    it('answers NOT_FOUND for an unknown account and INVALID_ARGUMENT for a bad since', async () => {
      expect((await gatewayError(usage.getUsage({ accountId: randomUUID(), since: '' }))).code).toBe(ErrorCode.NotFound);
      const accountId = await newAccount();
      const error = await gatewayError(usage.getUsage({ accountId, since: 'yesterday' }));
      expect([error.code, error.param]).toEqual([ErrorCode.InvalidRequest, 'since']);
    });
  });
});
