import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { billing } from '@apitopmix/contracts';
import { ErrorCode, GatewayError } from '@apitopmix/platform/errors';
import { LedgerRepository } from '../usage/ledger.repository';

@Controller()
export class BalanceController {
  constructor(private readonly ledger: LedgerRepository) {}

  @GrpcMethod('BillingService', 'GetBalance')
  async getBalance(request: billing.GetBalanceRequest): Promise<billing.Balance> {
    if (!request.accountId) throw GatewayError.invalid('account_id is required', 'account_id');
    const balance = await this.ledger.balance(request.accountId);
    if (!balance) throw new GatewayError(ErrorCode.NotFound, `No account '${request.accountId}'.`);
    return { accountId: request.accountId, balanceMicros: balance.balanceMicros.toString(), ledgerEntries: String(balance.ledgerEntries) };
  }
}
