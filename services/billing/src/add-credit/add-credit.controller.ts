import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { billing } from '@apitopmix/contracts';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { isUuid, parseMicros } from '../validation/request-fields';
import { AddCreditRepository } from './add-credit.repository';

/** Credits are whole micro-dollars, positive, and at most $1,000,000,000 at once (far from BIGINT's limit). */
export const MAX_CREDIT_MICROS = 10n ** 15n;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,128}$/;

/** The ledger event id of a credit: stable per idempotency key, so a retry finds the first credit. */
export const creditEventId = (idempotencyKey: string) => `credit:${idempotencyKey}`;

@Controller()
export class AddCreditController {
  constructor(private readonly credits: AddCreditRepository) {}

  @GrpcMethod('BillingService', 'AddCredit')
  async addCredit(request: billing.AddCreditRequest): Promise<billing.AddCreditResponse> {
    if (!isUuid(request.accountId)) throw new GatewayError(ErrorCode.NotFound, `No account '${request.accountId}'.`);
    const amount = parseMicros(request.amountMicros);
    if (amount === undefined || amount <= 0n || amount > MAX_CREDIT_MICROS) {
      throw GatewayError.invalid(`amount_micros must be a whole number of micro-USD from 1 to ${MAX_CREDIT_MICROS}.`, 'amount_micros');
    }
    if (!IDEMPOTENCY_KEY.test(request.idempotencyKey)) {
      throw GatewayError.invalid('idempotency_key must be 1 to 128 characters of letters, digits, "_", ".", ":" and "-".', 'idempotency_key');
    }
    const eventId = creditEventId(request.idempotencyKey);
    const result = await this.credits.addCredit(request.accountId, amount, eventId);
    if (result.outcome === 'no-account') throw new GatewayError(ErrorCode.NotFound, `No account '${request.accountId}'.`);
    if (result.outcome === 'conflict') {
      throw GatewayError.invalid('This idempotency key was already used for a different credit.', 'idempotency_key');
    }
    return {
      accountId: request.accountId,
      eventId,
      amountMicros: amount.toString(),
      balanceMicros: result.balanceMicros.toString(),
      applied: result.outcome === 'applied',
    };
  }
}
