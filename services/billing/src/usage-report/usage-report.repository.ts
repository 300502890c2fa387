import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@apitopmix/platform/prisma';
import { PRISMA } from '../usage/ledger.repository';

export interface UsageTotals {
  model: string;
  /** YYYY-MM-DD, UTC. */
  day: string;
  requests: bigint;
  inputTokens: bigint;
  outputTokens: bigint;
  /** Positive: what the usage cost. */
  costMicros: bigint;
}

export interface AccountUsage {
  balanceMicros: bigint;
  rows: UsageTotals[];
}

/** Reads an account's usage from the ledger's USAGE rows (index on account_id, occurred_at). */
@Injectable()
export class UsageReportRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  /** Undefined when the account does not exist. Balance and rows come from one snapshot, so they agree. */
  async usage(accountId: string, since: Date): Promise<AccountUsage | undefined> {
    const [account, rows] = await this.prisma.$transaction(
      [
        this.prisma.account.findUnique({ where: { id: accountId }, select: { balanceMicros: true } }),
        this.prisma.$queryRaw<UsageTotals[]>`
          SELECT coalesce(model, '') AS model,
                 to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
                 count(*)::bigint AS "requests",
                 coalesce(sum(input_tokens), 0)::bigint AS "inputTokens",
                 coalesce(sum(output_tokens), 0)::bigint AS "outputTokens",
                 (-coalesce(sum(amount_micros), 0))::bigint AS "costMicros"
          FROM ledger_entries
          WHERE account_id = ${accountId}::uuid AND kind = 'USAGE' AND occurred_at >= ${since}
          GROUP BY 1, 2
          ORDER BY 2, 1`,
      ],
      { isolationLevel: 'RepeatableRead' },
    );
    return account ? { balanceMicros: account.balanceMicros, rows } : undefined;
  }
}
