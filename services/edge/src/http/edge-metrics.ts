import { Counter, Gauge, Histogram, latencyBuckets } from '@apitopmix/platform/metrics';
import type { Registry } from 'prom-client';

/** The edge's series; one instance per process. */
export class EdgeMetrics {
  readonly requests: Histogram<'route' | 'method' | 'status'>;
  readonly streamsInFlight: Gauge;
  readonly timeToFirstToken: Histogram<'model'>;
  readonly streamsCut: Counter;
  readonly admissionDegraded: Counter<'outcome'>;
  readonly creditDegraded: Counter<'decision'>;

  constructor(registry: Registry) {
    this.requests = new Histogram({
      name: 'edge_http_request_duration_seconds',
      help: 'HTTP requests by route and status (streams: until the last byte)',
      labelNames: ['route', 'method', 'status'],
      buckets: latencyBuckets,
      registers: [registry],
    });
    this.streamsInFlight = new Gauge({ name: 'edge_streams_in_flight', help: 'SSE streams open to clients', registers: [registry] });
    this.timeToFirstToken = new Histogram({
      name: 'edge_time_to_first_token_seconds',
      help: 'Streams: from the call to chat to the first event, as the client sees it less the network',
      labelNames: ['model'],
      buckets: latencyBuckets,
      registers: [registry],
    });
    this.streamsCut = new Counter({ name: 'edge_streams_cut_total', help: 'Streams cut by a shutdown whose grace period ran out', registers: [registry] });
    this.admissionDegraded = new Counter({
      name: 'edge_admission_degraded_total',
      help: 'Requests decided without the rate-limit service: admitted (unreachable) or shed (no answer in time)',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.creditDegraded = new Counter({
      name: 'edge_credit_degraded_total',
      help: 'Credit decisions taken from the cached balance while billing was unreachable',
      labelNames: ['decision'],
      registers: [registry],
    });
  }
}
