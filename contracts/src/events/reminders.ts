import Joi from 'joi';
import type { NotificationChannel } from '../rest/notifications.js';
import type { CloudEvent } from './cloudevent.js';

export const REMINDER_DUE_TYPE = 'com.todo.reminder.due' as const;

/** `data` of a `reminders` CloudEvent: a task's reminder time has come. */
export interface ReminderDueData {
  taskId: string;
  userId: string;
  title: string;
  dueDate: string;
  scheduledFor: string;
  offsetMinutes: number;
  channels: NotificationChannel[];
}

export type ReminderDueEvent = CloudEvent<ReminderDueData, typeof REMINDER_DUE_TYPE>;

export const reminderDueDataSchema = Joi.object({
  taskId: Joi.string().required(),
  userId: Joi.string().required(),
  title: Joi.string().required(),
  dueDate: Joi.string().isoDate().required(),
  scheduledFor: Joi.string().isoDate().required(),
  offsetMinutes: Joi.number().integer().min(0).required(),
  channels: Joi.array().items(Joi.string()).required(),
});
