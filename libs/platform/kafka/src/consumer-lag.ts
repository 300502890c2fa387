import type { Consumer } from 'kafkajs';
import type { Registry } from 'prom-client';
import { Gauge } from '@apitopmix/platform/metrics';

const LAG = 'kafka_consumer_lag';

/**
 * `kafka_consumer_lag{group,topic,partition}`: how many messages the partition holds beyond the last batch the
 * consumer processed (its high watermark minus the batch's last offset, minus one), updated after each batch.
 * It says how far billing is behind; a consumer that stopped fetching stops updating it (its process is then
 * unready or gone, which other signals show). One gauge per registry, shared by a process's consumers.
 */
export function trackConsumerLag(consumer: Consumer, group: string, registry: Registry): void {
  const gauge =
    (registry.getSingleMetric(LAG) as Gauge<'group' | 'topic' | 'partition'> | undefined) ??
    new Gauge({
      name: LAG,
      help: 'Messages behind the high watermark after the last batch processed, per partition',
      labelNames: ['group', 'topic', 'partition'],
      registers: [registry],
    });
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    gauge.set({ group, topic: payload.topic, partition: String(payload.partition) }, Math.max(0, Number(payload.offsetLag)));
  });
}
