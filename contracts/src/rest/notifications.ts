import Joi from 'joi';
import { clockTime, timeZone, uuid } from './common.js';

export const NOTIFICATION_CHANNELS = ['email', 'push'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/**
 * A user's notification preferences. Quiet hours are wall-clock times in `timezone`, the zone
 * every wall-clock computation of the server uses for this user (next instance of a series,
 * quiet hours, dates the chat reads).
 */
export interface NotificationPreferences {
  emailEnabled: boolean;
  pushEnabled: boolean;
  quietHoursStart: string | null;
  quietHoursEnd: string | null;
  timezone: string;
  /**
   * Whether a person chose `timezone` (true), or it is the default (UTC) or was adopted
   * silently from a device (false). Apps adopt the device's zone only while this is false.
   */
  timezoneChosen: boolean;
  defaultReminderOffset: number | null;
}

export const DEFAULT_NOTIFICATION_PREFERENCES: NotificationPreferences = {
  emailEnabled: true,
  pushEnabled: true,
  quietHoursStart: null,
  quietHoursEnd: null,
  timezone: 'UTC',
  timezoneChosen: false,
  defaultReminderOffset: 15,
};

export const updatePreferencesSchema = Joi.object<Partial<NotificationPreferences>>({
  emailEnabled: Joi.boolean().description('Send reminders by email.'),
  pushEnabled: Joi.boolean().description('Send reminders as push notifications.'),
  quietHoursStart: clockTime
    .allow(null)
    .description('Start of quiet hours (no notifications), HH:MM; null clears.'),
  quietHoursEnd: clockTime.allow(null).description('End of quiet hours, HH:MM; null clears.'),
  timezone: timeZone.description(
    'The user’s IANA time zone; sent without timezoneChosen it counts as the user’s choice.',
  ),
  // Omitted beside `timezone`, the zone counts as chosen; an app adopting the device's zone
  // sends false (and then never replaces a zone a person chose).
  timezoneChosen: Joi.boolean().description(
    'false = adopted from a device (never replaces a chosen zone); true = the user chose it.',
  ),
  defaultReminderOffset: Joi.number()
    .integer()
    .min(0)
    .max(40_320)
    .allow(null)
    .description('Minutes before the due date for new reminders; null = none.'),
})
  // `or` of every key rather than `min(1)`: the same rule, and one JSON Schema can state.
  .or(
    'emailEnabled',
    'pushEnabled',
    'quietHoursStart',
    'quietHoursEnd',
    'timezone',
    'timezoneChosen',
    'defaultReminderOffset',
  )
  .and('quietHoursStart', 'quietHoursEnd')
  .messages({
    'object.missing': 'the body must change at least one field',
    'object.and': 'quietHoursStart and quietHoursEnd must be set together',
  });

/** One entry of the user's inbox. */
export interface Notification {
  id: string;
  userId: string;
  title: string;
  body: string;
  taskIds: string[];
  channels: NotificationChannel[];
  readAt: string | null;
  createdAt: string;
}

export interface NotificationPage {
  items: Notification[];
  unreadCount: number;
}

export const listNotificationsQuerySchema = Joi.object<{ unread?: boolean; limit: number }>({
  unread: Joi.boolean().description('true = only unread notifications.'),
  limit: Joi.number().integer().min(1).max(200).default(50).description('At most this many.'),
});

export const notificationIdParamsSchema = Joi.object<{ id: string }>({
  id: uuid.required().description('The id of a notification in the inbox.'),
});

const dateTime = Joi.string().isoDate();
const channelList = Joi.array()
  .items(Joi.string().valid(...NOTIFICATION_CHANNELS))
  .unique();

export const notificationPreferencesSchema = Joi.object<NotificationPreferences>({
  emailEnabled: Joi.boolean(),
  pushEnabled: Joi.boolean(),
  quietHoursStart: Joi.string().allow(null).description('HH:MM in `timezone`, or null.'),
  quietHoursEnd: Joi.string().allow(null).description('HH:MM in `timezone`, or null.'),
  timezone: Joi.string().description(
    'IANA time zone, e.g. Europe/Berlin; UTC until the user or a device sets one.',
  ),
  timezoneChosen: Joi.boolean().description(
    'true once the user chose timezone; false while it is the default or adopted from a device.',
  ),
  defaultReminderOffset: Joi.number()
    .integer()
    .min(0)
    .allow(null)
    .description('Minutes before the due date used for new reminders.'),
})
  .prefs({ presence: 'required' })
  .id('NotificationPreferences')
  .description("The user's notification preferences.");

export const notificationSchema = Joi.object<Notification>({
  id: Joi.string().guid(),
  userId: Joi.string(),
  title: Joi.string(),
  body: Joi.string(),
  taskIds: Joi.array().items(Joi.string().guid()),
  channels: channelList,
  readAt: dateTime.allow(null),
  createdAt: dateTime,
})
  .prefs({ presence: 'required' })
  .id('Notification')
  .description('One entry of the inbox.');

export const notificationPageSchema = Joi.object<NotificationPage>({
  items: Joi.array().items(notificationSchema),
  unreadCount: Joi.number().integer().min(0),
})
  .prefs({ presence: 'required' })
  .id('NotificationPage')
  .description('The inbox, newest first.');
