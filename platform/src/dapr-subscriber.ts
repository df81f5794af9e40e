import express, { Router, type ErrorRequestHandler, type Response } from 'express';
import type Joi from 'joi';
import type { Logger } from 'pino';
import {
  DAPR_STATUS,
  cloudEventEnvelopeSchema,
  type CloudEvent,
  type DaprBulkEntry,
  type DaprBulkResponse,
  type DaprBulkSubscribe,
  type DaprStatus,
  type DaprSubscription,
} from '@todo/contracts';
import { requireAppToken } from './app-token.js';
import { runWithContext, type RequestContext } from './context.js';

/**
 * Thrown by a handler for an event no retry can fix (e.g. its owner and its data disagree):
 * the router answers DROP and logs the reason. Any other throw answers RETRY.
 */
export class DropEvent extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = new.target.name;
  }
}

/** One handler of one or more CloudEvent types, with `data` validated before it runs. */
export interface CloudEventHandler {
  readonly types: readonly string[];
  /** Validates `data` and runs the handler; the answer Dapr gets. */
  deliver(event: CloudEvent<unknown>, logger: Logger): Promise<DaprStatus>;
}

export interface HandlerOptions {
  /**
   * Strip fields the schema does not know instead of refusing the event: a newer producer may
   * add fields before this consumer knows them. Default true.
   */
  stripUnknown?: boolean;
}

/**
 * A typed handler: `data` must pass the contract's joi schema (else DROP); the handler gets
 * the validated event. Returning nothing = SUCCESS; returning RETRY or DROP answers that;
 * throwing DropEvent = DROP; any other throw = RETRY (the broker delivers it again).
 */
export function on<D, T extends string = string>(
  types: T | readonly T[],
  data: Joi.Schema<D>,
  handle: (event: CloudEvent<D, T>) => Promise<DaprStatus | void> | DaprStatus | void,
  options: HandlerOptions = {},
): CloudEventHandler {
  const stripUnknown = options.stripUnknown ?? true;
  return {
    types: typeof types === 'string' ? [types] : types,
    async deliver(event, logger) {
      const { error, value } = data.validate(event.data, { stripUnknown });
      if (error) {
        logger.warn({ reason: error.message }, 'dropping event with invalid data');
        return DAPR_STATUS.drop;
      }
      try {
        const status = await handle({ ...event, data: value } as CloudEvent<D, T>);
        if (status === DAPR_STATUS.retry) logger.warn('handler asked for a redelivery');
        if (status === DAPR_STATUS.drop) logger.warn('handler dropped the event');
        return status ?? DAPR_STATUS.success;
      } catch (failure) {
        if (failure instanceof DropEvent) {
          logger.warn({ reason: failure.message }, 'dropping event');
          return DAPR_STATUS.drop;
        }
        logger.warn({ err: failure }, 'event not handled; asking for a retry');
        return DAPR_STATUS.retry;
      }
    },
  };
}

/** One topic this app consumes, the route Dapr posts it to, and its handlers by type. */
export interface TopicSubscription {
  topic: string;
  route: string;
  handlers: readonly CloudEventHandler[];
  metadata?: Record<string, string>;
  /**
   * Ask for bulk delivery (declared in `/dapr/subscribe`): the sidecar, or the api's direct
   * transport, posts up to `maxMessagesCount` events in one request. The route takes single
   * events either way.
   */
  bulk?: Omit<DaprBulkSubscribe, 'enabled'>;
}

export interface DaprSubscriberOptions {
  pubsubName: string;
  subscriptions: readonly TopicSubscription[];
  logger: Logger;
  /** When set, every route here needs it in the `dapr-api-token` header (401 otherwise). */
  appToken?: string;
  /** Longest a handler may take before the answer is RETRY. Default: no limit. */
  timeoutMs?: number;
  /**
   * HTTP status of a RETRY answer. Dapr (and the api's direct transport) retry on either a
   * 200 with RETRY or any non-2xx; a 503 also tells a human reading logs the app is degraded.
   */
  retryHttpStatus?: number;
  /** Called with every answer, for the service's own delivery counter. */
  onAnswer?: (topic: string, status: DaprStatus) => void;
}

class HandlerTimeout extends Error {}

function withTimeout<T>(work: Promise<T>, ms: number | undefined): Promise<T> {
  if (ms === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HandlerTimeout(`handler took over ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** The task id of a `tasks/{id}` subject, so log lines of one task can be found together. */
function subjectTaskId(subject: string): string | undefined {
  return subject.startsWith('tasks/') ? subject.slice('tasks/'.length) : undefined;
}

function isBulk(body: unknown): body is { entries: DaprBulkEntry[] } {
  const entries = (body as { entries?: unknown } | null)?.entries;
  return (
    Array.isArray(entries) &&
    entries.every(
      (e: unknown) =>
        typeof e === 'object' &&
        e !== null &&
        typeof (e as DaprBulkEntry).entryId === 'string' &&
        'event' in e,
    )
  );
}

/** The event's ordering key: Dapr's `partitionkey` when it carries one, else its owner. */
function partitionKeyOf(event: unknown): string | undefined {
  const { partitionkey, userid } = (event ?? {}) as { partitionkey?: unknown; userid?: unknown };
  if (typeof partitionkey === 'string') return partitionkey;
  return typeof userid === 'string' ? userid : undefined;
}

/**
 * The Dapr subscriber contract of one app: `GET /dapr/subscribe` lists the topics
 * (programmatic subscription), and each topic's route takes CloudEvents. The envelope is
 * checked, the type picks the handler, and the handler runs inside the event's correlation
 * and trace context. Answers follow Dapr: SUCCESS, RETRY (deliver again) or DROP (never
 * deliverable: malformed, unknown type, invalid data), each logged.
 */
export function daprSubscriber(options: DaprSubscriberOptions): Router {
  const { logger, subscriptions, retryHttpStatus = 200 } = options;
  const router = Router();
  const authenticated = requireAppToken(options.appToken);

  router.get('/dapr/subscribe', authenticated, (_req, res) => {
    const list: DaprSubscription[] = subscriptions.map(({ topic, route, metadata, bulk }) => ({
      pubsubname: options.pubsubName,
      topic,
      route,
      ...(metadata ? { metadata } : {}),
      ...(bulk ? { bulkSubscribe: { enabled: true, ...bulk } } : {}),
    }));
    res.json(list);
  });

  const json = express.json({
    limit: '1mb',
    type: ['application/json', 'application/cloudevents+json', 'application/*+json'],
  });

  for (const subscription of subscriptions) {
    const { topic, route } = subscription;
    const answer = (res: Response, status: DaprStatus) => {
      options.onAnswer?.(topic, status);
      res.status(status === DAPR_STATUS.retry ? retryHttpStatus : 200).json({ status });
    };
    const byType = new Map<string, CloudEventHandler>();
    for (const handler of subscription.handlers)
      for (const type of handler.types) byType.set(type, handler);

    /** Checks the envelope, picks the handler by type, runs it in the event's context. */
    const deliver = async (body: unknown): Promise<DaprStatus> => {
      const envelope = cloudEventEnvelopeSchema.validate(body);
      if (envelope.error) {
        const id = (body as { id?: unknown } | null)?.id;
        logger.warn(
          {
            topic,
            eventId: typeof id === 'string' ? id : undefined,
            reason: envelope.error.message,
          },
          'dropping malformed event',
        );
        return DAPR_STATUS.drop;
      }
      const event = envelope.value as CloudEvent<unknown> & { traceparent?: string };
      const context: RequestContext = {
        correlationId: event.correlationid,
        userId: event.userid,
        eventId: event.id,
        ...(event.traceparent ? { traceparent: event.traceparent } : {}),
      };
      const taskId = subjectTaskId(event.subject);
      if (taskId) context.taskId = taskId;
      return runWithContext(context, async (): Promise<DaprStatus> => {
        const log = logger.child({ topic, type: event.type });
        const handler = byType.get(event.type);
        if (!handler) {
          log.warn('dropping event of unknown type');
          return DAPR_STATUS.drop;
        }
        try {
          return await withTimeout(handler.deliver(event, log), options.timeoutMs);
        } catch (error) {
          log.warn({ err: error }, 'event not handled in time; asking for a retry');
          return DAPR_STATUS.retry;
        }
      });
    };

    router.post(route, authenticated, json, async (req, res) => {
      const body: unknown = req.body;
      if (!isBulk(body)) return answer(res, await deliver(body));
      // Bulk (Dapr's bulk subscribe, or the direct transport's batch): each partition key's
      // (user's) entries in order, one at a time, different keys side by side, so one
      // handler's round trips (a BullMQ add) do not queue the whole batch behind them. Once
      // an entry of a key asks for a retry, that key's later entries answer RETRY unhandled,
      // so a redelivery can never overtake an earlier event.
      const statuses: DaprBulkResponse['statuses'] = new Array(body.entries.length);
      const lanes = new Map<string, number[]>();
      body.entries.forEach((entry, index) => {
        // An entry without a key is ordered with nothing: a lane of its own.
        const key = partitionKeyOf(entry.event) ?? `\u0000${index}`;
        const lane = lanes.get(key);
        if (lane) lane.push(index);
        else lanes.set(key, [index]);
      });
      await Promise.all(
        [...lanes.values()].map(async (lane) => {
          let held = false;
          for (const index of lane) {
            const entry = body.entries[index]!;
            const status = held ? DAPR_STATUS.retry : await deliver(entry.event);
            if (status === DAPR_STATUS.retry) held = true;
            options.onAnswer?.(topic, status);
            statuses[index] = { entryId: entry.entryId, status };
          }
        }),
      );
      res.status(200).json({ statuses } satisfies DaprBulkResponse);
    });

    // A body that is not JSON (or too large) will never parse: dropping beats endless retries.
    const dropUnreadable: ErrorRequestHandler = (error, _req, res, next) => {
      const httpStatus = (error as { status?: unknown }).status;
      if (res.headersSent || typeof httpStatus !== 'number' || httpStatus >= 500)
        return next(error);
      logger.warn({ topic, reason: (error as Error).message }, 'dropping unreadable delivery');
      answer(res, DAPR_STATUS.drop);
    };
    router.use(route, dropUnreadable);
  }

  return router;
}
