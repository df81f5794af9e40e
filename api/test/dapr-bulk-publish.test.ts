import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { TOPICS, type CloudEvent } from '@todo/contracts';
import { DaprEventPublisher } from '../src/data-access/events/dapr-publisher.js';

/**
 * The relay's batch through the sidecar's bulk publish API. A real daprd and Kafka carry
 * batches end to end in the Dapr lane (`npm run test:e2e:dapr`); Kafka cannot be made to
 * refuse part of a batch on demand, so the sidecar's documented answers to a partial or a
 * total failure are played here by a local HTTP server in its place.
 */
describe('Dapr publisher: a batch in one bulk publish request', () => {
  let server: Server;
  let port: number;
  let answer: { status: number; body: string } = { status: 204, body: '' };
  const requests: { url: string; body: unknown }[] = [];

  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    return text ? (JSON.parse(text) as unknown) : null; // the SDK's health check has no body
  };

  before(async () => {
    server = createServer((req, res) => {
      void read(req).then((body) => {
        // The SDK (single publishes) first waits for the sidecar's metadata, as on start-up.
        if (req.url === '/v1.0/metadata') return res.writeHead(200).end('{"id":"api"}');
        requests.push({ url: req.url ?? '', body });
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const event = (n: number): CloudEvent =>
    ({
      specversion: '1.0',
      id: `00000000-0000-4000-8000-00000000000${n}`,
      source: 'todo-api',
      type: 'com.todo.task.updated',
      subject: `tasks/${n}`,
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      userid: `user-${n % 2}`,
      correlationid: 'c',
      data: { n },
    }) as unknown as CloudEvent;
  const items = [1, 2, 3].map((n) => ({ event: event(n), partitionKey: `user-${n % 2}` }));

  it('sends every event once, as a CloudEvent with its own partition key, and reports none failed', async () => {
    answer = { status: 204, body: '' };
    requests.length = 0;
    const publisher = new DaprEventPublisher('pubsub', '127.0.0.1', port);
    const failures = await publisher.publishBatch(TOPICS.taskEvents, items);
    assert.equal(failures.size, 0);
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.url, '/v1.0-alpha1/publish/bulk/pubsub/task-events');
    assert.deepEqual(
      requests[0]!.body,
      items.map(({ event: e, partitionKey }) => ({
        entryId: e.id,
        event: e,
        contentType: 'application/cloudevents+json',
        metadata: { partitionKey },
      })),
    );
  });

  it('retries exactly the entries the sidecar names as failed', async () => {
    answer = {
      status: 500,
      body: JSON.stringify({
        failedEntries: [{ entryId: items[1]!.event.id, error: 'kafka: broker not available' }],
        errorCode: 'ERR_PUBSUB_PUBLISH_MESSAGE',
      }),
    };
    const failures = await new DaprEventPublisher('pubsub', '127.0.0.1', port).publishBatch(
      TOPICS.taskEvents,
      items,
    );
    assert.deepEqual([...failures.keys()], [items[1]!.event.id]);
    assert.match(failures.get(items[1]!.event.id)!, /broker not available/);
  });

  it('after a failed batch sends one event per request, and a batch again once one went through', async () => {
    const publisher = new DaprEventPublisher('pubsub', '127.0.0.1', port);
    const publishes = () => requests.filter((r) => r.url.includes('/publish/'));
    answer = { status: 503, body: 'kafka: client has run out of available brokers' };
    requests.length = 0;
    assert.equal((await publisher.publishBatch(TOPICS.taskEvents, items)).size, items.length);
    assert.equal(publishes().length, 1, 'the failed batch was one bulk request');

    answer = { status: 204, body: '' };
    requests.length = 0;
    assert.equal((await publisher.publishBatch(TOPICS.taskEvents, items)).size, 0);
    assert.deepEqual(
      publishes().map((r) => [r.url.split('?')[0], (r.body as { id: string }).id]),
      items.map(({ event: e }) => ['/v1.0/publish/pubsub/task-events', e.id]),
      'recovering: each event alone, in order',
    );

    requests.length = 0;
    assert.equal((await publisher.publishBatch(TOPICS.taskEvents, items)).size, 0);
    assert.deepEqual(
      publishes().map((r) => r.url),
      ['/v1.0-alpha1/publish/bulk/pubsub/task-events'],
      'recovered: one bulk request again',
    );
  });

  it('retries the whole batch when the answer names no entry, or the sidecar is unreachable', async () => {
    answer = { status: 503, body: 'upstream unavailable' };
    const publisher = new DaprEventPublisher('pubsub', '127.0.0.1', port);
    const unnamed = await publisher.publishBatch(TOPICS.taskEvents, items);
    assert.deepEqual(
      [...unnamed.keys()],
      items.map((i) => i.event.id),
    );
    const closed = new DaprEventPublisher('pubsub', '127.0.0.1', 9);
    const unreachable = await closed.publishBatch(TOPICS.taskEvents, items);
    assert.equal(unreachable.size, items.length);
  });
});
