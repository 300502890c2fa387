import { Registry } from 'prom-client';
import type { BatchingProducerStats } from '@apitopmix/platform/kafka';
import { registerUsageQueueMetrics } from './usage-queue-metrics';

describe('registerUsageQueueMetrics', () => {
  it('reports the producer stats at each scrape, counters moving by what happened since the last one', async () => {
    const registry = new Registry();
    const stats: BatchingProducerStats = { queued: 12, spoolBytes: 4096, spoolSegments: 2, unspooled: 3, dropped: 1, unreadable: 0 };
    registerUsageQueueMetrics(registry, { stats }, 'chat');
    const value = async (name: string) => (await registry.getSingleMetric(name)!.get()).values[0]?.value;

    expect(await value('chat_usage_queued_events')).toBe(12);
    expect(await value('chat_usage_spool_bytes')).toBe(4096);
    expect(await value('chat_usage_spool_segments')).toBe(2);
    expect(await value('chat_usage_events_unspooled_total')).toBe(3);
    expect(await value('chat_usage_events_dropped_total')).toBe(1);

    Object.assign(stats, { queued: 0, unspooled: 5, dropped: 1 });
    expect(await value('chat_usage_queued_events')).toBe(0);
    expect(await value('chat_usage_events_unspooled_total')).toBe(5);
    expect(await value('chat_usage_events_dropped_total')).toBe(1);
    expect(await registry.metrics()).toContain('chat_usage_events_unreadable_total 0');
  });

  it('names the series after the publishing service', async () => {
    const registry = new Registry();
    registerUsageQueueMetrics(registry, { stats: { queued: 3, spoolBytes: 0, spoolSegments: 0, unspooled: 0, dropped: 0, unreadable: 0 } }, 'embeddings');
    expect(await registry.metrics()).toContain('embeddings_usage_queued_events 3');
    expect(await registry.metrics()).not.toContain('chat_usage');
  });
});
