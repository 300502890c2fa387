import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { common, topicName, topics, usageEventSchema } from '@apitopmix/contracts';
import type { BatchingProducer } from '@apitopmix/platform/kafka';
import { traceHeaders } from '@apitopmix/platform/telemetry';

/** A usage event as written: fields the schema defaults may be left out, billing fills them in. */
export type UsageEventInput = z.input<typeof usageEventSchema>;

/** What the service that made the upstream call knows; ids and times are added here. */
export type UsageFacts = Omit<UsageEventInput, 'schema' | 'eventId' | 'occurredAt' | 'requestId' | 'accountId' | 'apiKeyId'> & {
  caller: common.CallerContext;
};

/**
 * Publishes one usage event per upstream call, off the request path, through the service's batching producer (and
 * its disk spool). The event id is created here, where the usage happened, and is what makes billing idempotent.
 * No NestJS: a service's module provides it.
 */
export class UsagePublisher {
  private readonly topic: string;

  constructor(
    private readonly producer: Pick<BatchingProducer, 'enqueue'>,
    topicPrefix: string,
    private readonly logger: Logger,
  ) {
    this.topic = topicName(topics.usageEvents, topicPrefix);
  }

  publish(facts: UsageFacts): UsageEventInput {
    const { caller, ...rest } = facts;
    const event: UsageEventInput = {
      schema: 'usage.v1',
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      requestId: caller.requestId,
      accountId: caller.accountId,
      apiKeyId: caller.apiKeyId,
      // Tokens unless the facts say otherwise (media counts images, seconds or tracks).
      unit: 'token',
      ...rest,
    };
    // The event's `create` span, in the trace of the request that used it: billing's consumer span is its child.
    const headers = traceHeaders(this.topic, { 'messaging.message.id': event.eventId as string });
    const queued = this.producer.enqueue({ topic: this.topic, key: event.accountId, value: JSON.stringify(event), headers });
    if (!queued) this.logger.error({ eventId: event.eventId, requestId: event.requestId }, 'usage queue full: event dropped');
    return event;
  }
}
