import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ModelCatalog } from '@apitopmix/catalog';
import { MediaJobUpdate, mediaJobUpdateSchema, topicName, topics } from '@apitopmix/contracts';
import { BackgroundConsumer, Consumer, EachBatchPayload, Kafka, KafkaMessage, trackConsumerLag } from '@apitopmix/platform/kafka';
import { Counter } from '@apitopmix/platform/metrics';
import { CONFIG, LOGGER, METRICS } from '@apitopmix/platform/nest';
import { BillingConfig } from '../config/billing.config';
import { CREDIT_GATE } from '../credit/credit-gate.module-tokens';
import { CreditGateRepository } from '../credit/credit-gate.repository';
import { LedgerRepository } from '../usage/ledger.repository';
import { KAFKA } from '../usage/usage-consumer';
import { UsageCharge } from '../usage/usage-charge';
import { chargeForJob } from './job-charge';

/**
 * Bills media jobs from `media.job-updates.v1` (its own consumer group, `<BILLING_CONSUMER_GROUP>.media-jobs`):
 * - `succeeded`: one ledger debit per job, under the event id derived from the job id, written with the batch's
 *   other debits in one statement (LedgerRepository.settle); a job announced twice, or a replayed batch, inserts
 *   nothing more. Then the credit gate takes the new balance and releases the job's reservation (its id is the
 *   submit's request id), as for chat usage.
 * - `failed`: no charge; the job's reservation is released at once (rather than at its expiry).
 * - `queued`, `in_progress`: nothing to bill.
 * Offsets are committed only after the ledger write, so a crash replays the batch harmlessly.
 */
@Injectable()
export class JobUpdateConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: Consumer;
  private readonly topic: string;
  private readonly updates: Counter<'result'>;
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
    this.topic = topicName(topics.mediaJobUpdates, config.KAFKA_TOPIC_PREFIX);
    const groupId = `${config.BILLING_CONSUMER_GROUP}.media-jobs`;
    this.consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000, allowAutoTopicCreation: false });
    this.background = new BackgroundConsumer({
      kafka,
      consumer: this.consumer,
      topic: this.topic,
      name: 'media job consumer',
      logger,
      eachBatch: (payload) => this.settleBatch(payload),
    });
    trackConsumerLag(this.consumer, groupId, metrics);
    this.updates = new Counter({
      name: 'billing_media_job_updates_total',
      help: 'Media job updates by result (charged, duplicate, released, ignored, rejected)',
      labelNames: ['result'],
      registers: [metrics],
    });
  }

  onApplicationBootstrap(): void {
    this.background.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.background.stop();
  }

  private async settleBatch({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat }: EachBatchPayload): Promise<void> {
    if (batch.messages.length === 0) return;
    const charges: UsageCharge[] = [];
    const failures: MediaJobUpdate[] = [];
    for (const message of batch.messages) {
      const update = this.parse(message);
      if (!update) continue;
      if (update.status === 'succeeded') {
        const charge = this.charge(update, message);
        if (charge) charges.push(charge);
      } else if (update.status === 'failed') failures.push(update);
      else this.updates.inc({ result: 'ignored' });
    }
    // The same job announced twice in one batch is one charge.
    const unique = [...new Map(charges.map((charge) => [charge.eventId, charge])).values()];
    const inserted = await this.ledger.settle(unique);
    this.updates.inc({ result: 'charged' }, inserted);
    this.updates.inc({ result: 'duplicate' }, charges.length - inserted);
    await this.settleReservations(unique, failures);
    resolveOffset(batch.messages[batch.messages.length - 1].offset);
    await commitOffsetsIfNecessary();
    await heartbeat();
  }

  /** Charged jobs: the gate takes the new balance and drops their reservations. Failed jobs: their reservations go. */
  private async settleReservations(charges: UsageCharge[], failures: MediaJobUpdate[]): Promise<void> {
    try {
      const byAccount = new Map<string, string[]>();
      for (const charge of charges) byAccount.set(charge.accountId, [...(byAccount.get(charge.accountId) ?? []), charge.requestId]);
      const snapshots = await this.ledger.snapshots([...byAccount.keys()]);
      await Promise.all([
        ...[...byAccount].flatMap(([accountId, requestIds]) => {
          const snapshot = snapshots.get(accountId);
          return snapshot ? [this.gate.settle(accountId, snapshot, requestIds)] : [];
        }),
        ...failures.map((update) => this.gate.adjust(update.accountId, update.requestId, 0n)),
      ]);
      this.updates.inc({ result: 'released' }, failures.length);
    } catch (error) {
      // The ledger is right and committed; unreleased reservations expire on their own.
      this.logger.warn({ err: error }, 'credit gate not updated for media jobs; their reservations will expire');
    }
  }

  /** A message that is not a valid job update can never become one: it is logged and skipped. */
  private parse(message: KafkaMessage): MediaJobUpdate | undefined {
    try {
      return mediaJobUpdateSchema.parse(JSON.parse(message.value?.toString('utf8') ?? ''));
    } catch (error) {
      this.updates.inc({ result: 'rejected' });
      this.logger.error({ err: error, offset: message.offset, key: message.key?.toString() }, 'rejected media job update');
      return undefined;
    }
  }

  private charge(update: MediaJobUpdate, message: KafkaMessage): UsageCharge | undefined {
    try {
      return chargeForJob(update, this.catalog);
    } catch (error) {
      this.updates.inc({ result: 'rejected' });
      this.logger.error({ err: error, offset: message.offset, jobId: update.jobId }, 'media job success that cannot be priced');
      return undefined;
    }
  }
}
