import { Counter, Histogram, latencyBuckets } from '@apitopmix/platform/metrics';
import type { Registry } from 'prom-client';

/** The embeddings service's series; one instance per process, registered on the service's registry. */
export class EmbeddingsMetrics {
  readonly upstreamRequests: Counter<'provider' | 'outcome'>;
  readonly upstreamDuration: Histogram<'provider'>;
  readonly tokens: Counter<'model' | 'estimated'>;
  readonly vectors: Counter<'model'>;

  constructor(registry: Registry) {
    this.upstreamRequests = new Counter({
      name: 'embeddings_upstream_requests_total',
      help: 'Upstream embeddings calls by outcome (completed, cancelled, or the error code of a failed attempt)',
      labelNames: ['provider', 'outcome'],
      registers: [registry],
    });
    this.upstreamDuration = new Histogram({
      name: 'embeddings_upstream_duration_seconds',
      help: 'Upstream embeddings call duration (every batch of one request together)',
      labelNames: ['provider'],
      buckets: latencyBuckets,
      registers: [registry],
    });
    this.tokens = new Counter({
      name: 'embeddings_input_tokens_total',
      help: 'Input tokens billed, by model',
      labelNames: ['model', 'estimated'],
      registers: [registry],
    });
    this.vectors = new Counter({ name: 'embeddings_vectors_total', help: 'Vectors returned, by model', labelNames: ['model'], registers: [registry] });
  }
}
