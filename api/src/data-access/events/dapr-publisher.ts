import { CommunicationProtocolEnum, DaprClient, LogLevel } from '@dapr/dapr';
import type { CloudEvent, Topic } from '@todo/contracts';
import { PublishError } from '@todo/platform';
import type { EventPublisher, PublishItem } from './event-publisher.js';

const BULK_TIMEOUT_MS = 10_000;

/**
 * Publishes through the Dapr sidecar's pub/sub API. The event is sent as a structured
 * CloudEvent so Dapr forwards our id, type and extensions unchanged; `partitionKey`
 * keeps one user's events on one Kafka partition, hence in order. A batch goes through the
 * sidecar's bulk publish API in one request (ADR 387).
 */
export class DaprEventPublisher implements EventPublisher {
  readonly name = 'dapr';
  private readonly client: DaprClient;
  private readonly bulkUrl: string;
  /** Topics whose last batch failed: their next batch goes one event at a time. */
  private readonly recovering = new Set<Topic>();

  constructor(
    private readonly pubsubName: string,
    daprHost: string,
    daprPort: number,
  ) {
    this.bulkUrl = `http://${daprHost}:${daprPort}/v1.0-alpha1/publish/bulk/${encodeURIComponent(pubsubName)}`;
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

  /**
   * The batch in one bulk publish request, each entry with its own partition key; after a
   * failed batch, one event per request until a batch goes through whole (ADR 387).
   */
  async publishBatch(topic: Topic, items: PublishItem[]): Promise<Map<string, string>> {
    // A broker coming back can fail part of a bulk request and keep the rest: retrying that
    // batch whole put an event on the topic twice.
    const failures = this.recovering.has(topic)
      ? await this.publishEach(topic, items)
      : await this.publishBulk(topic, items);
    if (failures.size > 0) this.recovering.add(topic);
    else this.recovering.delete(topic);
    return failures;
  }

  /** One request per event in batch order; a key stops at its first failure. */
  private async publishEach(topic: Topic, items: PublishItem[]): Promise<Map<string, string>> {
    const failures = new Map<string, string>();
    const held = new Set<string>();
    for (const { event, partitionKey } of items) {
      if (held.has(partitionKey)) {
        failures.set(event.id, 'waiting for an earlier event of its key');
        continue;
      }
      try {
        await this.publish(topic, event, partitionKey);
      } catch (error) {
        failures.set(event.id, String(error instanceof Error ? error.message : error));
        held.add(partitionKey);
      }
    }
    return failures;
  }

  /**
   * Called directly rather than through the SDK's `publishBulk`, which matches the sidecar's
   * failed entries by `entryID` while the sidecar answers `entryId`: a partial failure would
   * read as a success, and those events would be marked sent and lost.
   */
  private async publishBulk(topic: Topic, items: PublishItem[]): Promise<Map<string, string>> {
    const failures = new Map<string, string>();
    const failAll = (reason: string) => {
      for (const { event } of items) failures.set(event.id, reason);
      return failures;
    };
    let response: Response;
    try {
      response = await fetch(`${this.bulkUrl}/${encodeURIComponent(topic)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          items.map(({ event, partitionKey }) => ({
            entryId: event.id,
            event,
            contentType: 'application/cloudevents+json',
            metadata: { partitionKey },
          })),
        ),
        signal: AbortSignal.timeout(BULK_TIMEOUT_MS),
      });
    } catch (error) {
      return failAll(`dapr bulk publish to ${topic} failed: ${String(error)}`);
    }
    const text = await response.text().catch(() => '');
    if (response.ok) return failures;
    let failed: { entryId?: unknown; error?: unknown }[] = [];
    try {
      const body = JSON.parse(text) as { failedEntries?: unknown };
      if (Array.isArray(body.failedEntries)) failed = body.failedEntries;
    } catch {
      // Not the bulk answer (a proxy, a sidecar that is shutting down): nothing was accepted.
    }
    const ids = new Set(items.map(({ event }) => event.id));
    const named = failed.filter((f) => typeof f.entryId === 'string' && ids.has(f.entryId));
    // A failure that names no entry of ours says nothing about which were accepted: retry all.
    if (named.length === 0)
      return failAll(`dapr bulk publish to ${topic} failed (${response.status}): ${text}`);
    for (const f of named)
      failures.set(f.entryId as string, `dapr bulk publish to ${topic} failed: ${String(f.error)}`);
    return failures;
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
