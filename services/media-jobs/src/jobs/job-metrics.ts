import type { Registry } from 'prom-client';
import { Counter, Gauge } from '@apitopmix/platform/metrics';

/** The job machinery's Prometheus series. */
export class JobMetrics {
  readonly runs: Counter<'end'>;
  readonly owned: Gauge;
  readonly claimErrors: Counter;
  readonly takenOver: Counter;
  readonly eventsPublished: Counter;
  readonly publishErrors: Counter;

  constructor(registry: Registry) {
    this.runs = new Counter({
      name: 'media_jobs_runs_total',
      help: 'Job runs by how they ended (succeeded, failed, lost: another worker has it, stopped: shutdown, error)',
      labelNames: ['end'],
      registers: [registry],
    });
    this.owned = new Gauge({ name: 'media_jobs_owned', help: 'Jobs this worker holds a lease on', registers: [registry] });
    this.takenOver = new Counter({
      name: 'media_jobs_taken_over_total',
      help: 'Jobs claimed after another worker had started them (its lease expired: crashed, stopped or cut off)',
      registers: [registry],
    });
    this.claimErrors = new Counter({
      name: 'media_jobs_claim_errors_total',
      help: 'Failed attempts to claim jobs (database unreachable)',
      registers: [registry],
    });
    this.eventsPublished = new Counter({ name: 'media_job_events_published_total', help: 'Job updates published from the outbox', registers: [registry] });
    this.publishErrors = new Counter({
      name: 'media_job_events_publish_errors_total',
      help: 'Outbox publications that failed (retried)',
      registers: [registry],
    });
  }
}
