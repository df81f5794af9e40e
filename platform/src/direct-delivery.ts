import { randomUUID } from 'node:crypto';
import {
  DAPR_APP_TOKEN_HEADER,
  DAPR_STATUS,
  type CloudEvent,
  type DaprBulkEntry,
  type DaprBulkResponse,
  type DaprSubscription,
  type Topic,
} from '@todo/contracts';
import type { Logger } from './logger.js';

/** One event of a batch and the key its order is kept by (the user). */
export interface BatchItem {
  event: CloudEvent;
  partitionKey: string;
}

/** A subscriber's route for a topic, and whether it declared bulk delivery. */
interface Route {
  url: string;
  /** Entries per bulk request; 0 = the route takes one event per request. */
  bulkMax: number;
}

/** Events of one key in flight at once when a route takes one event per request. */
const SINGLE_EVENT_LANES = 8;

/** The transport did not take an event (sidecar or subscriber down, or it asked to retry). */
export class PublishError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export interface DirectDeliveryOptions {
  /** Base URLs of the subscriber apps. */
  subscribers: string[];
  pubsubName: string;
  logger: Logger;
  /** Per HTTP call (discovery and each delivery). */
  timeoutMs: number;
  /** Sent as `dapr-api-token` on every call, as daprd does when it has APP_API_TOKEN. */
  appToken?: string;
}

/**
 * Pub/sub without a sidecar (`npm start`, tests; docs/architecture.md, "Local and
 * production"): reads each subscriber app's own `GET /dapr/subscribe` and POSTs the CloudEvent
 * to the route it declares for the topic, honouring Dapr's response contract (SUCCESS / RETRY
 * / DROP; non-2xx = retry). Subscriber code therefore runs the same path with or without a
 * sidecar. A publish that any subscriber refuses rejects, so the caller's outbox (the api's
 * relay, the workers' BullMQ job) retries it; subscribers that already took the event are not
 * sent it again on that retry.
 */
export class DirectDelivery {
  private routes: Map<string, Route[]> | null = null;
  /** `eventId|url` of deliveries that succeeded while another subscriber asked for a retry. */
  private readonly delivered = new Set<string>();
  private readonly headers: Record<string, string>;

  constructor(private readonly options: DirectDeliveryOptions) {
    this.headers = options.appToken ? { [DAPR_APP_TOKEN_HEADER]: options.appToken } : {};
  }

  async publish(topic: Topic, event: CloudEvent, partitionKey = event.userid): Promise<void> {
    // As with a broker, a topic nobody subscribes to takes the event and delivers it nowhere.
    const urls = ((await this.discover()).get(topic) ?? []).map((r) => r.url);
    let failure: string | null = null;
    for (const url of urls) {
      const key = `${event.id}|${url}`;
      if (this.delivered.has(key)) continue;
      const refusal = await this.deliver(url, topic, event, partitionKey);
      if (refusal) failure ??= refusal;
      else this.delivered.add(key);
    }
    if (failure) {
      this.routes = null; // a restarted subscriber may declare other routes
      throw new PublishError(failure);
    }
    for (const url of urls) this.delivered.delete(`${event.id}|${url}`);
  }

  /**
   * Delivers `items` (in order per partition key) to every subscriber of `topic`: one request
   * per `maxMessagesCount` events to a route that declared bulk delivery, else one per event
   * (keys side by side, each key's in order). Resolves with the events that must be retried
   * and why; every other event was taken by every subscriber. After a key's first refused
   * event, its later events are not sent (they would overtake it) and count as refused.
   */
  async publishBatch(topic: Topic, items: BatchItem[]): Promise<Map<string, string>> {
    const failures = new Map<string, string>();
    let routes: Route[];
    try {
      routes = (await this.discover()).get(topic) ?? [];
    } catch (error) {
      for (const { event } of items) failures.set(event.id, String(error));
      return failures;
    }
    for (const route of routes) {
      const pending = items.filter(({ event }) => !this.delivered.has(`${event.id}|${route.url}`));
      const refused =
        route.bulkMax > 0
          ? await this.deliverBulk(route, topic, pending)
          : await this.deliverEach(route.url, topic, pending);
      for (const { event } of pending) {
        const reason = refused.get(event.id);
        if (reason === undefined) this.delivered.add(`${event.id}|${route.url}`);
        else if (!failures.has(event.id)) failures.set(event.id, reason);
      }
    }
    if (failures.size > 0) this.routes = null; // a restarted subscriber may declare other routes
    for (const { event } of items)
      if (!failures.has(event.id))
        for (const route of routes) this.delivered.delete(`${event.id}|${route.url}`);
    return failures;
  }

  /** Bulk requests in order; a refused key stays refused for the rest of the batch. */
  private async deliverBulk(
    route: Route,
    topic: Topic,
    items: BatchItem[],
  ): Promise<Map<string, string>> {
    const refused = new Map<string, string>();
    const heldKeys = new Map<string, string>();
    for (let start = 0; start < items.length; start += route.bulkMax) {
      const chunk: BatchItem[] = [];
      for (const item of items.slice(start, start + route.bulkMax)) {
        const held = heldKeys.get(item.partitionKey);
        if (held === undefined) chunk.push(item);
        else refused.set(item.event.id, held);
      }
      if (chunk.length === 0) continue;
      const entries: DaprBulkEntry[] = chunk.map(({ event, partitionKey }) => ({
        entryId: event.id,
        event: this.asDelivered(event, topic, partitionKey),
        contentType: 'application/cloudevents+json',
      }));
      const statuses = await this.post(route.url, {
        id: randomUUID(),
        type: 'com.dapr.event.sent.bulk',
        pubsubname: this.options.pubsubName,
        topic,
        metadata: {},
        entries,
      });
      const byEntry = new Map(
        typeof statuses === 'string' ? [] : statuses.statuses.map((s) => [s.entryId, s.status]),
      );
      for (const { event, partitionKey } of chunk) {
        const status = byEntry.get(event.id);
        if (status === DAPR_STATUS.success) continue;
        if (status === DAPR_STATUS.drop) {
          this.options.logger.warn(
            { eventId: event.id, topic, url: route.url },
            'subscriber dropped event',
          );
          continue;
        }
        const reason = typeof statuses === 'string' ? statuses : `${route.url} asked to retry`;
        refused.set(event.id, reason);
        heldKeys.set(partitionKey, reason);
      }
    }
    return refused;
  }

  /** One request per event: keys side by side, each key in order, stopping at a refusal. */
  private async deliverEach(
    url: string,
    topic: Topic,
    items: BatchItem[],
  ): Promise<Map<string, string>> {
    const refused = new Map<string, string>();
    const lanes = new Map<string, BatchItem[]>();
    for (const item of items)
      lanes.set(item.partitionKey, [...(lanes.get(item.partitionKey) ?? []), item]);
    const queue = [...lanes.values()];
    const lane = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        let reason: string | null = null;
        for (const { event, partitionKey } of next) {
          reason ??= await this.deliver(url, topic, event, partitionKey);
          if (reason) refused.set(event.id, reason);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(SINGLE_EVENT_LANES, queue.length) }, lane));
    return refused;
  }

  /** The answer of a bulk request, or why all of it must be retried. */
  private async post(url: string, body: object): Promise<DaprBulkResponse | string> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents-batch+json', ...this.headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      if (!response.ok) return `${url} asked to retry (${response.status})`;
      const answer = (await response.json()) as Partial<DaprBulkResponse> | null;
      return Array.isArray(answer?.statuses)
        ? { statuses: answer.statuses }
        : `${url} gave no statuses`;
    } catch (error) {
      this.options.logger.warn({ err: error, url }, 'bulk delivery failed');
      return `${url} unreachable: ${String(error)}`;
    }
  }

  /** Dapr adds these attributes when it delivers; subscribers may rely on them. */
  private asDelivered(event: CloudEvent, topic: Topic, partitionKey: string) {
    return { ...event, pubsubname: this.options.pubsubName, topic, partitionkey: partitionKey };
  }

  /** Null when the subscriber took (or dropped) the event, else why it must be retried. */
  private async deliver(
    url: string,
    topic: Topic,
    event: CloudEvent,
    partitionKey: string,
  ): Promise<string | null> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents+json', ...this.headers },
        body: JSON.stringify(this.asDelivered(event, topic, partitionKey)),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      if (!response.ok) return `${url} asked to retry (${response.status})`;
      const text = await response.text();
      const status = text ? (JSON.parse(text) as { status?: string }).status : undefined;
      if (status === DAPR_STATUS.retry) return `${url} asked to retry`;
      if (status === DAPR_STATUS.drop) {
        this.options.logger.warn({ eventId: event.id, topic, url }, 'subscriber dropped event');
      }
      return null;
    } catch (error) {
      this.options.logger.warn({ err: error, eventId: event.id, url }, 'delivery failed');
      return `${url} unreachable: ${String(error)}`;
    }
  }

  /** Each subscriber's declared routes by topic; an unreachable subscriber fails the publish. */
  private async discover(): Promise<Map<string, Route[]>> {
    if (this.routes) return this.routes;
    const routes = new Map<string, Route[]>();
    for (const base of this.options.subscribers) {
      let declared: DaprSubscription[];
      try {
        const response = await fetch(`${base}/dapr/subscribe`, {
          headers: this.headers,
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
        if (!response.ok) throw new Error(`status ${response.status}`);
        declared = (await response.json()) as DaprSubscription[];
      } catch (error) {
        throw new PublishError(`subscriber ${base} is unreachable: ${String(error)}`);
      }
      for (const { pubsubname, topic, route, bulkSubscribe } of declared) {
        if (pubsubname !== this.options.pubsubName) continue;
        const url = `${base}${route.startsWith('/') ? '' : '/'}${route}`;
        const bulkMax = bulkSubscribe?.enabled ? (bulkSubscribe.maxMessagesCount ?? 100) : 0;
        routes.set(topic, [...(routes.get(topic) ?? []), { url, bulkMax }]);
      }
    }
    this.routes = routes;
    return routes;
  }
}
