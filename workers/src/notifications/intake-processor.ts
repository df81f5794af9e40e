import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { DelayedError } from 'bullmq';
import type { Logger } from '@todo/platform';
import { JOB_NAMES, type ReminderIntakeJob } from '../queues/job-data.js';
import { deliverJobId } from '../queues/job-ids.js';
import type { Queues } from '../queues/queues.js';
import type { BatchStore } from './batch-store.js';
import type { PreferencesStore } from './preferences-store.js';
import { allowedChannels } from './channels.js';
import { quietHoursEnd } from './quiet-hours.js';

export interface IntakeDeps {
  preferences: PreferencesStore;
  batches: BatchStore;
  queues: Queues;
  logger: Logger;
  batchWindowMs: number;
}

export type IntakeResult = { deferredUntil: string } | { batchId: string };

/**
 * A reminder fired: hold it during the user's quiet hours (the job itself is moved
 * to the end of the quiet period, never dropped), then put it into the user's open batch
 * and make sure that batch's delivery job exists, due when the batching window closes.
 */
export function intakeProcessor(deps: IntakeDeps) {
  const { batches, queues, logger, batchWindowMs } = deps;
  return async (job: Job<ReminderIntakeJob>, token?: string): Promise<IntakeResult> => {
    const { reminder, reminderId, correlationId } = job.data;
    // The owner's latest preferences as the events told us, else the copy the reminder
    // carries (from its task's latest change, or schedule_view): no call to the api.
    const preferences = (await deps.preferences.get(reminder.userId)) ?? reminder.preferences;
    const now = new Date();
    const quietUntil = quietHoursEnd(now, preferences);
    if (quietUntil) {
      logger.info({ deferredUntil: quietUntil.toISOString() }, 'reminder deferred by quiet hours');
      await job.moveToDelayed(quietUntil.getTime(), token);
      throw new DelayedError();
    }
    const channels = allowedChannels(reminder.channels, preferences);
    const { batchId, openedAt } = await batches.add(
      reminder.userId,
      { reminderId, reminder, channels, timeZone: preferences.timezone },
      randomUUID(),
      now,
    );
    const delay = Math.max(0, openedAt.getTime() + batchWindowMs - Date.now());
    // Adding an id that exists is a no-op, so every reminder of the batch may (re)ensure it.
    await queues.notifications.add(
      JOB_NAMES.deliverBatch,
      { userId: reminder.userId, batchId, correlationId },
      { jobId: deliverJobId(batchId), delay },
    );
    logger.info({ batchId, channels }, 'reminder added to notification batch');
    return { batchId };
  };
}
