import {
  DAPR_APP_TOKEN_HEADER,
  DAPR_STATUS,
  type CloudEvent,
  type DaprSubscription,
  type Topic,
} from '@todo/contracts';
import { PublishError } from '../errors.js';
import type { Logger } from '@todo/platform';

/**
 * How the workers hand their results (`reminder.fired`, `occurrence.due`) forward. A publish
 * runs inside a BullMQ job: a rejection fails the job, which retries with backoff, so the
 * queue is the workers' outbox and nothing is lost while the transport or the api is down.
 */
export interface EventPublisher {
  publish(topic: Topic, event: CloudEvent): Promise<void>;
}

/** Through the Dapr sidecar's pub/sub API, partitioned by user like the api's events. */
export class DaprPublisher implements EventPublisher {
  constructor(
    private readonly pubsubName: string,
    private readonly daprUrl: string,
    private readonly timeoutMs: number,
  ) {}

  async publish(topic: Topic, event: CloudEvent): Promise<void> {
    const url = `${this.daprUrl}/v1.0/publish/${encodeURIComponent(this.pubsubName)}/${encodeURIComponent(topic)}?metadata.partitionKey=${encodeURIComponent(event.userid)}`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(this.timeoutMs),
    }).catch((error: unknown) => {
      throw new PublishError(`dapr sidecar unreachable: ${String(error)}`);
    });
    if (!response.ok)
      throw new PublishError(`dapr publish to ${topic} answered ${response.status}`);
  }
}

/**
 * Without a sidecar (`npm start`, tests): POSTs the CloudEvent to each subscriber app's route
 * for the topic, read from its `GET /dapr/subscribe`, honouring SUCCESS / RETRY / DROP, as the
 * api's own direct transport does. A subscriber that is down fails the publish (the job
 * retries), so any service may start first.
 */
export class DirectPublisher implements EventPublisher {
  private routes: Map<string, string[]> | null = null;
  private readonly headers: Record<string, string>;

  constructor(
    private readonly subscribers: string[],
    private readonly pubsubName: string,
    private readonly logger: Logger,
    private readonly timeoutMs: number,
    appToken?: string,
  ) {
    this.headers = appToken ? { [DAPR_APP_TOKEN_HEADER]: appToken } : {};
  }

  async publish(topic: Topic, event: CloudEvent): Promise<void> {
    const urls = (await this.discover()).get(topic) ?? [];
    if (urls.length === 0) throw new PublishError(`no subscriber declares ${topic}`);
    for (const url of urls) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents+json', ...this.headers },
        body: JSON.stringify({ ...event, pubsubname: this.pubsubName, topic }),
        signal: AbortSignal.timeout(this.timeoutMs),
      }).catch((error: unknown) => {
        this.routes = null; // a restarted subscriber may declare other routes
        throw new PublishError(`${url} unreachable: ${String(error)}`);
      });
      const text = response.ok ? await response.text() : '';
      const status = text ? (JSON.parse(text) as { status?: string }).status : undefined;
      if (!response.ok || status === DAPR_STATUS.retry)
        throw new PublishError(`${url} asked to retry (${response.status})`);
      if (status === DAPR_STATUS.drop)
        this.logger.warn({ eventId: event.id, topic, url }, 'subscriber dropped event');
    }
  }

  private async discover(): Promise<Map<string, string[]>> {
    if (this.routes) return this.routes;
    const routes = new Map<string, string[]>();
    for (const base of this.subscribers) {
      let declared: DaprSubscription[];
      try {
        const response = await fetch(`${base}/dapr/subscribe`, {
          headers: this.headers,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        if (!response.ok) throw new Error(`status ${response.status}`);
        declared = (await response.json()) as DaprSubscription[];
      } catch (error) {
        throw new PublishError(`subscriber ${base} is unreachable: ${String(error)}`);
      }
      for (const { pubsubname, topic, route } of declared) {
        if (pubsubname !== this.pubsubName) continue;
        routes.set(topic, [
          ...(routes.get(topic) ?? []),
          `${base}${route.startsWith('/') ? '' : '/'}${route}`,
        ]);
      }
    }
    this.routes = routes;
    return routes;
  }
}
