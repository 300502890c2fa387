import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@apitopmix/platform/prisma';
import { UsageCharge } from './usage-charge';

export const PRISMA = Symbol('PRISMA');

/**
 * Settles usage charges into the ledger. One SQL statement per batch: rows are inserted unless their event id is
 * already there (the ledger's unique key makes replays harmless), and each account's balance moves by exactly the
 * rows that were new. Either all of it happens or none.
 */
@Injectable()
export class LedgerRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  /** Returns how many rows were new. Charges for accounts that no longer exist are skipped. */
  async settle(charges: UsageCharge[]): Promise<number> {
    if (charges.length === 0) return 0;
    // One lock order for every writer: concurrent batches over the same events cannot deadlock on the unique index.
    const ordered = [...charges].sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
    const rows = JSON.stringify(ordered.map((c) => ({ ...c, amountMicros: c.amountMicros.toString() })));
    const result = await this.prisma.$queryRawUnsafe<{ inserted: bigint }[]>(
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
           "eventId" text, "accountId" uuid, "apiKeyId" uuid, "requestId" text, model text, provider text,
           "inputTokens" int, "outputTokens" int, "tokensEstimated" boolean, "priceVersion" text,
           "inputPriceMicrosPerMTok" bigint, "outputPriceMicrosPerMTok" bigint, unit text, quantity bigint,
           "unitPriceMicros" bigint, "amountMicros" bigint, "occurredAt" timestamptz)
       ),
       inserted AS (
         INSERT INTO ledger_entries (event_id, kind, account_id, api_key_id, request_id, model, provider, input_tokens,
           output_tokens, tokens_estimated, price_version, input_price_micros_per_mtok, output_price_micros_per_mtok,
           unit, quantity, unit_price_micros, amount_micros, occurred_at)
         SELECT i."eventId", 'USAGE', i."accountId", i."apiKeyId", i."requestId", i.model, i.provider, i."inputTokens",
           i."outputTokens", i."tokensEstimated", i."priceVersion", i."inputPriceMicrosPerMTok", i."outputPriceMicrosPerMTok",
           i.unit, i.quantity, i."unitPriceMicros", i."amountMicros", i."occurredAt"
         FROM input i JOIN accounts a ON a.id = i."accountId"
         ON CONFLICT (event_id) DO NOTHING
         RETURNING account_id, amount_micros
       ),
       totals AS (SELECT account_id, sum(amount_micros) AS delta, count(*) AS n FROM inserted GROUP BY account_id),
       updated AS (
         UPDATE accounts a SET balance_micros = a.balance_micros + t.delta, updated_at = now()
         FROM totals t WHERE a.id = t.account_id
         RETURNING t.n
       )
       SELECT coalesce(sum(n), 0)::bigint AS inserted FROM updated`,
      rows,
    );
    return Number(result[0]?.inserted ?? 0);
  }

  /** Each account's balance and balance_seq as of now: one consistent pair per account. */
  async snapshots(accountIds: string[]): Promise<Map<string, { balanceMicros: bigint; seq: bigint }>> {
    if (accountIds.length === 0) return new Map();
    const rows = await this.prisma.account.findMany({
      where: { id: { in: accountIds } },
      select: { id: true, balanceMicros: true, balanceSeq: true },
    });
    return new Map(rows.map((row) => [row.id, { balanceMicros: row.balanceMicros, seq: row.balanceSeq }]));
  }

  async balance(accountId: string): Promise<{ balanceMicros: bigint; ledgerEntries: number } | undefined> {
    const account = await this.prisma.account.findUnique({
      where: { id: accountId },
      select: { balanceMicros: true, _count: { select: { ledgerEntries: true } } },
    });
    return account ? { balanceMicros: account.balanceMicros, ledgerEntries: account._count.ledgerEntries } : undefined;
  }
}
