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

/**
 * What became of a notification on one channel: `pending` until the workers report,
 * `sent` (handed to the mail server or push service), `failed` (refused for good, or every
 * retry spent) or `skipped` (turned off in Settings, quiet hours, no address or device).
 */
export const DELIVERY_STATUSES = ['pending', 'sent', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface ChannelDelivery {
  channel: NotificationChannel;
  status: DeliveryStatus;
  /** Why it failed or was skipped, in a few words a person can read; null when sent. */
  reason: string | null;
  /** When this status was decided. */
  at: string;
}

/** One entry of the user's inbox. */
export interface Notification {
  id: string;
  userId: string;
  title: string;
  body: string;
  taskIds: string[];
  channels: NotificationChannel[];
  /** One entry per channel the notification was meant for (none for an in-app only one). */
  deliveries: ChannelDelivery[];
  readAt: string | null;
  createdAt: string;
}

/** `POST /api/v1/notifications/test` answers with the request's id (the inbox row follows). */
export interface TestNotificationAccepted {
  requestId: string;
}

/**
 * The one-click unsubscribe link of reminder mail (RFC 8058), `{public URL}{path}{token}`:
 * POST turns email off for the token's user, GET shows a page with a button that does.
 * The workers sign the token, the api verifies it, with the shared `UNSUBSCRIBE_SECRET`.
 */
export const EMAIL_UNSUBSCRIBE_PATH = '/api/email/unsubscribe/';
export const EMAIL_UNSUBSCRIBE_PURPOSE = 'email-unsubscribe';

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

export const channelDeliverySchema = Joi.object<ChannelDelivery>({
  channel: Joi.string().valid(...NOTIFICATION_CHANNELS),
  status: Joi.string().valid(...DELIVERY_STATUSES),
  reason: Joi.string().max(200).allow(null),
  at: dateTime,
})
  .prefs({ presence: 'required' })
  .id('ChannelDelivery')
  .description('What became of a notification on one channel.');

export const notificationSchema = Joi.object<Notification>({
  id: Joi.string().guid(),
  userId: Joi.string(),
  title: Joi.string(),
  body: Joi.string(),
  taskIds: Joi.array().items(Joi.string().guid()),
  channels: channelList,
  deliveries: Joi.array().items(channelDeliverySchema),
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

export const testNotificationAcceptedSchema = Joi.object<TestNotificationAccepted>({
  requestId: Joi.string().guid(),
})
  .prefs({ presence: 'required' })
  .id('TestNotificationAccepted')
  .description('The test notification is on its way; it appears in the inbox with its status.');

export const unsubscribeParamsSchema = Joi.object<{ token: string }>({
  token: Joi.string()
    .max(600)
    .pattern(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
    .required()
    .description('The signed token of the unsubscribe link.'),
});
