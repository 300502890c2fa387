import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ModelCatalog } from '@apitopmix/catalog';
import { topicName, topics, usageEventSchema } from '@apitopmix/contracts';
import { BackgroundConsumer, Consumer, EachBatchPayload, Kafka, KafkaMessage, trackConsumerLag } from '@apitopmix/platform/kafka';
import { Counter, Histogram, latencyBuckets } from '@apitopmix/platform/metrics';
import { CONFIG, LOGGER, METRICS } from '@apitopmix/platform/nest';
import { Attr, startBatchSpan, startConsumerSpan, withSpan } from '@apitopmix/platform/telemetry';
import { BillingConfig } from '../config/billing.config';
import { CREDIT_GATE } from '../credit/credit-gate.module-tokens';
import { CreditGateRepository } from '../credit/credit-gate.repository';
import { LedgerRepository } from './ledger.repository';
import { chargeFor, UsageCharge } from './usage-charge';

export const KAFKA = Symbol('KAFKA');

/**
 * Consumes usage events and settles them into the ledger, a batch at a time. Offsets are committed only after the
 * batch's ledger write: a crash replays the batch, and the ledger's unique event id turns the replay into a no-op.
 * After the write, each account's new balance goes to the credit gate together with the release of the
 * reservations those debits settled (a replayed batch repeats this harmlessly).
 */
@Injectable()
export class UsageConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: Consumer;
  private readonly topic: string;
  private readonly groupId: string;
  private readonly events: Counter<'result'>;
  private readonly settleDuration: Histogram;
  private readonly background: BackgroundConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(CONFIG) config: BillingConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) metrics: Registry,
    private readonly ledger: LedgerRepository,
    private readonly catalog: ModelCatalog,
    @Inject(CREDIT_GATE) private readonly gate: CreditGateRepository,
  ) {
    this.topic = topicName(topics.usageEvents, config.KAFKA_TOPIC_PREFIX);
    // A killed consumer's partitions move to a new one after the session timeout: keep it short.
    this.groupId = config.BILLING_CONSUMER_GROUP;
    this.consumer = kafka.consumer({ groupId: this.groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000, allowAutoTopicCreation: false });
    this.background = new BackgroundConsumer({
      kafka,
      consumer: this.consumer,
      topic: this.topic,
      name: 'usage consumer',
      logger,
      eachBatch: (payload) => this.settleBatch(payload),
    });
    trackConsumerLag(this.consumer, this.groupId, metrics);
    this.events = new Counter({ name: 'billing_usage_events_total', help: 'Usage events by result', labelNames: ['result'], registers: [metrics] });
    this.settleDuration = new Histogram({
      name: 'billing_settle_duration_seconds',
      help: 'Ledger write per batch',
      buckets: latencyBuckets,
      registers: [metrics],
    });
  }

  /**
   * Kafka being away at boot does not keep billing from serving its gRPC methods (the credit gate needs only
   * Redis): the consumer starts in the background and retries until the broker answers.
   */
  onApplicationBootstrap(): void {
    this.background.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.background.stop();
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
    // One ledger write for the batch: its span (and pg's under it) joins the first event's trace, linked from the rest.
    const write = startBatchSpan('billing.ledger.settle', spans, { 'messaging.batch.message_count': charges.length, 'db.system.name': 'postgresql' });
    let inserted: number;
    try {
      const timer = this.settleDuration.startTimer();
      inserted = await withSpan(write, () => this.ledger.settle(charges));
      timer();
      write.setAttribute('apitopmix.ledger.rows_inserted', inserted);
      await withSpan(write, () => this.settleReservations(charges));
    } finally {
      write.end();
      for (const span of spans) span.end();
    }
    this.events.inc({ result: 'settled' }, inserted);
    this.events.inc({ result: 'duplicate' }, charges.length - inserted);
    resolveOffset(batch.messages[batch.messages.length - 1].offset);
    await commitOffsetsIfNecessary();
    await heartbeat();
  }

  /**
   * The credit gate learns each account's balance after these debits and releases their reservations, in one step
   * per account. If Redis fails, the ledger is still right and stays committed: the gate catches up from the next
   * snapshot the edge sends (within seconds), and unreleased reservations expire.
   */
  private async settleReservations(charges: UsageCharge[]): Promise<void> {
    const byAccount = new Map<string, string[]>();
    for (const charge of charges) byAccount.set(charge.accountId, [...(byAccount.get(charge.accountId) ?? []), charge.requestId]);
    try {
      const snapshots = await this.ledger.snapshots([...byAccount.keys()]);
      await Promise.all(
        [...byAccount].flatMap(([accountId, requestIds]) => {
          const snapshot = snapshots.get(accountId);
          return snapshot ? [this.gate.settle(accountId, snapshot, requestIds)] : [];
        }),
      );
    } catch (error) {
      this.events.inc({ result: 'gate_not_settled' }, charges.length);
      this.logger.warn({ err: error, accounts: byAccount.size }, 'credit gate not updated after a ledger write; reservations will expire');
    }
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
    return startConsumerSpan(this.topic, message.headers, {
      'messaging.destination.partition.id': String(partition),
      'messaging.kafka.offset': Number(message.offset),
      'messaging.consumer.group.name': this.groupId,
      [Attr.usageEventId]: charge.eventId,
      [Attr.accountId]: charge.accountId,
      [Attr.requestId]: charge.requestId,
    });
  }
}
