import type { Router } from 'express';
import {
  DELIVERY_REPORTED_TYPE,
  OCCURRENCE_DUE_TYPE,
  TEST_NOTIFICATION_FIRED_TYPE,
  deliveryReportedDataSchema,
  testNotificationFiredDataSchema,
  type DeliveryReportedData,
  type TestNotificationFiredData,
  PUSH_SUBSCRIPTION_GONE_TYPE,
  REMINDER_FIRED_TYPE,
  TOPICS,
  occurrenceDueDataSchema,
  pushSubscriptionGoneDataSchema,
  reminderFiredDataSchema,
  type OccurrenceDueData,
  type PushSubscriptionGoneData,
  type ReminderFiredData,
} from '@todo/contracts';
import { DropEvent, daprSubscriber, on, type Logger } from '@todo/platform';
import type { Services } from '../../domain/services.js';

/** Routes Dapr (or the workers' direct transport) POSTs the workers' events to. */
export const SUBSCRIPTION_ROUTES = {
  reminders: '/events/reminders',
  occurrences: '/events/occurrences',
} as const;

/** The envelope's owner and the data's owner must agree, or the write would be a guess. */
function sameOwner(data: { userId: string }, userid: string): void {
  if (data.userId !== userid) throw new DropEvent('userid does not match data.userId');
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
          on<ReminderFiredData>(REMINDER_FIRED_TYPE, reminderFiredDataSchema, async (event) => {
            sameOwner(event.data, event.userid);
            await services.reminders.recordFired(event.data, event.id);
          }),
          on<TestNotificationFiredData>(
            TEST_NOTIFICATION_FIRED_TYPE,
            testNotificationFiredDataSchema,
            async (event) => {
              sameOwner(event.data, event.userid);
              await services.deliveries.recordTestFired(event.data, event.id);
            },
          ),
          on<DeliveryReportedData>(
            DELIVERY_REPORTED_TYPE,
            deliveryReportedDataSchema,
            async (event) => {
              sameOwner(event.data, event.userid);
              await services.deliveries.recordReport(event.data, event.id);
            },
          ),
          // A device its push service no longer knows (404/410): deleting twice is harmless.
          on<PushSubscriptionGoneData>(
            PUSH_SUBSCRIPTION_GONE_TYPE,
            pushSubscriptionGoneDataSchema,
            async (event) => {
              sameOwner(event.data, event.userid);
              await services.push.gone(event.data);
            },
          ),
        ],
      },
      {
        topic: TOPICS.occurrences,
        route: SUBSCRIPTION_ROUTES.occurrences,
        handlers: [
          on<OccurrenceDueData>(OCCURRENCE_DUE_TYPE, occurrenceDueDataSchema, async (event) => {
            sameOwner(event.data, event.userid);
            await services.recurrence.createOccurrence(event.data, event.id);
          }),
        ],
      },
    ],
  });
}
