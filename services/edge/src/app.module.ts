import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ModelCatalog } from '@apitopmix/catalog';
import { CONFIG, LOGGER, METRICS } from '@apitopmix/platform/nest';
import { createPrismaClient } from '@apitopmix/platform/prisma';
import { ApiKeyRepository, PRISMA } from './auth/api-key.repository';
import { AuthService } from './auth/auth.service';
import { MessagesController } from './anthropic/messages.controller';
import { ChatClient } from './chat/chat.client';
import { GenerateContentController } from './gemini/generate-content.controller';
import { CompletionRunner } from './chat/completion-runner';
import { EdgeConfig } from './config/edge.config';
import { CreditClient } from './credit/credit.client';
import { CreditGateService } from './credit/credit-gate.service';
import { HealthController } from './health/health.controller';
import { ReadinessService } from './health/readiness.service';
import { EdgeMetrics } from './http/edge-metrics';
import { ChatCompletionsController } from './openai/chat-completions.controller';
import { ModelsController } from './openai/models.controller';
import { AdmissionService } from './rate-limit/admission.service';
import { RateLimitClient } from './rate-limit/rate-limit.client';

@Module({})
export class AppModule {
  static register(config: EdgeConfig, logger: Logger, metrics: Registry): DynamicModule {
    return {
      module: AppModule,
      controllers: [ChatCompletionsController, MessagesController, GenerateContentController, ModelsController, HealthController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: METRICS, useValue: metrics },
        { provide: PRISMA, useFactory: () => createPrismaClient(config.DATABASE_URL, { poolMax: 10 }) },
        { provide: ModelCatalog, useValue: new ModelCatalog() },
        { provide: EdgeMetrics, useValue: new EdgeMetrics(metrics) },
        ApiKeyRepository,
        AuthService,
        RateLimitClient,
        AdmissionService,
        CreditClient,
        CreditGateService,
        ChatClient,
        CompletionRunner,
        ReadinessService,
      ],
    };
  }
}
