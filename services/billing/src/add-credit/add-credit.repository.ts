import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@apitopmix/platform/prisma';
import { PRISMA } from '../usage/ledger.repository';

export type AddCreditResult =
  | { outcome: 'applied' | 'replayed'; balanceMicros: bigint }
  | { outcome: 'no-account' }
  /** The event id exists for another account, amount or kind: an idempotency key reused for something else. */
  | { outcome: 'conflict' };

/**
 * Prepaid credit into the ledger. The CREDIT row and the balance change commit together or not at all; the
 * ledger's unique event id makes a retried credit a no-op.
 */
@Injectable()
export class AddCreditRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async addCredit(accountId: string, amountMicros: bigint, eventId: string): Promise<AddCreditResult> {
    return this.prisma.$transaction(async (tx) => {
      const account = await tx.account.findUnique({ where: { id: accountId }, select: { id: true } });
      if (!account) return { outcome: 'no-account' };
      // A concurrent credit with the same event id waits here on the unique index, then finds the row.
      const { count } = await tx.ledgerEntry.createMany({
        data: [{ eventId, kind: 'CREDIT', accountId, amountMicros, occurredAt: new Date() }],
        skipDuplicates: true,
      });
      if (count === 1) {
        const updated = await tx.account.update({
          where: { id: accountId },
          data: { balanceMicros: { increment: amountMicros } },
          select: { balanceMicros: true },
        });
        return { outcome: 'applied', balanceMicros: updated.balanceMicros };
      }
      const existing = await tx.ledgerEntry.findUnique({ where: { eventId }, select: { kind: true, accountId: true, amountMicros: true } });
      if (!existing || existing.kind !== 'CREDIT' || existing.accountId !== accountId || existing.amountMicros !== amountMicros) {
        return { outcome: 'conflict' };
      }
      const current = await tx.account.findUniqueOrThrow({ where: { id: accountId }, select: { balanceMicros: true } });
      return { outcome: 'replayed', balanceMicros: current.balanceMicros };
    });
  }
}
