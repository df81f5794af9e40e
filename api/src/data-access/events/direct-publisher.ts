import type { CloudEvent, Topic } from '@todo/contracts';
import { DirectDelivery, type Logger } from '@todo/platform';
import type { EventPublisher, PublishItem } from './event-publisher.js';

/**
 * The relay's embedded transport: `@todo/platform`'s direct delivery to the subscriber apps'
 * own Dapr routes (docs/architecture.md, "Local and production").
 */
export class DirectEventPublisher implements EventPublisher {
  readonly name = 'direct';
  private readonly delivery: DirectDelivery;

  constructor(subscribers: string[], pubsubName: string, logger: Logger, appToken?: string) {
    this.delivery = new DirectDelivery({
      subscribers,
      pubsubName,
      logger,
      timeoutMs: 10_000,
      appToken,
    });
  }

  publish(topic: Topic, event: CloudEvent, partitionKey: string): Promise<void> {
    return this.delivery.publish(topic, event, partitionKey);
  }

  /** A subscriber that declared bulk delivery gets the batch in one request per topic. */
  publishBatch(topic: Topic, items: PublishItem[]): Promise<Map<string, string>> {
    return this.delivery.publishBatch(topic, items);
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
