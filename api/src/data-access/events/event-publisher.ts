import type { CloudEvent, Topic } from '@todo/contracts';

/** One event of a batch and its ordering key (the user). */
export interface PublishItem {
  event: CloudEvent;
  partitionKey: string;
}

/**
 * The port through which the outbox relay hands events to the transport.
 * `publish` resolves once the transport accepted the event and rejects otherwise;
 * the relay retries rejected events with backoff.
 */
export interface EventPublisher {
  readonly name: string;
  publish(topic: Topic, event: CloudEvent, partitionKey: string): Promise<void>;
  /**
   * Optional: hands several events of one topic over at once (in order per key). Resolves
   * with the ids of the events that must be retried and why; the rest were accepted.
   */
  publishBatch?(topic: Topic, items: PublishItem[]): Promise<Map<string, string>>;
  /** True when the transport can take events now (for `/health/ready`). */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}
