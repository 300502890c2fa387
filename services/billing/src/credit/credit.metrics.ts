import type { Registry } from 'prom-client';
import { Counter } from '@apitopmix/platform/metrics';

/** The credit gate's decisions, by outcome. */
export class CreditMetrics {
  readonly decisions: Counter<'decision'>;

  constructor(registry: Registry) {
    this.decisions = new Counter({
      name: 'billing_credit_decisions_total',
      help: 'Credit gate authorizations by decision',
      labelNames: ['decision'],
      registers: [registry],
    });
  }
}
