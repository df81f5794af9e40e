import Joi from 'joi';
import { clockTime, timeZone } from './common.js';

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
  emailEnabled: Joi.boolean(),
  pushEnabled: Joi.boolean(),
  quietHoursStart: clockTime.allow(null),
  quietHoursEnd: clockTime.allow(null),
  timezone: timeZone,
  // Omitted beside `timezone`, the zone counts as chosen; an app adopting the device's zone
  // sends false (and then never replaces a zone a person chose).
  timezoneChosen: Joi.boolean(),
  defaultReminderOffset: Joi.number().integer().min(0).max(40_320).allow(null),
})
  .min(1)
  .and('quietHoursStart', 'quietHoursEnd')
  .messages({
    'object.min': 'the body must change at least one field',
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
  unread: Joi.boolean(),
  limit: Joi.number().integer().min(1).max(200).default(50),
});
