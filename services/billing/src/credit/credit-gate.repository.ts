import { OnModuleDestroy } from '@nestjs/common';
import { createRedis, Redis } from '@apitopmix/platform/redis';
import { creditGateScripts } from './credit-gate.lua';

/** A balance as Postgres had it, ordered by accounts.balance_seq. */
export interface BalanceSnapshot {
  balanceMicros: bigint;
  seq: bigint;
}

export type AuthorizeOutcome = { decision: 'allowed' | 'refused'; availableMicros: bigint } | { decision: 'unknown-balance' };

interface CreditGateCommands {
  creditAuthorize(hash: string, exp: string, id: string, amount: string, ttlMs: number, balance: string, seq: string): Promise<[number, string]>;
  creditAdjust(hash: string, exp: string, id: string, amount: string): Promise<number>;
  creditSettle(hash: string, exp: string, balance: string, seq: string, ...ids: string[]): Promise<number>;
}

/** A backstop for replies that never come; callers hold their own, tighter deadlines. */
const COMMAND_BACKSTOP_MS = 1_000;

/**
 * Reservations against prepaid balances, in Redis (credit-gate.lua.ts): one script call per decision, so concurrent
 * requests on one account, through any number of billing replicas, see each other's reservations.
 */
export class CreditGateRepository implements OnModuleDestroy {
  private readonly commands: CreditGateCommands;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly reservationTtlMs: number,
  ) {
    redis.defineCommand('creditAuthorize', { numberOfKeys: 2, lua: creditGateScripts.authorize });
    redis.defineCommand('creditAdjust', { numberOfKeys: 2, lua: creditGateScripts.adjust });
    redis.defineCommand('creditSettle', { numberOfKeys: 2, lua: creditGateScripts.settle });
    this.commands = redis as unknown as CreditGateCommands;
  }

  static connect(url: string, keyPrefix: string, reservationTtlMs: number): CreditGateRepository {
    const redis = createRedis(url, { name: 'credit-gate', commandTimeoutMs: COMMAND_BACKSTOP_MS });
    return new CreditGateRepository(redis, keyPrefix, reservationTtlMs);
  }

  async authorize(accountId: string, reservationId: string, amountMicros: bigint, snapshot?: BalanceSnapshot): Promise<AuthorizeOutcome> {
    const [hash, exp] = this.keys(accountId);
    const [code, available] = await this.commands.creditAuthorize(
      hash,
      exp,
      reservationId,
      amountMicros.toString(),
      this.reservationTtlMs,
      snapshot?.balanceMicros.toString() ?? '',
      snapshot?.seq.toString() ?? '',
    );
    if (code === -1) return { decision: 'unknown-balance' };
    return { decision: code === 1 ? 'allowed' : 'refused', availableMicros: BigInt(available) };
  }

  async adjust(accountId: string, reservationId: string, amountMicros: bigint): Promise<void> {
    const [hash, exp] = this.keys(accountId);
    await this.commands.creditAdjust(hash, exp, reservationId, amountMicros.toString());
  }

  /** Takes the balance after a ledger write and releases the reservations its debits settled. */
  async settle(accountId: string, snapshot: BalanceSnapshot, reservationIds: string[]): Promise<void> {
    const [hash, exp] = this.keys(accountId);
    await this.commands.creditSettle(hash, exp, snapshot.balanceMicros.toString(), snapshot.seq.toString(), ...reservationIds);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }

  private keys(accountId: string): [string, string] {
    const hash = `${this.keyPrefix}{${accountId}}`;
    return [hash, `${hash}:exp`];
  }
}
