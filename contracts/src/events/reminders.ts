import Joi from 'joi';
import { text } from '../text.js';
import { NOTIFICATION_CHANNELS, type NotificationChannel } from '../rest/notifications.js';
import type { CloudEvent } from './cloudevent.js';

/**
 * Published by the workers on `reminders` when a batch of one user's reminders was delivered
 * on its channels (quiet hours and batching already applied). The api stores the inbox row
 * and announces it on `notifications`; it never answers the workers.
 */
export const REMINDER_FIRED_TYPE = 'com.todo.reminder.fired' as const;

/** One reminder of the batch: the task and the time its reminder job was for. */
export interface FiredReminder {
  taskId: string;
  scheduledFor: string;
}

/** `data` of a `reminder.fired` CloudEvent: the notification the batch became. */
export interface ReminderFiredData {
  userId: string;
  title: string;
  body: string;
  channels: NotificationChannel[];
  reminders: FiredReminder[];
  /** One per batch: a retried delivery stores the same inbox row. */
  idempotencyKey: string;
}

export type ReminderFiredEvent = CloudEvent<ReminderFiredData, typeof REMINDER_FIRED_TYPE>;

export const reminderFiredDataSchema = Joi.object<ReminderFiredData>({
  userId: Joi.string().min(1).max(200).required(),
  title: text({ min: 1, max: 255 }).required(),
  body: text({ min: 1, max: 5000 }).required(),
  channels: Joi.array()
    .items(Joi.string().valid(...NOTIFICATION_CHANNELS))
    .unique()
    .required(),
  reminders: Joi.array()
    .items(
      Joi.object({
        taskId: Joi.string().guid().required(),
        scheduledFor: Joi.string().isoDate().required(),
      }),
    )
    .min(1)
    .max(1000)
    .required(),
  idempotencyKey: Joi.string().min(1).max(200).required(),
});
