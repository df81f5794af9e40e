import express, { Router, type ErrorRequestHandler, type Response } from 'express';
import {
  DAPR_STATUS,
  TOPICS,
  type CloudEvent,
  type DaprStatus,
  type PreferencesUpdatedEvent,
  type TaskEvent,
  type Topic,
} from '@todo/contracts';
import { runWithContext } from '../context.js';
import { InvalidEventError, withTimeout } from '../errors.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '../logger.js';
import { requireAppToken } from './app-token.js';
import { parseTaskEvent } from './parse-event.js';
import { BRIDGE_ROUTES, subscriptions } from './subscriptions.js';

export interface BridgeDeps {
  pubsubName: string;
  timeoutMs: number;
  /** When set, every route here needs it in the `dapr-api-token` header (401 otherwise). */
  appToken?: string;
  logger: Logger;
  metrics: Metrics;
  onTaskEvent: (event: TaskEvent | PreferencesUpdatedEvent) => Promise<void>;
}

/**
 * The Dapr subscriber contract (docs/architecture.md, "Local and production"): `GET /dapr/subscribe` and one POST route per
 * topic. SUCCESS once the event is in BullMQ; DROP for an event no retry can fix (logged);
 * RETRY when Redis is unreachable, so Dapr or the api's relay delivers it again.
 */
export function bridgeRouter(deps: BridgeDeps): Router {
  const { logger, metrics } = deps;
  const router = Router();
  const authenticated = requireAppToken(deps.appToken);
  const answer = (res: Response, topic: Topic, status: DaprStatus) => {
    metrics.bridgeEvents.inc({ topic, status });
    res.status(200).json({ status });
  };

  router.get('/dapr/subscribe', authenticated, (_req, res) => {
    res.json(subscriptions(deps.pubsubName));
  });

  const json = express.json({
    limit: '1mb',
    type: ['application/json', 'application/cloudevents+json', 'application/*+json'],
  });

  const route = <E extends CloudEvent>(
    path: string,
    topic: Topic,
    parse: (body: unknown) => E,
    handle: (event: E) => Promise<void>,
  ) => {
    router.post(path, authenticated, json, async (req, res) => {
      let event: E;
      try {
        event = parse(req.body);
      } catch (error) {
        const eventId = error instanceof InvalidEventError ? error.eventId : undefined;
        logger.warn({ topic, eventId, reason: (error as Error).message }, 'event dropped');
        return answer(res, topic, DAPR_STATUS.drop);
      }
      const subject = event.subject.startsWith('tasks/') ? event.subject.slice(6) : undefined;
      const context = { correlationId: event.correlationid, userId: event.userid, taskId: subject };
      await runWithContext(context, async () => {
        try {
          await withTimeout(handle(event), deps.timeoutMs, `enqueueing event ${event.id}`);
          answer(res, topic, DAPR_STATUS.success);
        } catch (error) {
          logger.warn(
            { err: error, topic, eventId: event.id, type: event.type },
            'event not enqueued; asking for a retry',
          );
          answer(res, topic, DAPR_STATUS.retry);
        }
      });
    });
  };

  route(BRIDGE_ROUTES.taskEvents, TOPICS.taskEvents, parseTaskEvent, deps.onTaskEvent);

  // A body that is not JSON at all can never be processed: drop it, with a log line.
  const dropUnparsable: ErrorRequestHandler = (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    const topic = TOPICS.taskEvents;
    logger.warn({ topic, reason: (error as Error).message }, 'unparsable event dropped');
    answer(res, topic, DAPR_STATUS.drop);
  };
  router.use(dropUnparsable);
  return router;
}
