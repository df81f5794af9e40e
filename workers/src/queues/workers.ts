import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { QUEUES, type QueueName } from '@todo/contracts';
import type { WorkersConfig } from '../config.js';
import { runWithContext } from '@todo/platform';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '@todo/platform';
import { workerConnection } from './queues.js';

/** A processor of one queue; `token` is the job lock, needed to move a job to delayed. */
export type Processor = (job: Job, token?: string) => Promise<unknown>;

interface JobContextData {
  correlationId?: string;
  userId?: string;
  taskId?: string;
  reminder?: { userId?: string; taskId?: string };
}

/**
 * One BullMQ Worker for a queue. Each job runs inside a logging context (correlation, user,
 * task and job ids); every outcome is counted; exhausted jobs stay in the failed set.
 */
export function startWorker(
  queue: QueueName,
  processor: Processor,
  deps: { config: WorkersConfig; logger: Logger; metrics: Metrics },
): Worker {
  const { config, logger, metrics } = deps;
  const worker = new Worker(
    queue,
    async (job: Job, token?: string) => {
      const data = job.data as JobContextData;
      const context = {
        correlationId: data.correlationId ?? job.id ?? 'unknown',
        userId: data.userId ?? data.reminder?.userId,
        taskId: data.taskId ?? data.reminder?.taskId,
        jobId: job.id,
        queue,
      };
      return runWithContext(context, async () => {
        try {
          const result = await processor(job, token);
          metrics.jobsProcessed.inc({ queue, outcome: 'completed' });
          return result;
        } catch (error) {
          if (error instanceof DelayedError) {
            metrics.jobsProcessed.inc({ queue, outcome: 'deferred' });
            throw error;
          }
          const attempts = job.opts.attempts ?? 1;
          const last = error instanceof UnrecoverableError || job.attemptsMade + 1 >= attempts;
          metrics.jobsProcessed.inc({ queue, outcome: last ? 'failed' : 'retried' });
          logger[last ? 'error' : 'warn'](
            { err: error, attempt: job.attemptsMade + 1, attempts },
            last ? 'job failed for good (kept in the failed set)' : 'job failed; will retry',
          );
          throw error;
        }
      });
    },
    {
      connection: workerConnection(config),
      prefix: config.QUEUE_PREFIX,
      concurrency: config.WORKER_CONCURRENCY,
      lockDuration: config.WORKER_LOCK_DURATION_MS,
      stalledInterval: config.WORKER_STALLED_INTERVAL_MS,
    },
  );
  worker.on('error', (error) => logger.error({ err: error, queue }, 'worker error'));
  return worker;
}

export const WORKER_QUEUES: QueueName[] = [
  QUEUES.recurrence,
  QUEUES.reminders,
  QUEUES.notifications,
];
