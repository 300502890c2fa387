import { DynamicModule, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ModelCatalog } from '@apitopmix/catalog';
import { BatchingProducer, createKafka } from '@apitopmix/platform/kafka';
import { CONFIG, GRACE_EXPIRED, LOGGER, METRICS } from '@apitopmix/platform/nest';
import { connectUsageProducer, openUsageProducer, UsagePublisher } from '@apitopmix/platform/usage';
import { createUpstreamAgent } from '@apitopmix/providers/core';
import { DeploymentRouter, loadRoutingConfig } from '@apitopmix/providers/routing';
import { ChatConfig } from './config/chat.config';
import { ChatMetrics } from './completions/chat-metrics';
import { CompletionController } from './completions/completion.controller';
import { CompletionService } from './completions/completion.service';
import { createPassthroughUpstreams, PASSTHROUGH_UPSTREAMS } from './passthrough/passthrough-upstreams';
import { CHAT_UPSTREAMS, createChatUpstreams } from './upstreams/chat-upstreams';

const KAFKA = Symbol('KAFKA');
const USAGE_PRODUCER = Symbol('USAGE_PRODUCER');

@Module({})
export class AppModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(CONFIG) private readonly config: ChatConfig,
    @Inject(KAFKA) private readonly kafka: ReturnType<typeof createKafka>,
    @Inject(USAGE_PRODUCER) private readonly producer: BatchingProducer,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly completions: CompletionService,
  ) {}

  static register(config: ChatConfig, logger: Logger, metrics: Registry): DynamicModule {
    const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'apitopmix-chat', logger });
    // One connection pool for every upstream call of this process.
    const agent = createUpstreamAgent();
    const timeouts = { firstByteMs: config.UPSTREAM_FIRST_BYTE_TIMEOUT_MS, idleMs: config.UPSTREAM_IDLE_TIMEOUT_MS };
    return {
      module: AppModule,
      controllers: [CompletionController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: METRICS, useValue: metrics },
        { provide: KAFKA, useValue: kafka },
        {
          provide: USAGE_PRODUCER,
          useFactory: () =>
            openUsageProducer(kafka, { service: 'chat', spoolDir: config.USAGE_SPOOL_DIR, maxSpoolBytes: config.USAGE_SPOOL_MAX_BYTES }, logger, metrics),
        },
        { provide: ModelCatalog, useValue: new ModelCatalog() },
        { provide: DeploymentRouter, useValue: new DeploymentRouter(loadRoutingConfig()) },
        { provide: ChatMetrics, useValue: new ChatMetrics(metrics) },
        { provide: PASSTHROUGH_UPSTREAMS, useValue: createPassthroughUpstreams(agent, timeouts) },
        { provide: CHAT_UPSTREAMS, useValue: createChatUpstreams(agent, timeouts) },
        {
          provide: UsagePublisher,
          useFactory: (producer: BatchingProducer) => new UsagePublisher(producer, config.KAFKA_TOPIC_PREFIX, logger),
          inject: [USAGE_PRODUCER],
        },
        CompletionService,
        // When the shutdown's grace period ends, streams still running are cut cleanly (usage published, error event).
        { provide: GRACE_EXPIRED, useFactory: (completions: CompletionService) => () => completions.cutStreams(), inject: [CompletionService] },
      ],
    };
  }

  /** Kafka being away at boot does not stop chat from serving: usage waits in the spool until it is reachable. */
  onApplicationBootstrap(): void {
    connectUsageProducer(this.kafka, this.producer, this.config.KAFKA_TOPIC_PREFIX, this.logger);
  }

  /**
   * The server has stopped (its in-flight calls finished or, past the grace period, cancelled); the cancelled ones
   * still record what they generated. Then what is queued is sent for a bounded time; the rest stays in the spool
   * for the next process.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.completions.settled(2_000);
    await this.producer.disconnect();
  }
}
