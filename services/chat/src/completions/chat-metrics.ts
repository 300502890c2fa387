import { Counter, Gauge, Histogram, latencyBuckets } from '@apitopmix/platform/metrics';
import type { Registry } from 'prom-client';

/** The chat service's series; one instance per process, registered on the service's registry. */
export class ChatMetrics {
  readonly upstreamRequests: Counter<'provider' | 'outcome' | 'streamed'>;
  readonly upstreamDuration: Histogram<'provider' | 'streamed'>;
  readonly timeToFirstToken: Histogram<'provider' | 'model'>;
  readonly tokens: Counter<'model' | 'direction'>;
  readonly upstreamErrors: Counter<'provider' | 'code'>;
  readonly streamsInFlight: Gauge;

  constructor(registry: Registry) {
    this.upstreamRequests = new Counter({
      name: 'chat_upstream_requests_total',
      help: 'Upstream chat calls by outcome',
      labelNames: ['provider', 'outcome', 'streamed'],
      registers: [registry],
    });
    this.upstreamDuration = new Histogram({
      name: 'chat_upstream_duration_seconds',
      help: 'Upstream chat call duration',
      labelNames: ['provider', 'streamed'],
      buckets: latencyBuckets,
      registers: [registry],
    });
    this.timeToFirstToken = new Histogram({
      name: 'chat_time_to_first_token_seconds',
      help: 'Time from the upstream call to its first stream event',
      labelNames: ['provider', 'model'],
      buckets: latencyBuckets,
      registers: [registry],
    });
    this.tokens = new Counter({ name: 'chat_tokens_total', help: 'Tokens by model and direction', labelNames: ['model', 'direction'], registers: [registry] });
    this.upstreamErrors = new Counter({
      name: 'chat_upstream_errors_total',
      help: 'Failed upstream attempts (and streams failing mid-way) by provider and error code',
      labelNames: ['provider', 'code'],
      registers: [registry],
    });
    this.streamsInFlight = new Gauge({ name: 'chat_streams_in_flight', help: 'Streams being relayed from upstreams', registers: [registry] });
  }
}
