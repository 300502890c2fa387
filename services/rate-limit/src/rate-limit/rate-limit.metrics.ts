import { Inject, Injectable } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { Counter, Histogram, latencyBuckets } from '@apitopmix/platform/metrics';
import { METRICS } from '@apitopmix/platform/nest';

export type Decision = 'allowed' | 'denied' | 'degraded';

/** The service's Prometheus series, registered once on the process registry. */
@Injectable()
export class RateLimitMetrics {
  readonly decisions: Counter<'decision'>;
  readonly redisFailures: Counter;
  readonly admitDuration: Histogram;

  constructor(@Inject(METRICS) registry: Registry) {
    this.decisions = new Counter({
      name: 'ratelimit_decisions_total',
      help: 'Admit decisions: allowed, denied, or degraded (allowed because Redis could not answer).',
      labelNames: ['decision'],
      registers: [registry],
    });
    this.redisFailures = new Counter({
      name: 'ratelimit_redis_failures_total',
      help: 'Admit and Settle calls whose Redis script failed or timed out (the service failed open).',
      registers: [registry],
    });
    this.admitDuration = new Histogram({
      name: 'ratelimit_admit_duration_seconds',
      help: 'Time to decide one Admit, Redis round trip included.',
      buckets: latencyBuckets,
      registers: [registry],
    });
  }
}
