import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { DelayedError } from 'bullmq';
import type { Logger } from '@todo/platform';
import { JOB_NAMES, type ReminderIntakeJob } from '../queues/job-data.js';
import { deliverJobId } from '../queues/job-ids.js';
import type { Queues } from '../queues/queues.js';
import type { DueReminders } from '../reminders/due-reminders.js';
import { forRecipient, type RecipientSource } from '../reminders/recipients.js';
import type { BatchStore } from './batch-store.js';
import type { PreferencesStore } from './preferences-store.js';
import { allowedChannels } from './channels.js';
import { quietHoursEnd } from './quiet-hours.js';
import type { EventPublisher } from '../events/event-publisher.js';
import { publishLoneBatch } from './deliver-processor.js';

export interface IntakeDeps {
  preferences: PreferencesStore;
  batches: BatchStore;
  queues: Queues;
  publisher: EventPublisher;
  logger: Logger;
  batchWindowMs: number;
}

export type ReminderIntake = ReturnType<typeof reminderIntake>;

interface IntakeJobDeps {
  admit: ReminderIntake;
  due: DueReminders;
  /** Null without DATABASE_URL: a held reminder is for the owner it names. */
  recipients: RecipientSource | null;
  logger: Logger;
}

export type IntakeResult =
  { deferredUntil: string } | { batchId: string } | { dropped: 'not-a-recipient' };

type Admission = { quietUntil: Date } | { batchId: string; lone: boolean };

/**
 * Takes a fired reminder into the user's notification batch, unless the user's quiet hours
 * hold it (then nothing is changed and their end is returned: the caller defers the
 * reminder). The batch's delivery job is made sure of (ADR 170): due at once when no other
 * reminder of the user is due within the batching window, else when the window closes; the
 * last of those to join moves it up to now, so a batch waits only for what it expects. A
 * lone batch (ADR 280: opened by this reminder, nothing due in its window, closed as it
 * formed) is published here, before the delivery job exists, which then sends the other
 * channels. Idempotent per reminder: a retry joins the same batch and decides the same way.
 */
export function reminderIntake(deps: IntakeDeps) {
  const { batches, queues, logger, batchWindowMs } = deps;
  return async (data: ReminderIntakeJob): Promise<Admission> => {
    const { reminder, reminderId, correlationId } = data;
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
    if (quietUntil) return { quietUntil };
    const channels = allowedChannels(reminder.channels, preferences);
    const { batchId, openedAt, othersDue, lone } = await batches.add(
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
    const batch = { userId: reminder.userId, batchId, correlationId };
    if (lone) await publishLoneBatch(deps, batch);
    const jobId = deliverJobId(batchId);
    const delay = othersDue > 0 ? Math.max(0, openedAt.getTime() + batchWindowMs - Date.now()) : 0;
    // Adding an id that exists is a no-op, so every reminder of the batch may (re)ensure it.
    await queues.notifications.add(JOB_NAMES.deliverBatch, batch, { jobId, delay });
    if (othersDue === 0 && !lone) await promoteIfDelayed(queues, jobId);
    logger.info({ batchId, channels, othersDue, lone }, 'reminder added to notification batch');
    return { batchId, lone };
  };
}

/**
 * A reminder expected to reach the user (in their due set) will not: they are no longer one
 * of its recipients when it fires (ADR 385). It leaves their due set, and an open batch of
 * theirs that expects nothing else is delivered now, as when the last expected reminder
 * joins it, rather than at the end of its window.
 */
export function expectedReminderGone(
  deps: Pick<IntakeDeps, 'batches' | 'queues' | 'batchWindowMs'>,
) {
  return async (userId: string, reminderId: string): Promise<void> => {
    const batchId = await deps.batches.release(userId, reminderId, new Date(), deps.batchWindowMs);
    if (batchId) await promoteIfDelayed(deps.queues, deliverJobId(batchId));
  };
}

export type ExpectedReminderGone = ReturnType<typeof expectedReminderGone>;

/**
 * The `reminder` job: a reminder that met the user's quiet hours when it fired. It is held
 * (the job itself is moved to the end of the quiet period, never dropped), then taken into a
 * batch as above. A job naming its recipient (ADR 376) reads them again each time it runs: a
 * member removed (or who opted out) while it was held gets nothing; preferences are theirs now.
 */
export function intakeProcessor({ admit, due, recipients, logger }: IntakeJobDeps) {
  const forWhom = async (data: ReminderIntakeJob): Promise<ReminderIntakeJob | null> => {
    const { recipientId, reminder } = data;
    if (recipientId === undefined) return data;
    if (!recipients) return recipientId === reminder.userId ? data : null;
    const recipient = (await recipients.forTask(reminder.taskId)).find(
      (r) => r.userId === recipientId,
    );
    return recipient ? { ...data, reminder: forRecipient(reminder, recipient) } : null;
  };
  return async (job: Job<ReminderIntakeJob>, token?: string): Promise<IntakeResult> => {
    const data = await forWhom(job.data);
    if (!data) {
      logger.info('held reminder no longer has this recipient; not delivered');
      return { dropped: 'not-a-recipient' };
    }
    const admitted = await admit(data);
    if ('quietUntil' in admitted) {
      const { quietUntil } = admitted;
      const { reminder, reminderId } = data;
      logger.info({ deferredUntil: quietUntil.toISOString() }, 'reminder deferred by quiet hours');
      // Reminders deferred to the same end are due together there, so they batch together.
      await due.defer(reminder.userId, reminderId, quietUntil);
      await job.moveToDelayed(quietUntil.getTime(), token);
      throw new DelayedError();
    }
    return { batchId: admitted.batchId };
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
