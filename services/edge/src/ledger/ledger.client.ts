import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { billing } from '@apitopmix/contracts';
import { callUnary, createGrpcClient } from '@apitopmix/platform/grpc';
import { CONFIG } from '@apitopmix/platform/nest';
import { EdgeConfig } from '../config/edge.config';

/** Off the hot path (admin and /v1/usage): a database write or an aggregate read, not a cache hit. */
const LEDGER_DEADLINE_MS = 10_000;

/** The edge's side of billing's ledger RPCs (credits and usage reports): one long-lived channel. */
@Injectable()
export class LedgerClient implements OnModuleDestroy {
  private readonly client: billing.BillingServiceClient;

  constructor(@Inject(CONFIG) config: EdgeConfig) {
    this.client = createGrpcClient(billing.BillingServiceClient, config.BILLING_GRPC_URL);
  }

  addCredit(request: billing.AddCreditRequest): Promise<billing.AddCreditResponse> {
    return callUnary(this.client, this.client.addCredit, request, LEDGER_DEADLINE_MS, 'billing');
  }

  getUsage(request: billing.GetUsageRequest): Promise<billing.UsageReport> {
    return callUnary(this.client, this.client.getUsage, request, LEDGER_DEADLINE_MS, 'billing');
  }

  onModuleDestroy(): void {
    this.client.close();
  }
}
