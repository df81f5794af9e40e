import type Joi from 'joi';
import {
  DAPR_STATUS,
  NOTIFICATION_CREATED_TYPE,
  TASK_CHANGED_TYPE,
  TOPICS,
  cloudEventEnvelopeSchema,
  notificationCreatedDataSchema,
  taskChangedDataSchema,
  type DaprStatus,
  type DaprSubscription,
  type Notification,
  type TaskChangedData,
  type Topic,
} from '@todo/contracts';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '../logger.js';
import type { RoomEmitter } from '../realtime/room-emitter.js';
import { requireAppToken } from './app-token.js';

export const TASK_UPDATES_ROUTE = '/events/task-updates';
export const NOTIFICATIONS_ROUTE = '/events/notifications';

export interface SubscriberDeps {
  pubsubName: string;
  /** When set, every route here needs it in the `dapr-api-token` header (401 otherwise). */
  appToken?: string;
  emitter: RoomEmitter;
  /** Whether broadcasts can reach the other nodes now (Redis up); otherwise ask to retry. */
  canBroadcast: () => boolean;
  metrics: Metrics;
  logger: Logger;
}

/**
 * The node's Dapr subscriptions (programmatic): `GET /dapr/subscribe` declares
 * `task-updates` and `notifications`, and each delivered CloudEvent goes to its owner's room
 * (`task_update` or `notification`). Dapr (or the api's direct transport) gives each event
 * to one replica; the adapter does the rest.
 */
export function taskUpdatesSubscriber(deps: SubscriberDeps): Router {
  const { pubsubName, emitter, canBroadcast, metrics, logger } = deps;
  const router = Router();
  const authenticated = requireAppToken(deps.appToken);

  router.get('/dapr/subscribe', authenticated, (_req, res) => {
    const subscriptions: DaprSubscription[] = [
      { pubsubname: pubsubName, topic: TOPICS.taskUpdates, route: TASK_UPDATES_ROUTE },
      { pubsubname: pubsubName, topic: TOPICS.notifications, route: NOTIFICATIONS_ROUTE },
    ];
    res.json(subscriptions);
  });

  const route = <T extends { userId: string }>(
    path: string,
    topic: Topic,
    type: string,
    schema: Joi.ObjectSchema<T> | Joi.ObjectSchema,
    emit: (data: T) => void,
  ) => {
    const answer = (res: Response, status: DaprStatus, httpStatus = 200) => {
      metrics.receivedEvents.inc({ topic, status });
      res.status(httpStatus).json({ status });
    };
    router.post(
      path,
      authenticated,
      express.json({ type: ['application/json', 'application/cloudevents+json'], limit: '1mb' }),
      (req, res) => {
        const body: unknown = req.body;
        const envelope = cloudEventEnvelopeSchema.validate(body);
        if (envelope.error) {
          logger.warn({ topic, reason: envelope.error.message }, 'dropping malformed event');
          return answer(res, DAPR_STATUS.drop);
        }
        const event = envelope.value as {
          id: string;
          type: string;
          userid: string;
          correlationid: string;
          data: unknown;
        };
        // The api's correlation id rides along, so one change can be followed across services.
        const log = logger.child({ eventId: event.id, correlationId: event.correlationid });
        if (event.type !== type) {
          log.warn({ topic, type: event.type }, 'dropping event of unknown type');
          return answer(res, DAPR_STATUS.drop);
        }
        // Unknown fields are stripped, not refused: a newer api may add some before we know them.
        const parsed = schema.validate(event.data, { stripUnknown: true });
        // The envelope's owner and the data's owner must agree, or the room would be a guess.
        if (parsed.error || (parsed.value as T).userId !== event.userid) {
          log.warn(
            { topic, reason: parsed.error?.message ?? 'userid does not match data.userId' },
            'dropping event with invalid data',
          );
          return answer(res, DAPR_STATUS.drop);
        }
        if (!canBroadcast()) {
          log.warn({ topic }, 'redis is down, asking for redelivery');
          return answer(res, DAPR_STATUS.retry, 503);
        }
        emit(parsed.value as T);
        log.debug({ topic, userId: event.userid }, 'emitted');
        return answer(res, DAPR_STATUS.success);
      },
    );

    // A body that is not JSON (or too large) will never parse: dropping beats endless retries.
    router.use(path, (error: unknown, _req: Request, res: Response, next: NextFunction) => {
      const status = (error as { status?: unknown }).status;
      if (typeof status !== 'number' || status >= 500) return next(error);
      logger.warn({ err: error, topic }, 'dropping unreadable delivery');
      answer(res, DAPR_STATUS.drop);
    });
  };

  route<TaskChangedData>(
    TASK_UPDATES_ROUTE,
    TOPICS.taskUpdates,
    TASK_CHANGED_TYPE,
    taskChangedDataSchema,
    (data) => emitter.taskUpdate(data),
  );
  route<Notification>(
    NOTIFICATIONS_ROUTE,
    TOPICS.notifications,
    NOTIFICATION_CREATED_TYPE,
    notificationCreatedDataSchema,
    (data) => emitter.notification(data),
  );
  return router;
}
