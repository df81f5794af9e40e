import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Router, json } from 'express';
import { DAPR_STATUS, TOPICS, type CloudEvent } from '@todo/contracts';
import { DirectDelivery, PublishError } from '../src/index.js';
import { recordingLogger, serve } from './support.js';

const event = (id: string): CloudEvent => ({
  specversion: '1.0',
  id,
  source: 'test',
  type: 'com.todo.test',
  subject: 'tasks/1',
  time: new Date().toISOString(),
  datacontenttype: 'application/json',
  userid: 'user-1',
  correlationid: 'corr-1',
  data: {},
});

/** A subscriber app declaring `task-events`, answering with whatever `answers` holds next. */
function subscriber(name: string, received: string[], answers: string[]) {
  const router = Router();
  router.get(
    '/dapr/subscribe',
    (_req, res) =>
      void res.json([{ pubsubname: 'pubsub', topic: TOPICS.taskEvents, route: '/events/tasks' }]),
  );
  router.post('/events/tasks', json({ type: 'application/cloudevents+json' }), (req, res) => {
    received.push(`${name}:${(req.body as CloudEvent).id}`);
    void res.json({ status: answers.shift() ?? DAPR_STATUS.success });
  });
  return router;
}

describe('direct delivery to subscriber apps', () => {
  const received: string[] = [];
  const answersA: string[] = [];
  const answersB: string[] = [];
  let a: Awaited<ReturnType<typeof serve>>;
  let b: Awaited<ReturnType<typeof serve>>;
  let delivery: DirectDelivery;

  before(async () => {
    a = await serve(subscriber('a', received, answersA));
    b = await serve(subscriber('b', received, answersB));
    delivery = new DirectDelivery({
      subscribers: [a.url, b.url],
      pubsubName: 'pubsub',
      logger: recordingLogger().logger,
      timeoutMs: 2_000,
    });
  });
  after(async () => {
    await a.close();
    await b.close();
  });
  beforeEach(() => received.splice(0));

  it('delivers one event to every subscriber of the topic', async () => {
    await delivery.publish(TOPICS.taskEvents, event('e1'));
    assert.deepEqual(received.sort(), ['a:e1', 'b:e1']);
  });

  it('rejects when one subscriber asks to retry, and the retry reaches only that one', async () => {
    answersB.push(DAPR_STATUS.retry);
    await assert.rejects(delivery.publish(TOPICS.taskEvents, event('e2')), PublishError);
    assert.deepEqual(received.sort(), ['a:e2', 'b:e2']);
    received.splice(0);
    await delivery.publish(TOPICS.taskEvents, event('e2'));
    assert.deepEqual(received, ['b:e2'], 'a already took e2 and must not get it twice');
  });

  it('takes an event for a topic nobody declares, as a broker would', async () => {
    await delivery.publish(TOPICS.notifications, event('e3'));
    assert.deepEqual(received, []);
  });

  it('rejects while a subscriber is unreachable', async () => {
    const down = new DirectDelivery({
      subscribers: [a.url, 'http://127.0.0.1:9'],
      pubsubName: 'pubsub',
      logger: recordingLogger().logger,
      timeoutMs: 2_000,
    });
    await assert.rejects(down.publish(TOPICS.taskEvents, event('e4')), /unreachable/);
    assert.deepEqual(received, [], 'nothing is delivered until every subscriber is known');
  });
});
