import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Joi from 'joi';
import { DAPR_STATUS, TOPICS } from '@todo/contracts';
import { DirectDelivery, daprSubscriber, on, type BatchItem } from '../src/index.js';
import { recordingLogger, serve } from './support.js';

const item = (id: string, user: string, n: number): BatchItem => ({
  event: {
    specversion: '1.0',
    id,
    source: 'test',
    type: 'com.test.counted',
    subject: 'tasks/1',
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    userid: user,
    correlationid: `corr-${id}`,
    data: { n },
  },
  partitionKey: user,
});

/**
 * The relay's batch (DirectDelivery.publishBatch) against a real subscriber router that
 * declared bulk delivery: one request per batch, per-user order kept through a retry.
 */
describe('bulk delivery from the direct transport to a bulk subscriber', () => {
  const handled: string[] = [];
  const refuseOnce = new Set<string>();
  /** Event id → a promise its handler waits for before it counts as handled. */
  const waitBefore = new Map<string, Promise<void>>();
  /** Event id → called once its handler has counted it. */
  const onHandled = new Map<string, () => void>();
  let requests = 0;
  let http: Awaited<ReturnType<typeof serve>>;
  let delivery: DirectDelivery;

  before(async () => {
    const { logger } = recordingLogger();
    const router = daprSubscriber({
      pubsubName: 'pubsub',
      logger,
      subscriptions: [
        {
          topic: TOPICS.taskUpdates,
          route: '/events/counted',
          bulk: { maxMessagesCount: 3, maxAwaitDurationMs: 10 },
          handlers: [
            on('com.test.counted', Joi.object({ n: Joi.number().required() }), async (event) => {
              if (refuseOnce.delete(event.id)) return DAPR_STATUS.retry;
              await waitBefore.get(event.id);
              handled.push(`${event.userid}:${event.id}`);
              onHandled.get(event.id)?.();
            }),
          ],
        },
      ],
    });
    http = await serve(router);
    http.server.on('request', (req) => {
      if (req.url === '/events/counted') requests += 1;
    });
    delivery = new DirectDelivery({
      subscribers: [http.url],
      pubsubName: 'pubsub',
      logger,
      timeoutMs: 2_000,
    });
  });
  after(() => http.close());
  beforeEach(() => {
    handled.splice(0);
    requests = 0;
  });

  it('declares bulk delivery and gets a batch in one request per maxMessagesCount events', async () => {
    const declared = (await (await fetch(`${http.url}/dapr/subscribe`)).json()) as unknown[];
    assert.deepEqual(declared, [
      {
        pubsubname: 'pubsub',
        topic: TOPICS.taskUpdates,
        route: '/events/counted',
        bulkSubscribe: { enabled: true, maxMessagesCount: 3, maxAwaitDurationMs: 10 },
      },
    ]);
    const batch = [1, 2, 3, 4, 5].map((n) => item(`a${n}`, n % 2 ? 'ann' : 'bob', n));
    const failures = await delivery.publishBatch(TOPICS.taskUpdates, batch);
    assert.deepEqual([...failures.keys()], []);
    assert.deepEqual(handled, ['ann:a1', 'bob:a2', 'ann:a3', 'bob:a4', 'ann:a5']);
    assert.equal(requests, 2, '5 events at 3 a request');
  });

  it("runs different users' entries side by side: a slow one holds only its own user's", async () => {
    // c1 (ann) finishes only once bob's c2 has been handled: handled one after another in
    // batch order, it would wait forever (and the 2 s bound turns that into a failure).
    let bobDone!: () => void;
    const bob = new Promise<void>((resolve) => (bobDone = resolve));
    waitBefore.set(
      'c1',
      Promise.race([
        bob,
        new Promise<void>((_, reject) =>
          setTimeout(() => reject(new Error('ann waited for bob')), 2_000).unref(),
        ),
      ]),
    );
    onHandled.set('c2', bobDone);
    try {
      const batch = [item('c1', 'ann', 1), item('c2', 'bob', 2), item('c3', 'ann', 3)];
      const failures = await delivery.publishBatch(TOPICS.taskUpdates, batch);
      assert.deepEqual([...failures.keys()], []);
      assert.deepEqual(handled, ['bob:c2', 'ann:c1', 'ann:c3'], "ann's own order kept");
    } finally {
      waitBefore.delete('c1');
      onHandled.delete('c2');
    }
  });

  it("holds a user's later events behind one that asked for a retry, and keeps their order on the retry", async () => {
    refuseOnce.add('b2');
    const batch = [
      item('b1', 'ann', 1),
      item('b2', 'ann', 2),
      item('b3', 'ann', 3), // same request: the subscriber holds it behind b2
      item('b4', 'bob', 4),
      item('b5', 'ann', 5), // next request: the transport holds it behind b2
    ];
    const failures = await delivery.publishBatch(TOPICS.taskUpdates, batch);
    assert.deepEqual([...failures.keys()].sort(), ['b2', 'b3', 'b5']);
    assert.deepEqual(handled, ['ann:b1', 'bob:b4'], 'nothing of ann ran after b2 was refused');
    handled.splice(0);
    // The relay retries from the first refused row of each user.
    const retry = await delivery.publishBatch(TOPICS.taskUpdates, [
      batch[1]!,
      batch[2]!,
      batch[4]!,
    ]);
    assert.equal(retry.size, 0);
    assert.deepEqual(handled, ['ann:b2', 'ann:b3', 'ann:b5']);
  });

  it('refuses the whole batch while the subscriber is unreachable', async () => {
    const down = new DirectDelivery({
      subscribers: ['http://127.0.0.1:9'],
      pubsubName: 'pubsub',
      logger: recordingLogger().logger,
      timeoutMs: 500,
    });
    const failures = await down.publishBatch(TOPICS.taskUpdates, [item('c1', 'ann', 1)]);
    assert.match(failures.get('c1') ?? '', /unreachable/);
  });
});
