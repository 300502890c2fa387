import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { credit } from '@apitopmix/contracts';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { CREDIT_GATE } from './credit-gate.module-tokens';
import { BalanceSnapshot, CreditGateRepository } from './credit-gate.repository';
import { CreditMetrics } from './credit.metrics';

/** Lua compares amounts as doubles: exact up to 2^53. */
const MAX_MICROS = 2n ** 53n;

/** CreditService over gRPC: validates, then one atomic script call per request (credit-gate.lua.ts). */
@Controller()
export class CreditController {
  constructor(
    @Inject(CREDIT_GATE) private readonly gate: CreditGateRepository,
    private readonly metrics: CreditMetrics,
  ) {}

  @GrpcMethod('CreditService', 'Authorize')
  async authorize(request: credit.AuthorizeRequest): Promise<credit.AuthorizeResponse> {
    const accountId = required(request.accountId, 'account_id');
    const reservationId = required(request.reservationId, 'reservation_id');
    const amount = micros(request.amountMicros, 'amount_micros');
    const snapshot = request.snapshot ? toSnapshot(request.snapshot) : undefined;
    const outcome = await this.gate.authorize(accountId, reservationId, amount, snapshot);
    if (outcome.decision === 'unknown-balance') {
      // Only a caller that sent no snapshot ends here; the edge always sends one.
      throw new GatewayError(ErrorCode.ServiceUnavailable, `No balance is known for account '${accountId}': send a snapshot.`);
    }
    this.metrics.decisions.inc({ decision: outcome.decision });
    return { allowed: outcome.decision === 'allowed', availableMicros: outcome.availableMicros.toString() };
  }

  @GrpcMethod('CreditService', 'Adjust')
  async adjust(request: credit.AdjustRequest): Promise<credit.AdjustResponse> {
    await this.gate.adjust(
      required(request.accountId, 'account_id'),
      required(request.reservationId, 'reservation_id'),
      micros(request.amountMicros, 'amount_micros'),
    );
    return {};
  }
}

function required(value: string | undefined, param: string): string {
  if (!value) throw GatewayError.invalid(`${param} is required`, param);
  if (value.length > 256) throw GatewayError.invalid(`${param} must be at most 256 characters`, param);
  return value;
}

function micros(value: string | undefined, param: string, allowNegative = false): bigint {
  if (!value || !(allowNegative ? /^-?\d{1,16}$/ : /^\d{1,16}$/).test(value)) {
    throw GatewayError.invalid(`${param} must be an integer number of micro-USD as a decimal string`, param);
  }
  const amount = BigInt(value);
  if (amount >= MAX_MICROS || amount <= -MAX_MICROS) throw GatewayError.invalid(`${param} is too large`, param);
  return amount;
}

function toSnapshot(snapshot: credit.BalanceSnapshot): BalanceSnapshot {
  return { balanceMicros: micros(snapshot.balanceMicros, 'snapshot.balance_micros', true), seq: micros(snapshot.seq, 'snapshot.seq') };
}
