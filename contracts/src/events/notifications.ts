import Joi from 'joi';
import type { Notification } from '../rest/notifications.js';
import type { CloudEvent } from './cloudevent.js';

/** Published by the api on `notifications` once an inbox row is stored; socket nodes push it. */
export const NOTIFICATION_CREATED_TYPE = 'com.todo.notification.created' as const;

/**
 * Also on `notifications`: an inbox row's per-channel status changed (the workers reported
 * a send); the same shape, so a tab replaces the entry it has.
 */
export const NOTIFICATION_UPDATED_TYPE = 'com.todo.notification.updated' as const;

export type NotificationCreatedEvent = CloudEvent<Notification, typeof NOTIFICATION_CREATED_TYPE>;

export const notificationCreatedDataSchema = Joi.object<Notification>({
  id: Joi.string().guid().required(),
  userId: Joi.string().min(1).max(200).required(),
  title: Joi.string().required(),
  body: Joi.string().required(),
  taskIds: Joi.array().items(Joi.string()).required(),
  channels: Joi.array().items(Joi.string()).required(),
  // Optional on the wire: rows announced before per-channel status existed carry none.
  deliveries: Joi.array().items(Joi.object().unknown(true)).default([]),
  readAt: Joi.string().isoDate().allow(null).required(),
  createdAt: Joi.string().isoDate().required(),
});
