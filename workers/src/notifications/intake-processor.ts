import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { DelayedError } from 'bullmq';
import type { Logger } from '@todo/platform';
import { JOB_NAMES, type ReminderIntakeJob } from '../queues/job-data.js';
import { deliverJobId } from '../queues/job-ids.js';
import type { Queues } from '../queues/queues.js';
import type { DueReminders } from '../reminders/due-reminders.js';
import type { BatchStore } from './batch-store.js';
import type { PreferencesStore } from './preferences-store.js';
import { allowedChannels } from './channels.js';
import { quietHoursEnd } from './quiet-hours.js';

export interface IntakeDeps {
  preferences: PreferencesStore;
  batches: BatchStore;
  due: DueReminders;
  queues: Queues;
  logger: Logger;
  batchWindowMs: number;
}

export type IntakeResult = { deferredUntil: string } | { batchId: string };

/**
 * A reminder fired: hold it during the user's quiet hours (the job itself is moved
 * to the end of the quiet period, never dropped), then put it into the user's open batch
 * and make sure that batch's delivery job exists (ADR 170): due at once when no other
 * reminder of the user is due within the batching window, else when the window closes;
 * the last of those to join moves it up to now, so a batch waits only for what it expects.
 */
export function intakeProcessor(deps: IntakeDeps) {
  const { batches, queues, logger, batchWindowMs } = deps;
  return async (job: Job<ReminderIntakeJob>, token?: string): Promise<IntakeResult> => {
    const { reminder, reminderId, correlationId } = job.data;
    // The owner's latest preferences as the events told us, else the copy the reminder
    // carries (from its task's latest change, or schedule_view): no call to the api.
    const stored = await deps.preferences.get(reminder.userId);
    const preferences = stored
      ? {
          ...stored,
          email: stored.email !== undefined ? stored.email : reminder.preferences.email,
          emailVerified: stored.emailVerified ?? reminder.preferences.emailVerified,
        }
      : reminder.preferences;
    const now = new Date();
    const quietUntil = quietHoursEnd(now, preferences);
    if (quietUntil) {
      logger.info({ deferredUntil: quietUntil.toISOString() }, 'reminder deferred by quiet hours');
      // Reminders deferred to the same end are due together there, so they batch together.
      await deps.due.defer(reminder.userId, reminderId, quietUntil);
      await job.moveToDelayed(quietUntil.getTime(), token);
      throw new DelayedError();
    }
    const channels = allowedChannels(reminder.channels, preferences);
    const { batchId, openedAt, othersDue } = await batches.add(
      reminder.userId,
      {
        reminderId,
        reminder,
        channels,
        timeZone: preferences.timezone,
        email: preferences.email ?? null,
        ...(preferences.emailVerified !== undefined
          ? { emailVerified: preferences.emailVerified }
          : {}),
      },
      randomUUID(),
      now,
      batchWindowMs,
    );
    const jobId = deliverJobId(batchId);
    const delay = othersDue > 0 ? Math.max(0, openedAt.getTime() + batchWindowMs - Date.now()) : 0;
    // Adding an id that exists is a no-op, so every reminder of the batch may (re)ensure it.
    await queues.notifications.add(
      JOB_NAMES.deliverBatch,
      { userId: reminder.userId, batchId, correlationId },
      { jobId, delay },
    );
    if (othersDue === 0) await promoteIfDelayed(queues, jobId);
    logger.info({ batchId, channels, othersDue }, 'reminder added to notification batch');
    return { batchId };
  };
}

/**
 * An earlier reminder of the batch left its delivery waiting for this one: run it now. The
 * job may leave the delayed set by itself meanwhile (its window closed): then there is
 * nothing to move, and it still runs once, under its one id.
 */
async function promoteIfDelayed(queues: Queues, jobId: string): Promise<void> {
  const job = await queues.notifications.getJob(jobId);
  if (!job || !(await job.isDelayed())) return;
  try {
    await job.promote();
  } catch (error) {
    if (await job.isDelayed()) throw error;
  }
}
