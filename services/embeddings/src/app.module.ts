import { DynamicModule, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ModelCatalog } from '@apitopmix/catalog';
import { BatchingProducer, createKafka } from '@apitopmix/platform/kafka';
import { CONFIG, LOGGER, METRICS } from '@apitopmix/platform/nest';
import { connectUsageProducer, openUsageProducer, UsagePublisher } from '@apitopmix/platform/usage';
import { createUpstreamAgent } from '@apitopmix/providers/core';
import { DeploymentRouter, loadRoutingConfig } from '@apitopmix/providers/routing';
import { EmbeddingsConfig } from './config/embeddings.config';
import { EmbeddingsController } from './embeddings/embeddings.controller';
import { EmbeddingsMetrics } from './embeddings/embeddings-metrics';
import { EmbeddingsService } from './embeddings/embeddings.service';
import { createEmbeddingUpstreams, EMBEDDING_UPSTREAMS } from './upstreams/embedding-upstreams';

const KAFKA = Symbol('KAFKA');
const USAGE_PRODUCER = Symbol('USAGE_PRODUCER');

@Module({})
export class AppModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(CONFIG) private readonly config: EmbeddingsConfig,
    @Inject(KAFKA) private readonly kafka: ReturnType<typeof createKafka>,
    @Inject(USAGE_PRODUCER) private readonly producer: BatchingProducer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  static register(config: EmbeddingsConfig, logger: Logger, metrics: Registry): DynamicModule {
    const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'apitopmix-embeddings', logger });
    // One connection pool for every upstream call of this process.
    const agent = createUpstreamAgent();
    const timeouts = { firstByteMs: config.UPSTREAM_FIRST_BYTE_TIMEOUT_MS, idleMs: config.UPSTREAM_IDLE_TIMEOUT_MS };
    return {
      module: AppModule,
      controllers: [EmbeddingsController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: METRICS, useValue: metrics },
        { provide: KAFKA, useValue: kafka },
        {
          provide: USAGE_PRODUCER,
          useFactory: () =>
            openUsageProducer(kafka, { service: 'embeddings', spoolDir: config.USAGE_SPOOL_DIR, maxSpoolBytes: config.USAGE_SPOOL_MAX_BYTES }, logger, metrics),
        },
        {
          provide: UsagePublisher,
          useFactory: (producer: BatchingProducer) => new UsagePublisher(producer, config.KAFKA_TOPIC_PREFIX, logger),
          inject: [USAGE_PRODUCER],
        },
        { provide: ModelCatalog, useValue: new ModelCatalog() },
        // The same deployments as chat's (ROUTING_CONFIG_FILE, or one per provider whose key is set).
        { provide: DeploymentRouter, useValue: new DeploymentRouter(loadRoutingConfig()) },
        { provide: EmbeddingsMetrics, useValue: new EmbeddingsMetrics(metrics) },
        { provide: EMBEDDING_UPSTREAMS, useValue: createEmbeddingUpstreams(agent, timeouts) },
        EmbeddingsService,
      ],
    };
  }

  /** Kafka being away at boot does not stop embeddings from serving: usage waits in the spool until it is reachable. */
  onApplicationBootstrap(): void {
    connectUsageProducer(this.kafka, this.producer, this.config.KAFKA_TOPIC_PREFIX, this.logger);
  }

  /** What is still queued is sent for a bounded time; the rest stays in the spool for the next process. */
  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }
}
