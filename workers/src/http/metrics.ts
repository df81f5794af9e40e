import { createRegistry } from '@todo/platform';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Queue } from 'bullmq';

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/** Prometheus metrics of one workers process; queue depths are read from Redis on scrape. */
export function createMetrics(queues: Queue[]) {
  const registry = createRegistry('workers');
  return {
    registry,
    queueDepth: new Gauge({
      name: 'bullmq_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'] as const,
      registers: [registry],
      async collect() {
        await Promise.all(
          queues.map(async (queue) => {
            const counts = await queue.getJobCounts(...JOB_STATES).catch(() => null);
            if (!counts) return;
            for (const state of JOB_STATES)
              this.set({ queue: queue.name, state }, counts[state] ?? 0);
          }),
        );
      },
    }),
    bridgeEvents: new Counter({
      name: 'bridge_events_total',
      help: 'CloudEvents received by the bridge, by topic and answer',
      labelNames: ['topic', 'status'] as const,
      registers: [registry],
    }),
    jobsProcessed: new Counter({
      name: 'worker_jobs_total',
      help: 'Jobs finished by the workers, by queue and outcome',
      labelNames: ['queue', 'outcome'] as const,
      registers: [registry],
    }),
    reminderLateness: new Histogram({
      name: 'reminder_fire_lateness_seconds',
      help: 'Delay between a reminder time and its delayed job firing',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 30, 60],
      registers: [registry],
    }),
    nextInstanceLatency: new Histogram({
      name: 'recurrence_next_instance_seconds',
      help: 'Delay between completing a recurring task and its occurrence.due being accepted for delivery',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    reconcileRuns: new Counter({
      name: 'reconcile_runs_total',
      help: 'Schedule reconciler passes, by outcome (ok, error)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    reconcileDrift: new Counter({
      name: 'reconcile_drift_total',
      help: 'Jobs the database owed that Redis did not have, by kind (reminder, nextInstance)',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    reconcileRebuilt: new Counter({
      name: 'reconcile_jobs_rebuilt_total',
      help: 'Jobs the reconciler added back from the database, by kind',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    reconcilePass: new Histogram({
      name: 'reconcile_pass_seconds',
      help: 'Duration of one reconciler pass that finished without error',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    reconcileLastSuccess: new Gauge({
      name: 'reconcile_last_success_timestamp_seconds',
      help: 'When the last reconciler pass finished without error (unix seconds)',
      registers: [registry],
    }),
    deliveries: new Counter({
      name: 'notification_deliveries_total',
      help: 'Notification deliveries by channel and outcome (sent, skipped, failed)',
      labelNames: ['channel', 'status'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
