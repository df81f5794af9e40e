import {
  PREFERENCES_UPDATED_TYPE,
  TASK_EVENT_TYPES,
  type PreferencesUpdatedEvent,
  type TaskEvent,
  type TestNotificationRequestedEvent,
} from '@todo/contracts';
import type { Logger } from '@todo/platform';
import type { PreferencesStore } from '../notifications/preferences-store.js';
import { JOB_NAMES } from '../queues/job-data.js';
import { eventJobId, nextInstanceJobId } from '../queues/job-ids.js';
import type { Queues } from '../queues/queues.js';
import type { ReminderScheduler } from '../reminders/reminder-scheduler.js';

/**
 * One `task-events` CloudEvent: keep a user's new preferences; or reschedule the task's
 * reminder from its snapshot, and on a
 * completed instance of a live series enqueue the next-instance job (job id = completed task +
 * version).
 */
export function taskEventHandler(deps: {
  queues: Queues;
  scheduler: ReminderScheduler;
  preferences: PreferencesStore;
  logger: Logger;
}) {
  return async (event: TaskEvent | PreferencesUpdatedEvent): Promise<void> => {
    if (event.type === PREFERENCES_UPDATED_TYPE) {
      const { userId, preferences } = event.data;
      await deps.preferences.save(userId, preferences, new Date(event.time));
      deps.logger.debug({ eventId: event.id }, 'preferences kept');
      return;
    }
    const { task } = event.data;
    const work: Promise<unknown>[] = [
      deps.scheduler.apply(task, event.data.preferences, new Date(event.time), event.correlationid),
    ];
    if (event.type === TASK_EVENT_TYPES.completed && task.seriesId && task.recurrence) {
      work.push(
        deps.queues.recurrence.add(
          JOB_NAMES.nextInstance,
          {
            taskId: task.id,
            userId: task.userId,
            version: task.version,
            seriesId: task.seriesId,
            occurrenceIndex: task.occurrenceIndex ?? 1,
            completedAt: event.time,
            correlationId: event.correlationid,
          },
          // Keyed by the completion (task, version), not the event: the reconciler derives the
          // same id from the database, so a rebuilt job and the original are one job.
          { jobId: nextInstanceJobId(task.id, task.version) },
        ),
      );
    }
    await Promise.all(work);
    deps.logger.debug({ eventId: event.id, type: event.type }, 'task event bridged');
  };
}

/** "Send me a test notification": one `test` job per request (a redelivery adds nothing). */
export function testRequestHandler(deps: { queues: Queues }) {
  return async (event: TestNotificationRequestedEvent): Promise<void> => {
    const { userId, requestId, preferences } = event.data;
    await deps.queues.notifications.add(
      JOB_NAMES.testNotification,
      { userId, requestId, preferences, correlationId: event.correlationid },
      { jobId: eventJobId('test', requestId) },
    );
  };
}
