import type { Router } from 'express';
import {
  DELIVERY_REPORTED_TYPE,
  OCCURRENCE_DUE_TYPE,
  TEST_NOTIFICATION_FIRED_TYPE,
  deliveryReportedDataSchema,
  testNotificationFiredDataSchema,
  PUSH_SUBSCRIPTION_GONE_TYPE,
  REMINDER_FIRED_TYPE,
  TOPICS,
  occurrenceDueDataSchema,
  pushSubscriptionGoneDataSchema,
  reminderFiredDataSchema,
} from '@todo/contracts';
import type Joi from 'joi';
import { DropEvent, daprSubscriber, on, type CloudEventHandler, type Logger } from '@todo/platform';
import type { Services } from '../../domain/services.js';

/** Routes Dapr (or the workers' direct transport) POSTs the workers' events to. */
export const SUBSCRIPTION_ROUTES = {
  reminders: '/events/reminders',
  occurrences: '/events/occurrences',
} as const;

/**
 * A handler of a user's event: the envelope's owner and the data's owner must agree, or the
 * write would be a guess (DROP); then `handle` gets the validated data and the event id.
 */
function onUsers<D extends { userId: string }>(
  type: string,
  schema: Joi.Schema<D>,
  handle: (data: D, eventId: string) => Promise<unknown>,
): CloudEventHandler {
  return on<D>(type, schema, async (event) => {
    if (event.data.userId !== event.userid) {
      throw new DropEvent('userid does not match data.userId');
    }
    await handle(event.data, event.id);
  });
}

/**
 * The api as a Dapr subscriber app of the two topics the workers publish their results on
 * (ADR 120): `reminders` (`reminder.fired` and `notification.test-fired` → the inbox row and
 * `notification.created`; `notification.delivery-reported` → its per-channel status and
 * `notification.updated`; `push-subscription.gone` → the device's row deleted) and
 * `occurrences` (`occurrence.due` → the next instance of a series). Each is persisted through
 * the outbox, idempotently; the workers get nothing back but the delivery status: SUCCESS once
 * committed, DROP for an event no retry can fix (logged), RETRY when the database fails.
 */
export function eventSubscriptions(deps: {
  pubsubName: string;
  appToken?: string;
  services: Services;
  logger: Logger;
}): Router {
  const { services } = deps;
  return daprSubscriber({
    pubsubName: deps.pubsubName,
    appToken: deps.appToken,
    logger: deps.logger,
    subscriptions: [
      {
        topic: TOPICS.reminders,
        route: SUBSCRIPTION_ROUTES.reminders,
        handlers: [
          onUsers(REMINDER_FIRED_TYPE, reminderFiredDataSchema, (data, id) =>
            services.reminders.recordFired(data, id),
          ),
          onUsers(TEST_NOTIFICATION_FIRED_TYPE, testNotificationFiredDataSchema, (data, id) =>
            services.deliveries.recordTestFired(data, id),
          ),
          onUsers(DELIVERY_REPORTED_TYPE, deliveryReportedDataSchema, (data, id) =>
            services.deliveries.recordReport(data, id),
          ),
          // A device its push service no longer knows (404/410): deleting twice is harmless.
          onUsers(PUSH_SUBSCRIPTION_GONE_TYPE, pushSubscriptionGoneDataSchema, (data) =>
            services.push.gone(data),
          ),
        ],
      },
      {
        topic: TOPICS.occurrences,
        route: SUBSCRIPTION_ROUTES.occurrences,
        handlers: [
          onUsers(OCCURRENCE_DUE_TYPE, occurrenceDueDataSchema, (data, id) =>
            services.recurrence.createOccurrence(data, id),
          ),
        ],
      },
    ],
  });
}
