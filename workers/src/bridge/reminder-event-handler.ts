import type { ReminderDueEvent } from '@todo/contracts';
import type { Logger } from '@todo/platform';
import { JOB_NAMES } from '../queues/job-data.js';
import { eventJobId } from '../queues/job-ids.js';
import type { Queues } from '../queues/queues.js';

/** One `reminders` CloudEvent: a notification intake job (job id = event id). */
export function reminderEventHandler(deps: { queues: Queues; logger: Logger }) {
  return async (event: ReminderDueEvent): Promise<void> => {
    await deps.queues.notifications.add(
      JOB_NAMES.reminderIntake,
      { eventId: event.id, correlationId: event.correlationid, reminder: event.data },
      { jobId: eventJobId('reminder', event.id) },
    );
    deps.logger.debug({ eventId: event.id }, 'reminder event bridged');
  };
}
