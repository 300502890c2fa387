import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ModelCatalog } from '@apitopmix/catalog';
import { CONFIG, LOGGER, METRICS } from '@apitopmix/platform/nest';
import { createPrismaClient } from '@apitopmix/platform/prisma';
import { AdminController } from './admin/admin.controller';
import { AdminRepository } from './admin/admin.repository';
import { AdminService } from './admin/admin.service';
import { AdminTokenGuard } from './admin/admin-token.guard';
import { RequestAdmission } from './admission/request-admission';
import { ApiKeyRepository, PRISMA } from './auth/api-key.repository';
import { AuthService } from './auth/auth.service';
import { KeyRevocationService } from './auth/key-revocation.service';
import { REVOCATION_CHANNEL, RedisRevocationChannel } from './auth/revocation-channel';
import { MessagesController } from './anthropic/messages.controller';
import { ChatClient } from './chat/chat.client';
import { GenerateContentController } from './gemini/generate-content.controller';
import { CompletionRunner } from './chat/completion-runner';
import { EdgeConfig } from './config/edge.config';
import { CreditClient } from './credit/credit.client';
import { CreditGateService } from './credit/credit-gate.service';
import { EmbeddingsClient } from './embeddings/embeddings.client';
import { HealthController } from './health/health.controller';
import { ImagesClient } from './images/images.client';
import { ImagesController } from './images/images.controller';
import { ImagesService } from './images/images.service';
import { ReadinessService } from './health/readiness.service';
import { EdgeShutdown } from './health/edge-shutdown';
import { EdgeMetrics } from './http/edge-metrics';
import { LedgerClient } from './ledger/ledger.client';
import { MediaJobsClient } from './media-jobs/media-jobs.client';
import { MediaTaskService } from './media-jobs/media-task.service';
import { SunoController } from './media-jobs/suno.controller';
import { VideosController } from './media-jobs/videos.controller';
import { ChatCompletionsController } from './openai/chat-completions.controller';
import { EmbeddingsController } from './openai/embeddings.controller';
import { ModelsController } from './openai/models.controller';
import { AdmissionService } from './rate-limit/admission.service';
import { RateLimitClient } from './rate-limit/rate-limit.client';
import { UsageController } from './usage/usage.controller';

@Module({})
export class AppModule {
  static register(config: EdgeConfig, logger: Logger, metrics: Registry): DynamicModule {
    return {
      module: AppModule,
      controllers: [
        ChatCompletionsController,
        EmbeddingsController,
        MessagesController,
        GenerateContentController,
        ModelsController,
        ImagesController,
        HealthController,
        UsageController,
        AdminController,
        VideosController,
        SunoController,
      ],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: METRICS, useValue: metrics },
        { provide: PRISMA, useFactory: () => createPrismaClient(config.DATABASE_URL, { poolMax: 10 }) },
        { provide: ModelCatalog, useValue: new ModelCatalog() },
        { provide: EdgeMetrics, useValue: new EdgeMetrics(metrics) },
        { provide: EdgeShutdown, useValue: new EdgeShutdown() },
        ApiKeyRepository,
        AuthService,
        RateLimitClient,
        AdmissionService,
        CreditClient,
        CreditGateService,
        RequestAdmission,
        ChatClient,
        CompletionRunner,
        EmbeddingsClient,
        ImagesClient,
        ImagesService,
        ReadinessService,
        ...(config.REDIS_URL
          ? [{ provide: REVOCATION_CHANNEL, useFactory: () => new RedisRevocationChannel(config.REDIS_URL!, config.KEY_REVOCATION_CHANNEL, logger) }]
          : []),
        KeyRevocationService,
        LedgerClient,
        MediaJobsClient,
        MediaTaskService,
        AdminRepository,
        AdminService,
        AdminTokenGuard,
      ],
    };
  }
}
