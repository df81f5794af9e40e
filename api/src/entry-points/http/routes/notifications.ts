import type { Router } from 'express';
import {
  listNotificationsQuerySchema,
  notificationIdParamsSchema,
  notificationPageSchema,
  notificationPreferencesSchema,
  notificationSchema,
  testNotificationAcceptedSchema,
  updatePreferencesSchema,
} from '@todo/contracts';
import { userIdOf } from '../auth/require-user.js';
import { validate } from '../../../domain/validate.js';
import { AUTHED, WITH_BODY, documentedRouter, type Operation } from '../openapi/operation.js';
import { getPreferences, updatePreferences } from '../../../domain/preferences-service.js';
import type { Services } from '../../../domain/services.js';

/** `/api/v1/notifications`: the inbox. */
export function notificationsRouter({ notifications, deliveries }: Services): {
  router: Router;
  operations: Operation[];
} {
  const { router, operations, route } = documentedRouter('/api/v1/notifications');

  route(
    'get',
    '/',
    {
      operationId: 'listNotifications',
      tag: 'notifications',
      summary: 'The notification inbox',
      description:
        'Notifications sent to the user (reminders), newest first, with the unread count.',
      query: listNotificationsQuerySchema,
      success: { status: 200, description: 'The inbox.', schema: notificationPageSchema },
      errors: [400, ...AUTHED],
    },
    async (req, res) => {
      const query = validate(listNotificationsQuerySchema, req.query, 'query');
      res.json(await notifications.list(userIdOf(req), query));
    },
  );

  route(
    'post',
    '/test',
    {
      operationId: 'sendTestNotification',
      tag: 'notifications',
      summary: 'Send me a test notification',
      description:
        'Delivers a test notification on every channel the preferences allow; it appears in the inbox with each channel’s status (sent, failed, skipped and why).',
      success: {
        status: 202,
        description: 'On its way; the inbox row follows.',
        schema: testNotificationAcceptedSchema,
      },
      errors: AUTHED,
    },
    async (req, res) => {
      res.status(202).json(await deliveries.requestTest(userIdOf(req)));
    },
  );

  route(
    'post',
    '/:id/read',
    {
      operationId: 'markNotificationRead',
      tag: 'notifications',
      summary: 'Mark a notification read',
      description: 'Marks one notification read; marking it again is a no-op.',
      params: notificationIdParamsSchema,
      success: { status: 200, description: 'The notification.', schema: notificationSchema },
      errors: [400, 404, ...AUTHED],
    },
    async (req, res) => {
      const { id } = validate(notificationIdParamsSchema, req.params, 'params');
      res.json(await notifications.markRead(userIdOf(req), id));
    },
  );

  return { router, operations };
}

/** `/api/v1/users/me/notifications`: notification preferences. */
export function preferencesRouter(): { router: Router; operations: Operation[] } {
  const { router, operations, route } = documentedRouter('/api/v1/users/me/notifications');

  route(
    'get',
    '/',
    {
      operationId: 'getNotificationPreferences',
      tag: 'preferences',
      summary: 'Notification preferences',
      description:
        'Email/push switches, quiet hours, the user’s time zone and the default reminder offset. The time zone is the one dates without an offset are read in.',
      success: {
        status: 200,
        description: 'The preferences.',
        schema: notificationPreferencesSchema,
      },
      errors: AUTHED,
    },
    async (req, res) => {
      res.json(await getPreferences(userIdOf(req)));
    },
  );

  route(
    'patch',
    '/',
    {
      operationId: 'updateNotificationPreferences',
      tag: 'preferences',
      summary: 'Change notification preferences',
      description:
        'Partial update. Quiet hours are HH:MM in the user’s time zone and are set (or cleared with null) together. A device-adopted zone (timezoneChosen false) never replaces a chosen one.',
      body: {
        name: 'UpdatePreferencesRequest',
        schema: updatePreferencesSchema,
        examples: {
          quietHours: {
            summary: 'Quiet from 22:00 to 07:00',
            value: { quietHoursStart: '22:00', quietHoursEnd: '07:00' },
          },
          timezone: { summary: 'Move to Berlin time', value: { timezone: 'Europe/Berlin' } },
          adopt: {
            summary: 'Adopt the device’s zone (kept only while the user has not chosen one)',
            value: { timezone: 'Asia/Kolkata', timezoneChosen: false },
          },
          noEmail: { summary: 'No emails', value: { emailEnabled: false } },
        },
      },
      success: {
        status: 200,
        description: 'The preferences now.',
        schema: notificationPreferencesSchema,
      },
      errors: [...WITH_BODY, ...AUTHED],
    },
    async (req, res) => {
      const patch = validate(updatePreferencesSchema, req.body, 'body');
      res.json(await updatePreferences(userIdOf(req), patch));
    },
  );

  return { router, operations };
}
