import type { Job } from 'bullmq';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '@todo/platform';
import type { BatchStore } from '../notifications/batch-store.js';
import type { ReminderIntake } from '../notifications/intake-processor.js';
import { JOB_NAMES, type FireReminderJob, type ReminderIntakeJob } from '../queues/job-data.js';
import { eventJobId } from '../queues/job-ids.js';
import type { Queues } from '../queues/queues.js';
import type { ReminderScheduler } from './reminder-scheduler.js';

export interface FireReminderDeps {
  queues: Queues;
  scheduler: ReminderScheduler;
  admit: ReminderIntake;
  batches: BatchStore;
  logger: Logger;
  metrics: Metrics;
}

/**
 * A reminder's delayed job came due: unless a later event of the task replaced it (completed,
 * deleted, moved), take it into the user's notification batch right here (ADR 280: no queue
 * hop between the reminder's time and its notification; a lone one is published by this
 * job). Only a reminder that meets the user's quiet hours goes on as an intake job, which
 * holds it until they end. Everything it needs rides in the job; nothing is asked of the api.
 * A retry joins the same batch (the intake is idempotent per reminder); once the reminder is
 * in a batch it is delivered even if its task changed meanwhile (the api leaves out a
 * reminder its task no longer wants).
 */
export function fireReminderProcessor(deps: FireReminderDeps) {
  const { queues, scheduler, logger, metrics } = deps;
  return async (job: Job<FireReminderJob>): Promise<'fired' | 'stale' | 'deferred'> => {
    const jobId = job.id ?? job.name;
    const { taskId, scheduledFor, correlationId } = job.data;
    const latencySeconds = (Date.now() - new Date(scheduledFor).getTime()) / 1000;
    if (job.attemptsMade === 0) metrics.reminderLateness.observe(Math.max(0, latencySeconds));
    if (!(await scheduler.isCurrent(taskId, jobId)) && !(await deps.batches.seen(jobId))) {
      logger.info({ scheduledFor }, 'reminder replaced by a later change; not fired');
      return 'stale';
    }
    const intake: ReminderIntakeJob = { reminderId: jobId, correlationId, reminder: job.data };
    const admitted = await deps.admit(intake);
    if ('quietUntil' in admitted) {
      // The intake job holds it until the quiet hours end (one per fired reminder).
      await queues.notifications.add(JOB_NAMES.reminderIntake, intake, {
        jobId: eventJobId('intake', jobId),
      });
      return 'deferred';
    }
    logger.info({ scheduledFor, latencyMs: Math.round(latencySeconds * 1000) }, 'reminder fired');
    return 'fired';
  };
}
