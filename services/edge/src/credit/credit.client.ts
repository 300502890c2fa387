import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Metadata } from '@grpc/grpc-js';
import { credit } from '@apitopmix/contracts';
import { callUnary, createGrpcClient } from '@apitopmix/platform/grpc';
import { CONFIG } from '@apitopmix/platform/nest';
import { EdgeConfig } from '../config/edge.config';

/** The edge's side of billing's CreditService: one long-lived gRPC channel, its own deadline. */
@Injectable()
export class CreditClient implements OnModuleDestroy {
  private readonly client: credit.CreditServiceClient;

  constructor(@Inject(CONFIG) private readonly config: EdgeConfig) {
    this.client = createGrpcClient(credit.CreditServiceClient, config.BILLING_GRPC_URL);
  }

  authorize(request: credit.AuthorizeRequest): Promise<credit.AuthorizeResponse> {
    return callUnary(this.client, this.client.authorize, request, this.config.CREDIT_DEADLINE_MS, 'billing');
  }

  /** Sets a reservation's amount (0 releases it); nobody waits for it, and a lost one expires in billing. */
  adjust(request: credit.AdjustRequest): void {
    this.client.adjust(request, new Metadata(), { deadline: Date.now() + 2_000 }, () => undefined);
  }

  onModuleDestroy(): void {
    this.client.close();
  }
}
