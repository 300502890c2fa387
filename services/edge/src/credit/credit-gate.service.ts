import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { TokenPrice, tokenCostMicros } from '@apitopmix/catalog';
import type { TokenEstimate } from '@apitopmix/contracts';
import { ErrorCode, GatewayError, isGatewayError } from '@apitopmix/platform/errors';
import { LOGGER } from '@apitopmix/platform/nest';
import { Caller } from '../auth/auth.service';
import { EdgeMetrics } from '../http/edge-metrics';
import { CreditClient } from './credit.client';

/** Credit held for one request until its usage event settles it in billing. */
export interface Reservation {
  accountId: string;
  id: string;
  amountMicros: bigint;
}

const usd = (micros: bigint) => {
  const sign = micros < 0n ? '-' : '';
  const abs = micros < 0n ? -micros : micros;
  return `${sign}$${abs / 1_000_000n}.${(abs % 1_000_000n).toString().padStart(6, '0')}`;
};

/**
 * While billing cannot answer, an account is in good standing when the balance read with its key covers this many
 * times the request's most possible cost: requests then flow without reservations, and what they can overspend is
 * bounded by what is in flight during the outage. A balance closer to the edge than that is refused, as the gate
 * would likely refuse it too.
 */
export const GOOD_STANDING_MULTIPLE = 20n;

/**
 * Authorization of a request's cost before any upstream is called (billing's credit gate): the most the request
 * can cost (its prompt estimate and its output limit at the model's prices) is reserved against the account's
 * balance, atomically with every other request's reservation. Free models reserve nothing.
 *
 * If billing cannot answer within CREDIT_DEADLINE_MS (restarting, Redis down), an account in good standing keeps
 * flowing: the request is admitted without a reservation when the balance the edge read with the key (at most
 * KEY_CACHE_TTL_MS old) covers GOOD_STANDING_MULTIPLE times its cost, and counted in edge_credit_degraded_total.
 * Refusals are 402 insufficient_quota.
 */
@Injectable()
export class CreditGateService {
  private lastWarning = 0;

  constructor(
    private readonly credit: CreditClient,
    private readonly metrics: EdgeMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The most a request can cost, in micro-USD, at the model's prices (chat and embedding models alike). */
  maxCostMicros(model: { price: TokenPrice }, estimate: TokenEstimate): bigint {
    return tokenCostMicros(model.price, estimate.inputTokens, estimate.outputTokens);
  }

  /** Reserves the request's most possible cost, or throws 402; undefined when nothing is held (free, or degraded). */
  async authorize(caller: Caller, requestId: string, costMicros: bigint): Promise<Reservation | undefined> {
    if (costMicros === 0n) return undefined;
    let answer;
    try {
      answer = await this.credit.authorize({
        accountId: caller.accountId,
        reservationId: requestId,
        amountMicros: costMicros.toString(),
        snapshot: { balanceMicros: caller.balance.balanceMicros.toString(), seq: caller.balance.seq.toString() },
      });
    } catch (error) {
      if (!isGatewayError(error) || error.code !== ErrorCode.ServiceUnavailable) throw error;
      return this.degraded(caller, costMicros, error);
    }
    if (!answer.allowed) throw insufficient(BigInt(answer.availableMicros), costMicros);
    return { accountId: caller.accountId, id: requestId, amountMicros: costMicros };
  }

  /** The request's real cost is known: the reservation holds that much until billing settles it. */
  settle(reservation: Reservation | undefined, costMicros: bigint): void {
    if (!reservation || costMicros === reservation.amountMicros) return;
    this.credit.adjust({ accountId: reservation.accountId, reservationId: reservation.id, amountMicros: costMicros.toString() });
  }

  /** Nothing was used (refused elsewhere, or failed before any upstream answered): the credit is free again. */
  release(reservation: Reservation | undefined): void {
    if (!reservation) return;
    this.credit.adjust({ accountId: reservation.accountId, reservationId: reservation.id, amountMicros: '0' });
  }

  private degraded(caller: Caller, costMicros: bigint, error: GatewayError): undefined {
    const allowed = caller.balance.balanceMicros >= costMicros * GOOD_STANDING_MULTIPLE;
    this.metrics.creditDegraded.inc({ decision: allowed ? 'allowed' : 'refused' });
    if (Date.now() - this.lastWarning > 10_000) {
      this.lastWarning = Date.now();
      this.logger.warn({ err: error.message }, 'billing credit gate unreachable: deciding from the balance read with the key');
    }
    if (!allowed) throw insufficient(caller.balance.balanceMicros, costMicros);
    return undefined;
  }
}

function insufficient(availableMicros: bigint, costMicros: bigint): GatewayError {
  return new GatewayError(
    ErrorCode.InsufficientQuota,
    `You exceeded your current quota: this request may cost up to ${usd(costMicros)} and ${usd(availableMicros < 0n ? 0n : availableMicros)} ` +
      'of your prepaid balance is available. Add credit, or lower max_tokens.',
  );
}
