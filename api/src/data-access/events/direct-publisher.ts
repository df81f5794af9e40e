import {
  DAPR_APP_TOKEN_HEADER,
  DAPR_STATUS,
  type CloudEvent,
  type DaprSubscription,
  type Topic,
} from '@todo/contracts';
import type { Logger } from '@todo/platform';
import { PublishError, type EventPublisher } from './event-publisher.js';

interface Route {
  base: string;
  path: string;
}

/**
 * The embedded transport (docs/architecture.md, "Local and production"): delivers each CloudEvent to the subscriber apps'
 * own Dapr endpoints — it reads their `GET /dapr/subscribe` and POSTs to the declared
 * route, honouring Dapr's response contract (SUCCESS / RETRY / DROP; non-2xx = retry).
 * Subscriber code therefore runs the same path with or without a sidecar.
 */
export class DirectEventPublisher implements EventPublisher {
  readonly name = 'direct';
  private routes: Map<string, Route[]> | null = null;
  /** Deliveries that succeeded while another subscriber of the same event asked for a retry. */
  private readonly delivered = new Set<string>();
  private readonly authHeaders: Record<string, string>;

  constructor(
    private readonly subscribers: string[],
    private readonly pubsubName: string,
    private readonly logger: Logger,
    /** Sent as `dapr-api-token` on every call, as daprd does when it has APP_API_TOKEN. */
    appToken?: string,
  ) {
    this.authHeaders = appToken ? { [DAPR_APP_TOKEN_HEADER]: appToken } : {};
  }

  async publish(topic: Topic, event: CloudEvent, partitionKey: string): Promise<void> {
    const routes = (await this.discover()).get(topic) ?? [];
    let failure: string | null = null;
    for (const route of routes) {
      const key = `${event.id}|${route.base}${route.path}`;
      if (this.delivered.has(key)) continue;
      const outcome = await this.deliver(route, topic, event, partitionKey);
      if (outcome === 'retry') {
        failure ??= `${route.base}${route.path} asked to retry`;
        continue;
      }
      this.delivered.add(key);
    }
    if (failure) {
      this.routes = null; // a restarted subscriber may have changed its routes
      throw new PublishError(failure);
    }
    for (const route of routes) this.delivered.delete(`${event.id}|${route.base}${route.path}`);
  }

  private async deliver(route: Route, topic: Topic, event: CloudEvent, partitionKey: string) {
    try {
      const response = await fetch(`${route.base}${route.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents+json', ...this.authHeaders },
        // Dapr adds these attributes when it delivers; subscribers may rely on them.
        body: JSON.stringify({
          ...event,
          pubsubname: this.pubsubName,
          topic,
          partitionkey: partitionKey,
        }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) return 'retry';
      const text = await response.text();
      const status = text ? (JSON.parse(text) as { status?: string }).status : undefined;
      if (status === DAPR_STATUS.retry) return 'retry';
      if (status === DAPR_STATUS.drop) {
        this.logger.warn(
          { eventId: event.id, topic, subscriber: route.base },
          'subscriber dropped event',
        );
      }
      return 'done';
    } catch (error) {
      this.logger.warn(
        { err: error, eventId: event.id, subscriber: route.base },
        'delivery failed',
      );
      return 'retry';
    }
  }

  /** Reads each subscriber's declared subscriptions; an unreachable one fails the publish. */
  private async discover(): Promise<Map<string, Route[]>> {
    if (this.routes) return this.routes;
    const routes = new Map<string, Route[]>();
    for (const base of this.subscribers) {
      let declared: DaprSubscription[];
      try {
        const response = await fetch(`${base}/dapr/subscribe`, {
          headers: this.authHeaders,
          signal: AbortSignal.timeout(5_000),
        });
        if (!response.ok) throw new Error(`status ${response.status}`);
        declared = (await response.json()) as DaprSubscription[];
      } catch (error) {
        throw new PublishError(`subscriber ${base} is unreachable: ${String(error)}`);
      }
      for (const subscription of declared) {
        if (subscription.pubsubname !== this.pubsubName) continue;
        const list = routes.get(subscription.topic) ?? [];
        list.push({
          base,
          path: subscription.route.startsWith('/') ? subscription.route : `/${subscription.route}`,
        });
        routes.set(subscription.topic, list);
      }
    }
    this.routes = routes;
    return routes;
  }

  /**
   * Always ready: a subscriber that is not up yet only delays its deliveries (the relay
   * retries them), so gating readiness on it would make start-up order matter again.
   */
  async isReady(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}
}
