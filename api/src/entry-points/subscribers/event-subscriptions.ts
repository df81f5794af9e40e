import express, { Router, type ErrorRequestHandler, type Response } from 'express';
import type Joi from 'joi';
import {
  DAPR_STATUS,
  OCCURRENCE_DUE_TYPE,
  REMINDER_FIRED_TYPE,
  TOPICS,
  cloudEventEnvelopeSchema,
  occurrenceDueDataSchema,
  reminderFiredDataSchema,
  type CloudEvent,
  type DaprStatus,
  type DaprSubscription,
  type OccurrenceDueData,
  type ReminderFiredData,
  type Topic,
} from '@todo/contracts';
import { requireAppToken } from './app-token.js';
import { runWithContext } from '../../request-context.js';
import type { Logger } from '../../logger.js';
import type { Services } from '../../domain/services.js';

/** Routes Dapr (or the workers' direct transport) POSTs the workers' events to. */
export const SUBSCRIPTION_ROUTES = {
  reminders: '/events/reminders',
  occurrences: '/events/occurrences',
} as const;

/**
 * The api as a Dapr subscriber app: `GET /dapr/subscribe` declares `reminders` and
 * `occurrences`, the two topics the workers publish their results on. Each event is persisted
 * here through the outbox, idempotently; nothing is ever answered to the workers but the
 * delivery status. SUCCESS once committed, DROP for an event no retry can fix (logged),
 * RETRY when the database fails (the sender delivers again).
 */
export function eventSubscriptions(deps: {
  pubsubName: string;
  appToken?: string;
  services: Services;
  logger: Logger;
}): Router {
  const { services, logger } = deps;
  const router = Router();
  const authenticated = requireAppToken(deps.appToken);
  const answer = (res: Response, status: DaprStatus) => res.status(200).json({ status });

  router.get('/dapr/subscribe', authenticated, (_req, res) => {
    const subscriptions: DaprSubscription[] = [
      {
        pubsubname: deps.pubsubName,
        topic: TOPICS.reminders,
        route: SUBSCRIPTION_ROUTES.reminders,
      },
      {
        pubsubname: deps.pubsubName,
        topic: TOPICS.occurrences,
        route: SUBSCRIPTION_ROUTES.occurrences,
      },
    ];
    res.json(subscriptions);
  });

  const json = express.json({
    limit: '1mb',
    type: ['application/json', 'application/cloudevents+json', 'application/*+json'],
  });

  const route = <T>(
    path: string,
    topic: Topic,
    type: string,
    schema: Joi.ObjectSchema<T>,
    handle: (data: T, event: CloudEvent<T>) => Promise<string>,
  ) => {
    router.post(path, authenticated, json, async (req, res) => {
      const envelope = cloudEventEnvelopeSchema.validate(req.body);
      const event = req.body as CloudEvent<T>;
      const data = envelope.error ? null : schema.validate(event.data, { stripUnknown: true });
      const reason = envelope.error
        ? envelope.error.message
        : event.type !== type
          ? `unknown event type ${event.type}`
          : data?.error
            ? data.error.message
            : (data?.value as { userId?: string }).userId !== event.userid
              ? 'userid does not match data.userId'
              : null;
      if (reason || !data) {
        logger.warn({ topic, eventId: event?.id, reason }, 'event dropped');
        return answer(res, DAPR_STATUS.drop);
      }
      const context = { correlationId: event.correlationid, userId: event.userid };
      await runWithContext(context, async () => {
        try {
          const outcome = await handle(data.value as T, event);
          logger.debug({ topic, eventId: event.id, outcome }, 'event handled');
          answer(res, DAPR_STATUS.success);
        } catch (error) {
          logger.warn({ err: error, topic, eventId: event.id }, 'event not handled; retry');
          answer(res, DAPR_STATUS.retry);
        }
      });
    });
  };

  route<ReminderFiredData>(
    SUBSCRIPTION_ROUTES.reminders,
    TOPICS.reminders,
    REMINDER_FIRED_TYPE,
    reminderFiredDataSchema,
    (data, event) => services.reminders.recordFired(data, event.id),
  );
  route<OccurrenceDueData>(
    SUBSCRIPTION_ROUTES.occurrences,
    TOPICS.occurrences,
    OCCURRENCE_DUE_TYPE,
    occurrenceDueDataSchema,
    async (data, event) =>
      (await services.recurrence.createOccurrence(data, event.id)).reason ?? 'created',
  );

  // A body that is not JSON at all can never be processed: drop it, with a log line.
  const dropUnparsable: ErrorRequestHandler = (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    logger.warn({ reason: (error as Error).message }, 'unparsable event dropped');
    answer(res, DAPR_STATUS.drop);
  };
  router.use(['/events'], dropUnparsable);
  return router;
}
