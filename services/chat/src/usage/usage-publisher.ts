import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { common, topicName, topics, UsageEvent } from '@apitopmix/contracts';
import { BatchingProducer } from '@apitopmix/platform/kafka';
import { LOGGER } from '@apitopmix/platform/nest';
import { traceHeaders } from '@apitopmix/platform/telemetry';

export const USAGE_PRODUCER = Symbol('USAGE_PRODUCER');
export const TOPIC_PREFIX = Symbol('TOPIC_PREFIX');

export interface UsageFacts {
  caller: common.CallerContext;
  model: string;
  provider: string;
  upstreamModel: string;
  inputTokens: number;
  outputTokens: number;
  tokensEstimated: boolean;
  outcome: UsageEvent['outcome'];
  streamed: boolean;
}

/**
 * Publishes one usage event per upstream call, off the request path. The event id is created here, where the
 * usage happened, and is what makes billing idempotent.
 */
@Injectable()
export class UsagePublisher implements OnApplicationShutdown {
  private readonly topic: string;

  constructor(
    @Inject(USAGE_PRODUCER) private readonly producer: BatchingProducer,
    @Inject(TOPIC_PREFIX) prefix: string,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.topic = topicName(topics.usageEvents, prefix);
  }

  publish(facts: UsageFacts): UsageEvent {
    const { caller, ...rest } = facts;
    const event: UsageEvent = {
      schema: 'usage.v1',
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      requestId: caller.requestId,
      accountId: caller.accountId,
      apiKeyId: caller.apiKeyId,
      unit: 'token',
      ...rest,
    };
    const queued = this.producer.enqueue({ topic: this.topic, key: event.accountId, value: JSON.stringify(event), headers: traceHeaders() });
    if (!queued) this.logger.error({ eventId: event.eventId, requestId: event.requestId }, 'usage queue full: event dropped');
    return event;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }
}
