import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ModelCatalog } from '@apitopmix/catalog';
import { createKafka } from '@apitopmix/platform/kafka';
import { CONFIG, LOGGER, METRICS } from '@apitopmix/platform/nest';
import { createPrismaClient } from '@apitopmix/platform/prisma';
import { BalanceController } from './balance/balance.controller';
import { BillingConfig } from './config/billing.config';
import { LedgerRepository, PRISMA } from './usage/ledger.repository';
import { KAFKA, UsageConsumer } from './usage/usage-consumer';

@Module({})
export class AppModule {
  static register(config: BillingConfig, logger: Logger, metrics: Registry): DynamicModule {
    return {
      module: AppModule,
      controllers: [BalanceController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: METRICS, useValue: metrics },
        { provide: PRISMA, useFactory: () => createPrismaClient(config.DATABASE_URL, { poolMax: 5 }) },
        { provide: KAFKA, useValue: createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'apitopmix-billing', logger }) },
        { provide: ModelCatalog, useValue: new ModelCatalog() },
        LedgerRepository,
        UsageConsumer,
      ],
    };
  }
}
