import {
  DAPR_APP_TOKEN_HEADER,
  DAPR_STATUS,
  type CloudEvent,
  type DaprSubscription,
  type Topic,
} from '@todo/contracts';
import type { Logger } from './logger.js';

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
  private routes: Map<string, string[]> | null = null;
  /** `eventId|url` of deliveries that succeeded while another subscriber asked for a retry. */
  private readonly delivered = new Set<string>();
  private readonly headers: Record<string, string>;

  constructor(private readonly options: DirectDeliveryOptions) {
    this.headers = options.appToken ? { [DAPR_APP_TOKEN_HEADER]: options.appToken } : {};
  }

  async publish(topic: Topic, event: CloudEvent, partitionKey = event.userid): Promise<void> {
    // As with a broker, a topic nobody subscribes to takes the event and delivers it nowhere.
    const urls = (await this.discover()).get(topic) ?? [];
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
        // Dapr adds these attributes when it delivers; subscribers may rely on them.
        body: JSON.stringify({
          ...event,
          pubsubname: this.options.pubsubName,
          topic,
          partitionkey: partitionKey,
        }),
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
  private async discover(): Promise<Map<string, string[]>> {
    if (this.routes) return this.routes;
    const routes = new Map<string, string[]>();
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
      for (const { pubsubname, topic, route } of declared) {
        if (pubsubname !== this.options.pubsubName) continue;
        const url = `${base}${route.startsWith('/') ? '' : '/'}${route}`;
        routes.set(topic, [...(routes.get(topic) ?? []), url]);
      }
    }
    this.routes = routes;
    return routes;
  }
}
