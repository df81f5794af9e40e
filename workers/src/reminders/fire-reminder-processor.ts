import type { Job } from 'bullmq';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '@todo/platform';
import type { BatchStore } from '../notifications/batch-store.js';
import type { ExpectedReminderGone, ReminderIntake } from '../notifications/intake-processor.js';
import { JOB_NAMES, type FireReminderJob, type ReminderIntakeJob } from '../queues/job-data.js';
import { eventJobId, recipientReminderId } from '../queues/job-ids.js';
import type { Queues } from '../queues/queues.js';
import { forRecipient, type RecipientSource } from './recipients.js';
import type { ReminderScheduler } from './reminder-scheduler.js';

export interface FireReminderDeps {
  queues: Queues;
  scheduler: ReminderScheduler;
  admit: ReminderIntake;
  batches: BatchStore;
  /** Someone the reminder was expected to reach is no longer a recipient (ADR 385). */
  gone: ExpectedReminderGone;
  /** Null without DATABASE_URL (development): the owner of record is the one recipient. */
  recipients: RecipientSource | null;
  logger: Logger;
  metrics: Metrics;
}

/**
 * A reminder's delayed job came due: unless a later event of the task replaced it (completed,
 * deleted, moved), take it into each recipient's notification batch right here (ADR 280: no
 * queue hop between the reminder's time and its notification; a lone one is published by this
 * job). The recipients are read from the database now, not from what the job was scheduled
 * with (ADR 376): the assignee while a member, else every member who opted in, each by their
 * own preferences. A recipient whose quiet hours hold it gets an intake job, which holds it
 * until they end. A retry admits each recipient once (the intake is idempotent per reminder
 * and recipient); once a recipient's reminder is in a batch it is delivered even if its task
 * changed meanwhile (the api leaves out a reminder its task, or recipient, no longer wants).
 * Whoever it was scheduled for (in whose due set it is) and is not a recipient now has it
 * taken out, so their batching stops waiting for it (ADR 385).
 */
export function fireReminderProcessor(deps: FireReminderDeps) {
  const { queues, scheduler, logger, metrics } = deps;
  return async (
    job: Job<FireReminderJob>,
  ): Promise<'fired' | 'stale' | 'deferred' | 'no-recipient'> => {
    const jobId = job.id ?? job.name;
    const { taskId, userId: ownerId, scheduledFor, correlationId } = job.data;
    const latencySeconds = (Date.now() - new Date(scheduledFor).getTime()) / 1000;
    if (job.attemptsMade === 0) metrics.reminderLateness.observe(Math.max(0, latencySeconds));
    const recipients = deps.recipients
      ? await deps.recipients.forTask(taskId)
      : [{ userId: ownerId, preferences: job.data.preferences }];
    // Expected when it was scheduled, not a recipient now: not theirs to wait for any more.
    const now = new Set(recipients.map((r) => r.userId));
    const { current, tracked } = await scheduler.standing(taskId, jobId, ownerId);
    for (const [expectedId, member] of tracked)
      if (!now.has(expectedId)) await deps.gone(expectedId, member);
    let fired = 0;
    let deferred = 0;
    for (const recipient of recipients) {
      const reminderId = recipientReminderId(jobId, recipient.userId, ownerId);
      if (!current && !(await deps.batches.seen(reminderId))) continue;
      const admitted = await deps.admit({
        reminderId,
        correlationId,
        reminder: forRecipient(job.data, recipient),
      });
      if (!('quietUntil' in admitted)) {
        fired += 1;
        continue;
      }
      // Held until the quiet hours end. The job shows ids, not the recipient's address: it
      // reads the recipient again when it runs (ADR 376).
      const held: ReminderIntakeJob = deps.recipients
        ? { reminderId, correlationId, reminder: job.data, recipientId: recipient.userId }
        : { reminderId, correlationId, reminder: job.data };
      await queues.notifications.add(JOB_NAMES.reminderIntake, held, {
        jobId: eventJobId('intake', reminderId),
      });
      deferred += 1;
    }
    if (fired + deferred === 0) {
      if (!current) {
        logger.info({ scheduledFor }, 'reminder replaced by a later change; not fired');
        return 'stale';
      }
      logger.info({ scheduledFor }, 'reminder has no recipient (unassigned, nobody opted in)');
      return 'no-recipient';
    }
    logger.info(
      { scheduledFor, latencyMs: Math.round(latencySeconds * 1000), fired, deferred },
      'reminder fired',
    );
    return fired > 0 ? 'fired' : 'deferred';
  };
}
