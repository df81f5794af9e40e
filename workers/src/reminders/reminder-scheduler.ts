import type { ReminderPreferences, Task } from '@todo/contracts';
import type { Logger } from '@todo/platform';
import { JOB_NAMES, type ReminderDetails } from '../queues/job-data.js';
import { reminderJobId } from '../queues/job-ids.js';
import type { Queues } from '../queues/queues.js';
import { KeyedSerializer } from './keyed-serializer.js';
import type { DueReminders } from './due-reminders.js';
import type { ReminderState } from './reminder-state.js';

/** Tolerance for clock skew between the api (event time) and this process. */
const PAST_TOLERANCE_MS = 1000;
const STATE_TTL_FLOOR_S = 30 * 24 * 3600;

export type ScheduleOutcome = 'scheduled' | 'removed' | 'none' | 'out-of-order';

/**
 * Keeps exactly one delayed `fire` job per task at `task.reminderAt`: adds it,
 * moves it (remove + add under a new time-stamped id) or removes it, from the task snapshot
 * each task event carries.
 */
export class ReminderScheduler {
  private readonly serializer = new KeyedSerializer();

  constructor(
    private readonly queues: Queues,
    private readonly state: ReminderState,
    private readonly due: DueReminders,
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
   * `apply`, with what an event says. Both end in the same job id.
   */
  place(
    taskId: string,
    userId: string,
    version: number,
    at: Date | null,
    correlationId: string,
    details: ReminderDetails,
  ): Promise<ScheduleOutcome> {
    return this.serializer.run(taskId, () =>
      this.placeNow(taskId, userId, version, at, correlationId, details),
    );
  }

  /**
   * Whether `jobId` is still the task's reminder as far as the events applied here tell: a
   * task completed, deleted or moved since has another (or no) job id recorded. Unknown
   * (state lost with Redis, before the reconciler rebuilt it) counts as current; the api
   * checks the task again when it stores the notification.
   */
  isCurrent(taskId: string, jobId: string): Promise<boolean> {
    return this.state.isCurrent(taskId, jobId);
  }

  private async placeNow(
    taskId: string,
    userId: string,
    version: number,
    at: Date | null,
    correlationId: string,
    details: ReminderDetails,
  ): Promise<ScheduleOutcome> {
    const jobId = at ? reminderJobId(taskId, at) : '';
    const ttl = Math.max(STATE_TTL_FLOOR_S, at ? (at.getTime() - Date.now()) / 1000 + 86_400 : 0);
    const { applied, previousJobId } = await this.state.swap(taskId, version, jobId, ttl);
    if (!applied) {
      this.logger.debug({ version }, 'older task version ignored by the scheduler');
      return 'out-of-order';
    }
    if (previousJobId && previousJobId !== jobId) {
      // 0 when the job is running right now: its isCurrent check stops it from firing.
      await this.queues.reminders.remove(previousJobId);
    }
    // Before the job exists, so a reminder firing at once is already known to the batching.
    await this.due.track(userId, jobId, at, previousJobId, ttl);
    if (!at) {
      if (previousJobId) this.logger.info({ previousJobId }, 'reminder removed');
      return previousJobId ? 'removed' : 'none';
    }
    await this.queues.reminders.add(
      JOB_NAMES.fireReminder,
      { taskId, userId, scheduledFor: at.toISOString(), correlationId, ...details },
      { jobId, delay: Math.max(0, at.getTime() - Date.now()) },
    );
    this.logger.info({ jobId, reminderAt: at.toISOString() }, 'reminder scheduled');
    return 'scheduled';
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
