import Joi from 'joi';
import {
  REMINDER_DUE_TYPE,
  TASK_EVENT_TYPES,
  TASK_STATUSES,
  TOPICS,
  reminderDueDataSchema,
  taskEventDataSchema,
  type ReminderDueData,
  type ReminderDueEvent,
  type TaskEvent,
  type TaskEventData,
  type TaskEventType,
} from '@todo/contracts';
import { on, type TopicSubscription } from '@todo/platform';

/** Routes the bridge serves; Dapr (or the api's direct transport) POSTs CloudEvents to them. */
export const BRIDGE_ROUTES = {
  taskEvents: '/events/task-events',
  reminders: '/events/reminders',
} as const;

/** The fields of the task snapshot the scheduler and the recurrence path rely on. */
const taskSnapshotSchema = Joi.object({
  id: Joi.string().guid().required(),
  userId: Joi.string().required(),
  status: Joi.string()
    .valid(...TASK_STATUSES)
    .required(),
  version: Joi.number().integer().min(0).required(),
  reminderEnabled: Joi.boolean().required(),
  reminderAt: Joi.string().isoDate().allow(null).required(),
  seriesId: Joi.string().allow(null).required(),
}).unknown(true);

const taskEventSchema = taskEventDataSchema.keys({ task: taskSnapshotSchema.required() });

export interface BridgeHandlers {
  onTaskEvent: (event: TaskEvent) => Promise<void>;
  onReminderEvent: (event: ReminderDueEvent) => Promise<void>;
}

/**
 * The workers consume `task-events` and `reminders`. SUCCESS once the event is in BullMQ;
 * DROP for an event no retry can fix (logged); RETRY when Redis is unreachable, so Dapr or the
 * api's relay delivers it again. Data is checked as sent (nothing stripped): the snapshot is
 * stored in jobs and must be what the api committed.
 */
export function bridgeSubscriptions(handlers: BridgeHandlers): TopicSubscription[] {
  return [
    {
      topic: TOPICS.taskEvents,
      route: BRIDGE_ROUTES.taskEvents,
      handlers: [
        on<TaskEventData, TaskEventType>(
          Object.values(TASK_EVENT_TYPES),
          taskEventSchema,
          handlers.onTaskEvent,
          { stripUnknown: false },
        ),
      ],
    },
    {
      topic: TOPICS.reminders,
      route: BRIDGE_ROUTES.reminders,
      handlers: [
        on<ReminderDueData, typeof REMINDER_DUE_TYPE>(
          REMINDER_DUE_TYPE,
          reminderDueDataSchema,
          handlers.onReminderEvent,
          { stripUnknown: false },
        ),
      ],
    },
  ];
}
