import { DynamicModule, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ModelCatalog } from '@apitopmix/catalog';
import { BatchingProducer, createKafka } from '@apitopmix/platform/kafka';
import { Counter } from '@apitopmix/platform/metrics';
import { createPrismaClient, PrismaClient } from '@apitopmix/platform/prisma';
import { connectUsageProducer, openUsageProducer, UsagePublisher } from '@apitopmix/platform/usage';
import { createUpstreamAgent } from '@apitopmix/providers/core';
import { GeminiImages } from '@apitopmix/providers/gemini';
import { DeploymentRouter, loadRoutingConfig } from '@apitopmix/providers/routing';
import type { MediaJobsConfig } from '../config/media-jobs.config';
import { MediaController } from '../storage/media.controller';
import { MEDIA_STORE, MediaStore } from '../storage/media-store';
import { MediaSweeper } from '../storage/media-sweeper';
import { PostgresMediaStore } from '../storage/postgres-media-store';
import { ImageGeneration } from './image-generation';
import { ImagesController } from './images.controller';

const KAFKA = Symbol('IMAGES_KAFKA');
const PRISMA = Symbol('IMAGES_PRISMA');
const SETTINGS = Symbol('IMAGES_SETTINGS');

interface LifecycleSettings {
  topicPrefix: string;
  logger: Logger;
}
/** media-jobs' one usage producer over its spool directory (a spool has one owner): other features inject it. */
export const MEDIA_USAGE_PRODUCER = Symbol('MEDIA_USAGE_PRODUCER');

/**
 * Images (GenerateImage) and stored media (GetMedia): the Postgres media store and its sweeper, Gemini through the
 * shared deployment router, and usage events through the spooled producer.
 */
@Module({})
export class ImagesModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(KAFKA) private readonly kafka: ReturnType<typeof createKafka>,
    @Inject(MEDIA_USAGE_PRODUCER) private readonly producer: BatchingProducer,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly sweeper: MediaSweeper,
    @Inject(SETTINGS) private readonly settings: LifecycleSettings,
  ) {}

  static register(config: MediaJobsConfig, logger: Logger, metrics: Registry): DynamicModule {
    const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'apitopmix-media-jobs', logger });
    const calls = new Counter({
      name: 'media_jobs_image_calls_total',
      help: 'Upstream image generation calls by outcome (delivered images are charged, failed ones are not)',
      labelNames: ['outcome'],
      registers: [metrics],
    });
    const timeouts = { firstByteMs: config.IMAGE_UPSTREAM_TIMEOUT_MS, idleMs: config.IMAGE_UPSTREAM_TIMEOUT_MS };
    return {
      module: ImagesModule,
      controllers: [ImagesController, MediaController],
      providers: [
        { provide: SETTINGS, useValue: { topicPrefix: config.KAFKA_TOPIC_PREFIX, logger } satisfies LifecycleSettings },
        { provide: KAFKA, useValue: kafka },
        { provide: PRISMA, useFactory: () => createPrismaClient(config.DATABASE_URL, { poolMax: 5 }) },
        { provide: MEDIA_STORE, useFactory: (prisma: PrismaClient) => new PostgresMediaStore(prisma), inject: [PRISMA] },
        {
          provide: MediaSweeper,
          useFactory: (store: MediaStore) => new MediaSweeper(store, logger, { intervalMs: config.MEDIA_SWEEP_INTERVAL_MS, batchSize: 500 }),
          inject: [MEDIA_STORE],
        },
        {
          provide: MEDIA_USAGE_PRODUCER,
          useFactory: () =>
            openUsageProducer(kafka, { service: 'media_jobs', spoolDir: config.USAGE_SPOOL_DIR, maxSpoolBytes: config.USAGE_SPOOL_MAX_BYTES }, logger, metrics),
        },
        {
          provide: UsagePublisher,
          useFactory: (producer: BatchingProducer) => new UsagePublisher(producer, config.KAFKA_TOPIC_PREFIX, logger),
          inject: [MEDIA_USAGE_PRODUCER],
        },
        {
          provide: ImageGeneration,
          useFactory: (store: MediaStore, usage: UsagePublisher) =>
            new ImageGeneration(
              new ModelCatalog(),
              new DeploymentRouter(loadRoutingConfig()),
              new GeminiImages(createUpstreamAgent(), timeouts),
              store,
              usage,
              { mediaTtlSeconds: config.MEDIA_URL_TTL_SECONDS },
              logger,
              (outcome, n) => calls.inc({ outcome }, n),
            ),
          inject: [MEDIA_STORE, UsagePublisher],
        },
      ],
      exports: [MEDIA_USAGE_PRODUCER, UsagePublisher, MEDIA_STORE],
    };
  }

  /** Kafka being away at boot does not stop images: usage waits in the spool. The sweeper starts with the service. */
  onApplicationBootstrap(): void {
    connectUsageProducer(this.kafka, this.producer, this.settings.topicPrefix, this.settings.logger);
    this.sweeper.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sweeper.stop();
    await this.producer.disconnect();
    await this.prisma.$disconnect();
  }
}
