import type { ReminderPreferences, Task } from '@todo/contracts';
import type { Logger } from '@todo/platform';
import { JOB_NAMES, type ReminderDetails } from '../queues/job-data.js';
import { recipientReminderId, reminderJobId } from '../queues/job-ids.js';
import type { Queues } from '../queues/queues.js';
import { KeyedSerializer } from './keyed-serializer.js';
import type { DueReminders } from './due-reminders.js';
import type { ExpectedRecipientSource } from './recipients.js';
import type { ReminderState, TrackedRecipients } from './reminder-state.js';

/** Tolerance for clock skew between the api (event time) and this process. */
const PAST_TOLERANCE_MS = 1000;
const STATE_TTL_FLOOR_S = 30 * 24 * 3600;

export type ScheduleOutcome = 'scheduled' | 'removed' | 'none' | 'out-of-order';

/**
 * Keeps exactly one delayed `fire` job per task at `task.reminderAt`: adds it,
 * moves it (remove + add under a new time-stamped id) or removes it, from the task snapshot
 * each task event carries. Beside the job, the reminder is put in the due set of everyone it
 * is expected to reach (ADR 385), so each one's batching waits for it.
 */
export class ReminderScheduler {
  private readonly serializer = new KeyedSerializer();

  constructor(
    private readonly queues: Queues,
    private readonly state: ReminderState,
    private readonly due: DueReminders,
    /** Null without DATABASE_URL: the owner of record is the one recipient expected. */
    private readonly recipients: ExpectedRecipientSource | null,
    private readonly logger: Logger,
  ) {}

  /** From a task event: its snapshot and its owner's preferences at the time of the change. */
  apply(
    task: Task,
    preferences: ReminderPreferences,
    eventTime: Date,
    correlationId: string,
  ): Promise<ScheduleOutcome> {
    const at = wantedReminderTime(task, eventTime);
    const details: ReminderDetails = {
      title: task.title,
      dueDate: task.dueDate ?? '',
      channels: task.reminderChannels,
      preferences,
    };
    return this.place(task.id, task.userId, task.version, at, correlationId, details);
  }

  /**
   * Puts the task's one reminder job at `at` (null = none) unless a newer version was already
   * applied. The reconciler calls this with what the database says; the bridge, through
   * `apply`, with what an event says. Both end in the same job id. `expected` is who the
   * reminder would go to now, when the caller read it already (the reconciler, a page at a
   * time); else it is read here.
   */
  place(
    taskId: string,
    userId: string,
    version: number,
    at: Date | null,
    correlationId: string,
    details: ReminderDetails,
    expected?: string[],
  ): Promise<ScheduleOutcome> {
    return this.serializer.run(taskId, () =>
      this.placeNow(taskId, userId, version, at, correlationId, details, expected),
    );
  }

  /**
   * Whether `jobId` is still the task's reminder as far as the events applied here tell (a
   * task completed, deleted or moved since has another, or no, job id recorded), and whose due
   * sets it is in. Unknown (state lost with Redis, before the reconciler rebuilt it) counts as
   * current; the api checks the task again when it stores the notification.
   */
  standing(taskId: string, jobId: string, ownerId: string) {
    return this.state.standing(taskId, jobId, ownerId);
  }

  private async placeNow(
    taskId: string,
    userId: string,
    version: number,
    at: Date | null,
    correlationId: string,
    details: ReminderDetails,
    given?: string[],
  ): Promise<ScheduleOutcome> {
    const jobId = at ? reminderJobId(taskId, at) : '';
    const ttl = Math.max(STATE_TTL_FLOOR_S, at ? (at.getTime() - Date.now()) / 1000 + 86_400 : 0);
    const expected = at ? (given ?? (await this.expectedRecipients(taskId, userId))) : [];
    // Each recipient's member is the id their intake takes it into a batch under.
    const tracked: TrackedRecipients = new Map(
      expected.map((recipientId) => [recipientId, recipientReminderId(jobId, recipientId, userId)]),
    );
    const { applied, previousJobId, previousTracked } = await this.state.swap(
      taskId,
      version,
      jobId,
      ttl,
      tracked,
      userId,
    );
    if (!applied) {
      this.logger.debug({ version }, 'older task version ignored by the scheduler');
      return 'out-of-order';
    }
    if (previousJobId && previousJobId !== jobId) {
      // 0 when the job is running right now: its standing check stops it from firing.
      await this.queues.reminders.remove(previousJobId);
    }
    // Before the job exists, so a reminder firing at once is already known to the batching:
    // in the due set of each one expected now, out of those of whoever is not any more.
    await Promise.all([
      ...[...tracked].map(([recipientId, member]) =>
        this.due.track(recipientId, member, at, previousTracked.get(recipientId) ?? '', ttl),
      ),
      ...[...previousTracked]
        .filter(([recipientId]) => !tracked.has(recipientId))
        .map(([recipientId, member]) => this.due.drop(recipientId, member)),
    ]);
    if (!at) {
      if (previousJobId) this.logger.info({ previousJobId }, 'reminder removed');
      return previousJobId ? 'removed' : 'none';
    }
    await this.queues.reminders.add(
      JOB_NAMES.fireReminder,
      { taskId, userId, scheduledFor: at.toISOString(), correlationId, ...details },
      { jobId, delay: Math.max(0, at.getTime() - Date.now()) },
    );
    this.logger.info(
      { jobId, reminderAt: at.toISOString(), expected: tracked.size },
      'reminder scheduled',
    );
    return 'scheduled';
  }

  /**
   * Who the reminder would go to if it fired now (the fire job asks again then: ADR 376). Only
   * the batching depends on it, so a database that does not answer costs the shared
   * recipients their digest, never the reminder: the owner of record is expected, as before.
   */
  private async expectedRecipients(taskId: string, ownerId: string): Promise<string[]> {
    if (!this.recipients) return [ownerId];
    try {
      return (await this.recipients.expectedFor([taskId])).get(taskId) ?? [];
    } catch (error) {
      this.logger.warn(
        { err: error },
        'reminder recipients not read; expected for the owner of record only',
      );
      return [ownerId];
    }
  }
}

/**
 * The reminder time the task wants, or null. A time already past when the change was made
 * gets none; one that passed only while the event travelled fires at once.
 */
export function wantedReminderTime(task: Task, eventTime: Date): Date | null {
  if (task.status !== 'pending' || !task.reminderEnabled || !task.reminderAt) return null;
  const at = new Date(task.reminderAt);
  if (Number.isNaN(at.getTime())) return null;
  if (at.getTime() < eventTime.getTime() - PAST_TOLERANCE_MS) return null;
  return at;
}
