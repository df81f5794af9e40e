import type { Router } from 'express';
import {
  createPushSubscriptionSchema,
  deletePushSubscriptionQuerySchema,
  pushConfigSchema,
  pushSubscriptionIdParamsSchema,
  pushSubscriptionListSchema,
  pushSubscriptionRequestSchema,
  pushSubscriptionSchema,
} from '@todo/contracts';
import { userIdOf } from '../auth/require-user.js';
import { validate } from '../../../domain/validate.js';
import { AUTHED, WITH_BODY, documentedRouter, type Operation } from '../openapi/operation.js';
import type { Services } from '../../../domain/services.js';

const EXAMPLE_SUBSCRIPTION = {
  endpoint:
    'https://fcm.googleapis.com/fcm/send/dpH5lCsTSSM:APA91bHqjZxM0VImWWqDRN7U0a3AycjUf4O-byuxb_wJsKRaKvV_iKw56s16ekq6FUqoCF7k2nqWP3p4SJ2hrVavT',
  expirationTime: null,
  keys: {
    p256dh:
      'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
    auth: 'tBHItJI5svbpez7KI4CCXg',
  },
};

/** `/api/v1/users/me/push-subscriptions`: the user's Web Push devices (ADR 220). */
export function pushSubscriptionsRouter(
  { push }: Services,
  options: { production: boolean },
): { router: Router; operations: Operation[] } {
  const { router, operations, route } = documentedRouter('/api/v1/users/me/push-subscriptions');
  // Outside production a test push service on this machine (plain http) is accepted too.
  const bodySchema = createPushSubscriptionSchema(options.production);

  route(
    'get',
    '/',
    {
      operationId: 'listPushSubscriptions',
      tag: 'push',
      summary: 'The user’s push devices',
      description: 'Every Web Push subscription of the user (one per browser that said yes).',
      success: {
        status: 200,
        description: 'The subscriptions.',
        schema: pushSubscriptionListSchema,
      },
      errors: AUTHED,
    },
    async (req, res) => {
      res.json(await push.list(userIdOf(req)));
    },
  );

  route(
    'post',
    '/',
    {
      operationId: 'createPushSubscription',
      tag: 'push',
      summary: 'Notify this device',
      description:
        'Stores the browser’s PushSubscription (toJSON()). Idempotent: the same endpoint again refreshes its keys and answers the same device.',
      body: {
        name: 'CreatePushSubscriptionRequest',
        schema: pushSubscriptionRequestSchema,
        examples: { browser: { summary: 'What a browser gives', value: EXAMPLE_SUBSCRIPTION } },
      },
      success: { status: 201, description: 'The stored device.', schema: pushSubscriptionSchema },
      errors: [...WITH_BODY, ...AUTHED],
    },
    async (req, res) => {
      const body = validate(bodySchema, req.body, 'body');
      res.status(201).json(await push.subscribe(userIdOf(req), body));
    },
  );

  route(
    'delete',
    '/',
    {
      operationId: 'deletePushSubscriptionByEndpoint',
      tag: 'push',
      summary: 'Stop notifying a device, by endpoint',
      description:
        'Removes the subscription with this endpoint (what the browser unsubscribed). Idempotent: 204 also when there was none.',
      query: deletePushSubscriptionQuerySchema,
      success: { status: 204, description: 'Removed (or there was none).' },
      errors: [400, ...AUTHED],
    },
    async (req, res) => {
      const { endpoint } = validate(deletePushSubscriptionQuerySchema, req.query, 'query');
      await push.removeByEndpoint(userIdOf(req), endpoint);
      res.status(204).end();
    },
  );

  route(
    'delete',
    '/:id',
    {
      operationId: 'deletePushSubscription',
      tag: 'push',
      summary: 'Stop notifying a device',
      description: 'Removes one subscription by id.',
      params: pushSubscriptionIdParamsSchema,
      success: { status: 204, description: 'Removed.' },
      errors: [400, 404, ...AUTHED],
    },
    async (req, res) => {
      const { id } = validate(pushSubscriptionIdParamsSchema, req.params, 'params');
      await push.remove(userIdOf(req), id);
      res.status(204).end();
    },
  );

  return { router, operations };
}

/** `/api/v1/push/config`: the VAPID public key a browser subscribes with. */
export function pushConfigRouter(vapidPublicKey: string | undefined): {
  router: Router;
  operations: Operation[];
} {
  const { router, operations, route } = documentedRouter('/api/v1/push');
  route(
    'get',
    '/config',
    {
      operationId: 'getPushConfig',
      tag: 'push',
      summary: 'Web Push set-up',
      description:
        'The server’s VAPID public key (applicationServerKey for pushManager.subscribe); null when push is not configured.',
      success: { status: 200, description: 'The key.', schema: pushConfigSchema },
      errors: AUTHED,
    },
    (_req, res) => {
      res.json({ vapidPublicKey: vapidPublicKey ?? null });
    },
  );
  return { router, operations };
}
