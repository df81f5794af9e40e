import Joi from 'joi';
import {
  DEFAULT_NOTIFICATION_PREFERENCES,
  PREFERENCES_UPDATED_TYPE,
  TASK_EVENT_TYPES,
  TASK_STATUSES,
  TEST_NOTIFICATION_REQUESTED_TYPE,
  TOPICS,
  USER_DELETED_TYPE,
  preferencesUpdatedDataSchema,
  taskEventDataSchema,
  testNotificationRequestedDataSchema,
  userDeletedDataSchema,
  type PreferencesUpdatedData,
  type PreferencesUpdatedEvent,
  type TaskEvent,
  type TaskEventData,
  type TaskEventType,
  type TestNotificationRequestedData,
  type TestNotificationRequestedEvent,
  type UserDeletedData,
  type UserDeletedEvent,
} from '@todo/contracts';
import { DropEvent, on, type TopicSubscription } from '@todo/platform';

/** Routes the bridge serves; Dapr (or the api's direct transport) POSTs CloudEvents to them. */
export const BRIDGE_ROUTES = {
  taskEvents: '/events/task-events',
} as const;

/**
 * Bulk delivery of `task-events` (as ADR 382 did for the socket nodes' `task-updates`): up to
 * 100 events a request instead of one HTTP round trip each, from daprd (which waits at most
 * 10 ms to fill a batch) or the api's direct transport. Entries are handled in order and a
 * key that asks for a retry holds its later entries, so one task's events never overtake.
 */
export const TASK_EVENTS_BULK = { maxMessagesCount: 100, maxAwaitDurationMs: 10 } as const;

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
  occurrenceIndex: Joi.number().integer().min(1).allow(null).required(),
  title: Joi.string().required(),
  dueDate: Joi.string().isoDate().allow(null).required(),
  reminderChannels: Joi.array().items(Joi.string()).required(),
}).unknown(true);

/** The owner's preferences a reminder is delivered by. */
const preferencesSchema = Joi.object({
  emailEnabled: Joi.boolean().required(),
  pushEnabled: Joi.boolean().required(),
  quietHoursStart: Joi.string().allow(null).required(),
  quietHoursEnd: Joi.string().allow(null).required(),
  timezone: Joi.string().required(),
}).unknown(true);

const taskEventSchema = taskEventDataSchema.keys({
  task: taskSnapshotSchema.required(),
  // An event from before preferences travelled with it (a rolling upgrade): the defaults.
  preferences: preferencesSchema.default(() => ({ ...DEFAULT_NOTIFICATION_PREFERENCES })),
});

export interface BridgeHandlers {
  onTaskEvent: (event: TaskEvent | PreferencesUpdatedEvent) => Promise<void>;
  onTestRequested: (event: TestNotificationRequestedEvent) => Promise<void>;
  onUserDeleted: (event: UserDeletedEvent) => Promise<void>;
}

/**
 * The workers consume `task-events` only — a task's changes and its owner's new preferences;
 * what they decide leaves as events of their own (`reminders`, `occurrences`), never as calls
 * back to the api (ADR 120). SUCCESS once the event is in BullMQ (or Redis); DROP for an event
 * no retry can fix (logged); RETRY when Redis is unreachable, so Dapr or the api's relay
 * delivers it again. Data is checked as sent (nothing stripped): the snapshot is stored in
 * jobs and must be what the api committed.
 */
export function bridgeSubscriptions(handlers: BridgeHandlers): TopicSubscription[] {
  return [
    {
      topic: TOPICS.taskEvents,
      route: BRIDGE_ROUTES.taskEvents,
      bulk: TASK_EVENTS_BULK,
      handlers: [
        on<TaskEventData, TaskEventType>(
          Object.values(TASK_EVENT_TYPES),
          taskEventSchema,
          handlers.onTaskEvent,
          { stripUnknown: false },
        ),
        on<PreferencesUpdatedData, typeof PREFERENCES_UPDATED_TYPE>(
          PREFERENCES_UPDATED_TYPE,
          preferencesUpdatedDataSchema,
          async (event) => {
            if (event.data.userId !== event.userid)
              throw new DropEvent('userid does not match data.userId');
            await handlers.onTaskEvent(event);
          },
          { stripUnknown: false },
        ),
        on<UserDeletedData, typeof USER_DELETED_TYPE>(
          USER_DELETED_TYPE,
          userDeletedDataSchema,
          async (event) => {
            if (event.data.userId !== event.userid)
              throw new DropEvent('userid does not match data.userId');
            await handlers.onUserDeleted(event);
          },
          { stripUnknown: false },
        ),
        on<TestNotificationRequestedData, typeof TEST_NOTIFICATION_REQUESTED_TYPE>(
          TEST_NOTIFICATION_REQUESTED_TYPE,
          testNotificationRequestedDataSchema,
          async (event) => {
            if (event.data.userId !== event.userid)
              throw new DropEvent('userid does not match data.userId');
            await handlers.onTestRequested(event);
          },
          { stripUnknown: false },
        ),
      ],
    },
  ];
}
