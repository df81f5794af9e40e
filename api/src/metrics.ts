import { createRegistry } from '@todo/platform';
import { Counter, Gauge } from 'prom-client';

/** Prometheus metrics of one api process. */
export function createMetrics() {
  // HTTP request durations are registered by the platform's httpMetrics middleware.
  const registry = createRegistry('api');
  return {
    registry,
    outboxPending: new Gauge({
      name: 'outbox_pending_events',
      help: 'Events committed but not yet published',
      registers: [registry],
    }),
    outboxPublished: new Counter({
      name: 'outbox_published_total',
      help: 'Events published from the outbox',
      labelNames: ['topic'] as const,
      registers: [registry],
    }),
    outboxFailures: new Counter({
      name: 'outbox_publish_failures_total',
      help: 'Failed publish attempts (each is retried)',
      labelNames: ['topic'] as const,
      registers: [registry],
    }),
    retentionPruned: new Counter({
      name: 'retention_pruned_rows_total',
      help: 'Rows deleted by the retention janitor',
      labelNames: ['table'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
