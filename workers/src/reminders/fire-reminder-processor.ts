import type { Job } from 'bullmq';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '@todo/platform';
import { JOB_NAMES, type FireReminderJob } from '../queues/job-data.js';
import { eventJobId } from '../queues/job-ids.js';
import type { Queues } from '../queues/queues.js';
import type { ReminderScheduler } from './reminder-scheduler.js';

export interface FireReminderDeps {
  queues: Queues;
  scheduler: ReminderScheduler;
  logger: Logger;
  metrics: Metrics;
}

/**
 * A reminder's delayed job came due: unless a later event of the task replaced it (completed,
 * deleted, moved), hand it to the notification queue (one intake job per fired reminder, so a
 * retried fire adds nothing). Everything it needs rides in the job; nothing is asked of the api.
 */
export function fireReminderProcessor({ queues, scheduler, logger, metrics }: FireReminderDeps) {
  return async (job: Job<FireReminderJob>): Promise<'fired' | 'stale'> => {
    const jobId = job.id ?? job.name;
    const { taskId, scheduledFor, correlationId } = job.data;
    const latencySeconds = (Date.now() - new Date(scheduledFor).getTime()) / 1000;
    if (job.attemptsMade === 0) metrics.reminderLateness.observe(Math.max(0, latencySeconds));
    if (!(await scheduler.isCurrent(taskId, jobId))) {
      logger.info({ scheduledFor }, 'reminder replaced by a later change; not fired');
      return 'stale';
    }
    await queues.notifications.add(
      JOB_NAMES.reminderIntake,
      { reminderId: jobId, correlationId, reminder: job.data },
      { jobId: eventJobId('intake', jobId) },
    );
    logger.info({ scheduledFor, latencyMs: Math.round(latencySeconds * 1000) }, 'reminder fired');
    return 'fired';
  };
}
