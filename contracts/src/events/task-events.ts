import Joi from 'joi';
import type { NotificationPreferences } from '../rest/notifications.js';
import type { ReminderPreferences } from '../schedule.js';
import type { Task } from '../rest/tasks.js';
import type { CloudEvent } from './cloudevent.js';

export const TASK_EVENT_TYPES = {
  created: 'com.todo.task.created',
  updated: 'com.todo.task.updated',
  completed: 'com.todo.task.completed',
  deleted: 'com.todo.task.deleted',
} as const;

export type TaskEventType = (typeof TASK_EVENT_TYPES)[keyof typeof TASK_EVENT_TYPES];

/**
 * `data` of a `task-events` CloudEvent: the task after the change, what changed, and its
 * owner's notification preferences at that moment, so the workers schedule and deliver its
 * reminder without asking the api anything.
 */
export interface TaskEventData {
  task: Task;
  changedFields: string[];
  /** With the account's address (migration 011; absent from older events). */
  preferences: NotificationPreferences & Pick<ReminderPreferences, 'email' | 'emailVerified'>;
}

export type TaskEvent = CloudEvent<TaskEventData, TaskEventType>;

export const taskEventDataSchema = Joi.object({
  task: Joi.object({ id: Joi.string().required(), userId: Joi.string().required() })
    .unknown(true)
    .required(),
  changedFields: Joi.array().items(Joi.string()).required(),
  // Optional on the wire: events written before it existed are read with the defaults.
  preferences: Joi.object().unknown(true),
});

/**
 * Also on `task-events` (same partition key, so ordered with the user's task events): the
 * owner changed their notification preferences. The workers keep the latest per user, so a
 * reminder scheduled before the change is delivered by the new channels and quiet hours.
 */
export const PREFERENCES_UPDATED_TYPE = 'com.todo.preferences.updated' as const;

export interface PreferencesUpdatedData {
  userId: string;
  /** With the account's address (absent from events of an api older than migration 011). */
  preferences: NotificationPreferences & Pick<ReminderPreferences, 'email' | 'emailVerified'>;
}

export type PreferencesUpdatedEvent = CloudEvent<
  PreferencesUpdatedData,
  typeof PREFERENCES_UPDATED_TYPE
>;

export const preferencesUpdatedDataSchema = Joi.object<PreferencesUpdatedData>({
  userId: Joi.string().min(1).max(200).required(),
  preferences: Joi.object({
    emailEnabled: Joi.boolean().required(),
    pushEnabled: Joi.boolean().required(),
    quietHoursStart: Joi.string().allow(null).required(),
    quietHoursEnd: Joi.string().allow(null).required(),
    timezone: Joi.string().required(),
  })
    .unknown(true)
    .required(),
});

/**
 * Also on `task-events`: the user pressed "Send me a test notification" in Settings. Carries
 * their delivery preferences and address as they are now (the workers never ask the api).
 */
export const TEST_NOTIFICATION_REQUESTED_TYPE = 'com.todo.notification.test-requested' as const;

export interface TestNotificationRequestedData {
  userId: string;
  /** Names the test: its job `test-{requestId}` and its inbox row `test-{requestId}`. */
  requestId: string;
  preferences: ReminderPreferences;
}

export type TestNotificationRequestedEvent = CloudEvent<
  TestNotificationRequestedData,
  typeof TEST_NOTIFICATION_REQUESTED_TYPE
>;

export const testNotificationRequestedDataSchema = Joi.object<TestNotificationRequestedData>({
  userId: Joi.string().min(1).max(200).required(),
  requestId: Joi.string().guid().required(),
  preferences: Joi.object({
    emailEnabled: Joi.boolean().required(),
    pushEnabled: Joi.boolean().required(),
    quietHoursStart: Joi.string().allow(null).required(),
    quietHoursEnd: Joi.string().allow(null).required(),
    timezone: Joi.string().required(),
    email: Joi.string().allow(null),
    emailVerified: Joi.boolean(),
  })
    .unknown(true)
    .required(),
});

/**
 * Also on `task-events` (same partition key, so after every earlier event of the user): the
 * account was deleted. Its rows are gone from the api's database; the workers drop whatever
 * they still hold for it (scheduled jobs, kept preferences), so nothing fires for it later.
 */
export const USER_DELETED_TYPE = 'com.todo.user.deleted' as const;

export interface UserDeletedData {
  userId: string;
  /** When the account was deleted (ISO 8601). */
  deletedAt: string;
}

export type UserDeletedEvent = CloudEvent<UserDeletedData, typeof USER_DELETED_TYPE>;

export const userDeletedDataSchema = Joi.object<UserDeletedData>({
  userId: Joi.string().min(1).max(200).required(),
  deletedAt: Joi.string().isoDate().required(),
});
