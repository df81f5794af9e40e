import { CommunicationProtocolEnum, DaprClient, LogLevel } from '@dapr/dapr';
import type { CloudEvent, Topic } from '@todo/contracts';
import { PublishError } from '@todo/platform';
import type { EventPublisher } from './event-publisher.js';

/**
 * Publishes through the Dapr sidecar's pub/sub API. The event is sent as a structured
 * CloudEvent so Dapr forwards our id, type and extensions unchanged; `partitionKey`
 * keeps one user's events on one Kafka partition, hence in order.
 */
export class DaprEventPublisher implements EventPublisher {
  readonly name = 'dapr';
  private readonly client: DaprClient;

  constructor(
    private readonly pubsubName: string,
    daprHost: string,
    daprPort: number,
  ) {
    this.client = new DaprClient({
      daprHost,
      daprPort: String(daprPort),
      communicationProtocol: CommunicationProtocolEnum.HTTP,
      logger: { level: LogLevel.Error },
    });
  }

  async publish(topic: Topic, event: CloudEvent, partitionKey: string): Promise<void> {
    const result = await this.client.pubsub.publish(this.pubsubName, topic, event, {
      contentType: 'application/cloudevents+json',
      metadata: { partitionKey },
    });
    if (result.error)
      throw new PublishError(`dapr publish to ${topic} failed: ${String(result.error)}`);
  }

  async isReady(): Promise<boolean> {
    try {
      return await this.client.health.isHealthy();
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.client.stop();
  }
}
