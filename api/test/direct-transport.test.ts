import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import {
  DAPR_STATUS,
  TASK_CHANGED_TYPE,
  TOPICS,
  taskChangedDataSchema,
  type CloudEvent,
  type DaprSubscription,
  type TaskChangedData,
} from '@todo/contracts';
import { createLogger, daprSubscriber, on } from '@todo/platform';
import { client, startTestApi, type TestApi } from './helpers.js';

/** A subscriber app speaking Dapr's contract, like the workers and socket nodes do. */
async function startSubscriber(decide: (event: CloudEvent, attempt: number) => number | string) {
  const received: CloudEvent[] = [];
  const attempts = new Map<string, number>();
  const app = express();
  app.use(express.json({ type: ['application/json', 'application/cloudevents+json'] }));
  app.get('/dapr/subscribe', (_req, res) => {
    const subscriptions: DaprSubscription[] = [
      { pubsubname: 'pubsub', topic: TOPICS.taskEvents, route: '/events/task-events' },
      { pubsubname: 'other', topic: TOPICS.taskUpdates, route: '/never' },
    ];
    res.json(subscriptions);
  });
  app.post('/events/task-events', (req, res) => {
    const event = req.body as CloudEvent;
    const attempt = (attempts.get(event.id) ?? 0) + 1;
    attempts.set(event.id, attempt);
    const decision = decide(event, attempt);
    if (typeof decision === 'number') return void res.status(decision).end();
    if (decision === DAPR_STATUS.success || decision === DAPR_STATUS.drop) received.push(event);
    res.json({ status: decision });
  });
  app.post('/never', (_req, res) => void res.status(500).end());
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    attempts,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('direct transport: the Dapr subscriber contract without a sidecar', () => {
  let t: TestApi;
  let subscriber: Awaited<ReturnType<typeof startSubscriber>>;

  before(async () => {
    // First delivery of each event: RETRY; second: a 503; third: SUCCESS. DROP for "drop me".
    subscriber = await startSubscriber((event, attempt) => {
      const title = (event.data as { task: { title: string } }).task.title;
      if (title === 'drop me') return DAPR_STATUS.drop;
      return attempt === 1 ? DAPR_STATUS.retry : attempt === 2 ? 503 : DAPR_STATUS.success;
    });
    t = await startTestApi(
      { DIRECT_SUBSCRIBERS: subscriber.url },
      { useConfiguredTransport: true },
    );
  });
  after(async () => {
    await t.stop();
    await subscriber.close();
  });

  it('retries on RETRY and non-2xx until SUCCESS, accepts DROP, and routes by declared topic only', async () => {
    const call = client(t.baseUrl, (await t.signUp()).token);
    const kept = (await call<{ id: string }>('POST', '/api/v1/tasks', { title: 'keep me' })).body;
    await call('POST', '/api/v1/tasks', { title: 'drop me' });
    await t.api.relay.flush(20_000);
    const subjects = subscriber.received.map((e) => e.subject);
    assert.deepEqual(subjects.filter((s) => s === `tasks/${kept.id}`).length, 1);
    const keptEvent = subscriber.received.find((e) => e.subject === `tasks/${kept.id}`)!;
    assert.equal(subscriber.attempts.get(keptEvent.id), 3);
    assert.equal(
      subscriber.received.length,
      2,
      'the dropped event counts as handled, not retried forever',
    );
    assert.ok(
      subscriber.received.every((e) => e.type.startsWith('com.todo.task.')),
      'only task-events reach this route',
    );
  });

  it('reports the transport in readiness', async () => {
    const ready = await fetch(`${t.baseUrl}/health/ready`);
    assert.equal(ready.status, 200);
    assert.deepEqual(((await ready.json()) as { checks: unknown }).checks, {
      database: 'up',
      transport: 'up',
    });
  });
});

describe('direct transport: a subscriber that declared bulk delivery gets the relay batch', () => {
  let t: TestApi;
  let server: Server;
  let requests = 0;
  const seen: TaskChangedData[] = [];
  const refusedOnce = new Set<number>();

  before(async () => {
    const app = express();
    app.use((req, _res, next) => {
      if (req.path === '/events/task-updates') requests += 1;
      next();
    });
    app.use(
      daprSubscriber({
        pubsubName: 'pubsub',
        logger: createLogger({ service: 'test', level: 'silent' }),
        subscriptions: [
          {
            topic: TOPICS.taskUpdates,
            route: '/events/task-updates',
            bulk: { maxMessagesCount: 100, maxAwaitDurationMs: 10 },
            handlers: [
              on<TaskChangedData>(TASK_CHANGED_TYPE, taskChangedDataSchema, ({ data }) => {
                // The third version asks for a redelivery once: what follows must wait for it.
                const version = data.task.version;
                if (version === 3 && !refusedOnce.has(version)) {
                  refusedOnce.add(version);
                  return DAPR_STATUS.retry;
                }
                seen.push(data);
              }),
            ],
          },
        ],
      }),
    );
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t = await startTestApi(
      { DIRECT_SUBSCRIBERS: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
      { useConfiguredTransport: true },
    );
  });
  after(async () => {
    await t.stop();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('sends the changes in few requests, each once and in order, through a retry', async () => {
    const call = client(t.baseUrl, (await t.signUp()).token);
    await t.api.relay.flush(20_000);
    seen.splice(0);
    requests = 0;
    // Changes committed while the relay is stopped are read as one batch when it starts.
    await t.api.relay.stop();
    const task = (await call<{ id: string }>('POST', '/api/v1/tasks', { title: 'v1' })).body;
    for (const title of ['v2', 'v3', 'v4', 'v5', 'v6'])
      assert.equal((await call('PATCH', `/api/v1/tasks/${task.id}`, { title })).status, 200);
    await t.api.relay.start();
    await t.api.relay.flush(20_000);

    const mine = seen.filter((d) => d.taskId === task.id);
    assert.deepEqual(
      mine.map((d) => d.task.version),
      [1, 2, 3, 4, 5, 6],
      'every version once, in order, though version 3 was refused once',
    );
    assert.deepEqual(refusedOnce, new Set([3]));
    assert.ok(requests <= 3, `6 changes and one retry in ${requests} requests (one per event: 7)`);
  });
});
