import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ModelCatalog } from '@apitopmix/catalog';
import { topicName, topics, usageEventSchema } from '@apitopmix/contracts';
import { Consumer, EachBatchPayload, ensureTopics, Kafka, KafkaMessage } from '@apitopmix/platform/kafka';
import { Counter, Histogram, latencyBuckets } from '@apitopmix/platform/metrics';
import { CONFIG, LOGGER, METRICS } from '@apitopmix/platform/nest';
import { startConsumerSpan } from '@apitopmix/platform/telemetry';
import { BillingConfig } from '../config/billing.config';
import { LedgerRepository } from './ledger.repository';
import { chargeFor, UsageCharge } from './usage-charge';

export const KAFKA = Symbol('KAFKA');

/**
 * Consumes usage events and settles them into the ledger, a batch at a time. Offsets are committed only after the
 * batch's ledger write: a crash replays the batch, and the ledger's unique event id turns the replay into a no-op.
 */
@Injectable()
export class UsageConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: Consumer;
  private readonly topic: string;
  private readonly events: Counter<'result'>;
  private readonly settleDuration: Histogram;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(CONFIG) config: BillingConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) metrics: Registry,
    private readonly ledger: LedgerRepository,
    private readonly catalog: ModelCatalog,
  ) {
    this.topic = topicName(topics.usageEvents, config.KAFKA_TOPIC_PREFIX);
    // A killed consumer's partitions move to a new one after the session timeout: keep it short.
    this.consumer = kafka.consumer({ groupId: config.BILLING_CONSUMER_GROUP, sessionTimeout: 10_000, heartbeatInterval: 1_000, allowAutoTopicCreation: false });
    this.events = new Counter({ name: 'billing_usage_events_total', help: 'Usage events by result', labelNames: ['result'], registers: [metrics] });
    this.settleDuration = new Histogram({
      name: 'billing_settle_duration_seconds',
      help: 'Ledger write per batch',
      buckets: latencyBuckets,
      registers: [metrics],
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await ensureTopics(this.kafka, [this.topic]);
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({ eachBatch: (payload) => this.settleBatch(payload) });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.disconnect();
  }

  private async settleBatch({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat }: EachBatchPayload): Promise<void> {
    if (batch.messages.length === 0) return;
    const charges: UsageCharge[] = [];
    const spans = [];
    for (const message of batch.messages) {
      const charge = this.toCharge(message);
      if (!charge) continue;
      charges.push(charge);
      spans.push(this.startSpan(message, charge, batch.partition));
    }
    const timer = this.settleDuration.startTimer();
    const inserted = await this.ledger.settle(charges);
    timer();
    for (const span of spans) span.end();
    this.events.inc({ result: 'settled' }, inserted);
    this.events.inc({ result: 'duplicate' }, charges.length - inserted);
    resolveOffset(batch.messages[batch.messages.length - 1].offset);
    await commitOffsetsIfNecessary();
    await heartbeat();
  }

  /** A message that is not a valid usage event can never become one: it is logged loudly and skipped. */
  private toCharge(message: KafkaMessage): UsageCharge | undefined {
    try {
      const event = usageEventSchema.parse(JSON.parse(message.value?.toString('utf8') ?? ''));
      return chargeFor(event, this.catalog);
    } catch (error) {
      this.events.inc({ result: 'rejected' });
      this.logger.error({ err: error, offset: message.offset, key: message.key?.toString() }, 'rejected usage event');
      return undefined;
    }
  }

  /** A consumer span in the trace of the request that produced the event (W3C headers set by chat). */
  private startSpan(message: KafkaMessage, charge: UsageCharge, partition: number) {
    return startConsumerSpan(`${this.topic} process`, message.headers, {
      'messaging.system': 'kafka',
      'messaging.destination.name': this.topic,
      'messaging.destination.partition.id': String(partition),
      'messaging.kafka.offset': Number(message.offset),
      'apitopmix.usage.event_id': charge.eventId,
      'apitopmix.account.id': charge.accountId,
    });
  }
}
