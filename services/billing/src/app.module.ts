import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ModelCatalog } from '@apitopmix/catalog';
import { createKafka } from '@apitopmix/platform/kafka';
import { CONFIG, LOGGER, METRICS } from '@apitopmix/platform/nest';
import { createPrismaClient } from '@apitopmix/platform/prisma';
import { AddCreditController } from './add-credit/add-credit.controller';
import { AddCreditRepository } from './add-credit/add-credit.repository';
import { BalanceController } from './balance/balance.controller';
import { BillingConfig } from './config/billing.config';
import { CREDIT_GATE } from './credit/credit-gate.module-tokens';
import { CreditGateRepository } from './credit/credit-gate.repository';
import { CreditController } from './credit/credit.controller';
import { CreditMetrics } from './credit/credit.metrics';
import { JobUpdateConsumer } from './media-jobs/job-update-consumer';
import { LedgerRepository, PRISMA } from './usage/ledger.repository';
import { UsageReportController } from './usage-report/usage-report.controller';
import { UsageReportRepository } from './usage-report/usage-report.repository';
import { KAFKA, UsageConsumer } from './usage/usage-consumer';

@Module({})
export class AppModule {
  static register(config: BillingConfig, logger: Logger, metrics: Registry): DynamicModule {
    return {
      module: AppModule,
      controllers: [BalanceController, CreditController, AddCreditController, UsageReportController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: METRICS, useValue: metrics },
        { provide: PRISMA, useFactory: () => createPrismaClient(config.DATABASE_URL, { poolMax: 5 }) },
        { provide: KAFKA, useValue: createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'apitopmix-billing', logger }) },
        { provide: ModelCatalog, useValue: new ModelCatalog() },
        {
          provide: CREDIT_GATE,
          useFactory: () => CreditGateRepository.connect(config.REDIS_URL, config.CREDIT_KEY_PREFIX, config.CREDIT_RESERVATION_TTL_MS),
        },
        { provide: CreditMetrics, useValue: new CreditMetrics(metrics) },
        LedgerRepository,
        AddCreditRepository,
        UsageReportRepository,
        UsageConsumer,
        JobUpdateConsumer,
      ],
    };
  }
}
