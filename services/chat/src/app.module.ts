import { DynamicModule, Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ModelCatalog } from '@apitopmix/catalog';
import { topicName, topics } from '@apitopmix/contracts';
import { BatchingProducer, createKafka, ensureTopics } from '@apitopmix/platform/kafka';
import { CONFIG, LOGGER, METRICS } from '@apitopmix/platform/nest';
import { createUpstreamAgent } from '@apitopmix/providers/core';
import { ChatConfig } from './config/chat.config';
import { ChatMetrics } from './completions/chat-metrics';
import { CompletionController } from './completions/completion.controller';
import { CompletionService } from './completions/completion.service';
import { createPassthroughUpstreams, PASSTHROUGH_UPSTREAMS } from './passthrough/passthrough-upstreams';
import { DeploymentRouter } from './routing/deployment-router';
import { loadRoutingConfig } from './routing/routing.config';
import { CHAT_UPSTREAMS, createChatUpstreams } from './upstreams/chat-upstreams';
import { TOPIC_PREFIX, USAGE_PRODUCER, UsagePublisher } from './usage/usage-publisher';
import { registerUsageQueueMetrics } from './usage/usage-queue-metrics';

const KAFKA = Symbol('KAFKA');

@Module({})
export class AppModule implements OnApplicationBootstrap {
  constructor(
    @Inject(CONFIG) private readonly config: ChatConfig,
    @Inject(KAFKA) private readonly kafka: ReturnType<typeof createKafka>,
    @Inject(USAGE_PRODUCER) private readonly producer: BatchingProducer,
    @Inject(LOGGER) private readonly logger: Logger,
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
        { provide: TOPIC_PREFIX, useValue: config.KAFKA_TOPIC_PREFIX },
        { provide: USAGE_PRODUCER, useFactory: () => openUsageProducer(kafka, config, logger, metrics) },
        { provide: ModelCatalog, useValue: new ModelCatalog() },
        { provide: DeploymentRouter, useValue: new DeploymentRouter(loadRoutingConfig()) },
        { provide: ChatMetrics, useValue: new ChatMetrics(metrics) },
        { provide: PASSTHROUGH_UPSTREAMS, useValue: createPassthroughUpstreams(agent, timeouts) },
        { provide: CHAT_UPSTREAMS, useValue: createChatUpstreams(agent, timeouts) },
        CompletionService,
        UsagePublisher,
      ],
    };
  }

  /**
   * Kafka being away at boot does not stop chat from serving: the topic and the producer connection are set up in
   * the background, retried until they succeed, and usage waits in the producer's queue meanwhile.
   */
  onApplicationBootstrap(): void {
    void this.prepareKafka();
  }

  private async prepareKafka(attempt = 1): Promise<void> {
    try {
      await ensureTopics(this.kafka, [topicName(topics.usageEvents, this.config.KAFKA_TOPIC_PREFIX)]);
      await this.producer.connect();
    } catch (error) {
      this.logger.warn({ err: error, attempt }, 'Kafka not reachable; usage events queue until it is');
      setTimeout(() => void this.prepareKafka(attempt + 1), Math.min(1_000 * attempt, 10_000)).unref();
    }
  }
}

/**
 * The usage producer over its disk spool, opened before chat serves: what a previous chat process left there is
 * sent first. A spool directory that cannot be used (not writable, or held by another live process) stops the boot
 * rather than let chat serve requests whose usage a crash would lose.
 */
async function openUsageProducer(kafka: ReturnType<typeof createKafka>, config: ChatConfig, logger: Logger, metrics: Registry): Promise<BatchingProducer> {
  const producer = new BatchingProducer(kafka, { logger, spoolDir: config.USAGE_SPOOL_DIR, maxSpoolBytes: config.USAGE_SPOOL_MAX_BYTES });
  await producer.open();
  registerUsageQueueMetrics(metrics, producer);
  return producer;
}
