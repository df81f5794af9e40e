import Joi from 'joi';
import { text } from '../text.js';
import {
  NOTIFICATION_CHANNELS,
  channelDeliverySchema,
  type ChannelDelivery,
  type NotificationChannel,
} from '../rest/notifications.js';
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
  /**
   * Each requested channel's status as the batch leaves: `pending` for those about to be
   * sent, `skipped` (with the reason) for those the preferences rule out. Sends report later
   * (`notification.delivery-reported`). Absent from events of older workers.
   */
  deliveries?: ChannelDelivery[];
}

export type ReminderFiredEvent = CloudEvent<ReminderFiredData, typeof REMINDER_FIRED_TYPE>;

/** Statuses as the workers send them (a fresh schema: the REST one is for answers). */
const deliveryList = Joi.array()
  .items(channelDeliverySchema.prefs({ presence: 'required' }))
  .max(NOTIFICATION_CHANNELS.length)
  .unique('channel');

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
  deliveries: deliveryList,
});

/**
 * Also on `reminders`: a test notification the user asked for in Settings was delivered
 * (every channel their preferences allow, no quiet-hours deferral: a skipped channel says so).
 * The api stores the inbox row (no tasks) and announces it like any other.
 */
export const TEST_NOTIFICATION_FIRED_TYPE = 'com.todo.notification.test-fired' as const;

export interface TestNotificationFiredData {
  userId: string;
  title: string;
  body: string;
  deliveries: ChannelDelivery[];
  /** `test-{requestId}`: a redelivered event stores one row. */
  idempotencyKey: string;
}

export type TestNotificationFiredEvent = CloudEvent<
  TestNotificationFiredData,
  typeof TEST_NOTIFICATION_FIRED_TYPE
>;

export const testNotificationFiredDataSchema = Joi.object<TestNotificationFiredData>({
  userId: Joi.string().min(1).max(200).required(),
  title: text({ min: 1, max: 255 }).required(),
  body: text({ min: 1, max: 5000 }).required(),
  deliveries: deliveryList.required(),
  idempotencyKey: Joi.string().min(1).max(200).required(),
});

/**
 * Also on `reminders`: what became of a notification on its channels once the workers tried
 * (sent, or failed for good). The api records it on the inbox row named by the key and
 * announces the row again (`notification.updated`). Each report carries only the channels it
 * decided; a later report of a channel replaces the earlier one.
 */
export const DELIVERY_REPORTED_TYPE = 'com.todo.notification.delivery-reported' as const;

export interface DeliveryReportedData {
  userId: string;
  idempotencyKey: string;
  deliveries: ChannelDelivery[];
}

export type DeliveryReportedEvent = CloudEvent<DeliveryReportedData, typeof DELIVERY_REPORTED_TYPE>;

export const deliveryReportedDataSchema = Joi.object<DeliveryReportedData>({
  userId: Joi.string().min(1).max(200).required(),
  idempotencyKey: Joi.string().min(1).max(200).required(),
  deliveries: deliveryList.min(1).required(),
});
