import { TASK_EVENT_TYPES, type TaskEvent } from '@todo/contracts';
import type { Logger } from '@todo/platform';
import { JOB_NAMES } from '../queues/job-data.js';
import { nextInstanceJobId } from '../queues/job-ids.js';
import type { Queues } from '../queues/queues.js';
import type { ReminderScheduler } from '../reminders/reminder-scheduler.js';

/**
 * One `task-events` CloudEvent: reschedule the task's reminder from its snapshot, and on a
 * completed recurring task enqueue the next-instance job (job id = completed task + version).
 */
export function taskEventHandler(deps: {
  queues: Queues;
  scheduler: ReminderScheduler;
  logger: Logger;
}) {
  return async (event: TaskEvent): Promise<void> => {
    const { task } = event.data;
    const work: Promise<unknown>[] = [
      deps.scheduler.apply(task, new Date(event.time), event.correlationid),
    ];
    if (event.type === TASK_EVENT_TYPES.completed && task.seriesId) {
      work.push(
        deps.queues.recurrence.add(
          JOB_NAMES.nextInstance,
          {
            taskId: task.id,
            userId: task.userId,
            eventId: event.id,
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
