import type { CloudEvent, Topic } from '@todo/contracts';

/**
 * The port through which the outbox relay hands events to the transport.
 * `publish` resolves once the transport accepted the event and rejects otherwise;
 * the relay retries rejected events with backoff.
 */
export interface EventPublisher {
  readonly name: string;
  publish(topic: Topic, event: CloudEvent, partitionKey: string): Promise<void>;
  /** True when the transport can take events now (for `/health/ready`). */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}
