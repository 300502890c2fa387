import { Counter, Gauge } from '@apitopmix/platform/metrics';
import type { BatchingProducerStats } from '@apitopmix/platform/kafka';
import type { Registry } from 'prom-client';

/**
 * The usage producer's queue and spool as Prometheus series, read at scrape time, named after the service that
 * publishes (`chat_usage_…`, `embeddings_usage_…`). The ones to alert on: `<service>_usage_events_unspooled_total`
 * (events kept in memory only: the spool was full or failing, so a crash would lose them) and
 * `<service>_usage_events_dropped_total` (events refused outright: usage never billed).
 */
export function registerUsageQueueMetrics(registry: Registry, producer: { readonly stats: BatchingProducerStats }, service: string): void {
  const gauge = (name: string, help: string, read: (s: BatchingProducerStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(producer.stats));
      },
    });
  // The producer counts from its start; a counter series only ever moves up by the difference.
  const counter = (name: string, help: string, read: (s: BatchingProducerStats) => number) => {
    let reported = 0;
    return new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const now = read(producer.stats);
        if (now > reported) this.inc(now - reported);
        reported = now;
      },
    });
  };
  gauge(`${service}_usage_queued_events`, 'Usage events accepted and not yet acknowledged by Kafka', (s) => s.queued);
  gauge(`${service}_usage_spool_bytes`, 'Bytes of usage spool segment files on disk', (s) => s.spoolBytes);
  gauge(`${service}_usage_spool_segments`, 'Usage spool segment files on disk', (s) => s.spoolSegments);
  counter(`${service}_usage_events_unspooled_total`, 'Usage events kept in memory only because the spool was full or failing', (s) => s.unspooled);
  counter(`${service}_usage_events_dropped_total`, 'Usage events refused because the in-memory bound was reached', (s) => s.dropped);
  counter(`${service}_usage_events_unreadable_total`, 'Usage events lost because a spool segment could not be read back', (s) => s.unreadable);
}
