import type { CloudEvent, Topic } from '@todo/contracts';
import { DirectDelivery, PublishError, type Logger } from '@todo/platform';

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
 * Without a sidecar (`npm start`, tests): `@todo/platform`'s direct delivery to each
 * subscriber app's declared route, as the api's relay does. A subscriber that is down fails
 * the publish (the job retries), so any service may start first.
 */
export class DirectPublisher implements EventPublisher {
  private readonly delivery: DirectDelivery;

  constructor(
    subscribers: string[],
    pubsubName: string,
    logger: Logger,
    timeoutMs: number,
    appToken?: string,
  ) {
    this.delivery = new DirectDelivery({ subscribers, pubsubName, logger, timeoutMs, appToken });
  }

  publish(topic: Topic, event: CloudEvent): Promise<void> {
    return this.delivery.publish(topic, event);
  }
}
