import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import Joi from 'joi';
import { DAPR_APP_TOKEN_HEADER, DAPR_STATUS, type DaprStatus } from '@todo/contracts';
import {
  DropEvent,
  currentContext,
  daprSubscriber,
  on,
  type RequestContext,
} from '../src/index.js';
import { recordingLogger, serve } from './support.js';

interface Greeting {
  name: string;
  times: number;
}
const greetingSchema = Joi.object<Greeting>({
  name: Joi.string().required(),
  times: Joi.number().integer().min(1).required(),
});

const TOKEN = 'app-api-token-for-platform-tests';

function cloudEvent(type: string, data: unknown, extra: Record<string, unknown> = {}) {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: 'test',
    type,
    subject: 'tasks/7f1c0f0e-0000-4000-8000-000000000001',
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    userid: 'alice',
    correlationid: 'corr-1',
    data,
    ...extra,
  };
}

describe('Dapr subscriber router', () => {
  const { logger, lines } = recordingLogger();
  const handled: { data: Greeting; context: RequestContext | undefined }[] = [];
  const answers: string[] = [];
  let next: 'ok' | 'throw' | 'drop' | 'retry' | 'hang' = 'ok';
  let http: Awaited<ReturnType<typeof serve>>;

  before(async () => {
    http = await serve(
      daprSubscriber({
        pubsubName: 'pubsub',
        logger,
        appToken: TOKEN,
        timeoutMs: 200,
        retryHttpStatus: 503,
        onAnswer: (topic, status) => answers.push(`${topic}:${status}`),
        subscriptions: [
          {
            topic: 'greetings',
            route: '/events/greetings',
            handlers: [
              on('com.test.greeted', greetingSchema, async (event): Promise<DaprStatus | void> => {
                if (next === 'throw') throw new Error('redis is down');
                if (next === 'drop') throw new DropEvent('owner mismatch');
                if (next === 'retry') return DAPR_STATUS.retry;
                if (next === 'hang') return new Promise<never>(() => {});
                handled.push({ data: event.data, context: currentContext() });
              }),
            ],
          },
          { topic: 'farewells', route: '/events/farewells', handlers: [], metadata: { a: 'b' } },
        ],
      }),
    );
  });
  after(() => http.close());

  const deliver = async (body: unknown, route = '/events/greetings', token: string = TOKEN) => {
    const response = await fetch(`${http.url}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json', [DAPR_APP_TOKEN_HEADER]: token },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { http: response.status, ...((await response.json()) as { status?: string }) };
  };

  it('declares its topics and routes on GET /dapr/subscribe, behind the app token', async () => {
    const refused = await fetch(`${http.url}/dapr/subscribe`);
    assert.equal(refused.status, 401);
    const response = await fetch(`${http.url}/dapr/subscribe`, {
      headers: { [DAPR_APP_TOKEN_HEADER]: TOKEN },
    });
    assert.deepEqual(await response.json(), [
      { pubsubname: 'pubsub', topic: 'greetings', route: '/events/greetings' },
      {
        pubsubname: 'pubsub',
        topic: 'farewells',
        route: '/events/farewells',
        metadata: { a: 'b' },
      },
    ]);
  });

  it('hands validated data to the handler inside the event’s correlation and trace context', async () => {
    next = 'ok';
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const event = cloudEvent(
      'com.test.greeted',
      { name: 'Ada', times: '3', addedLater: true },
      { traceparent },
    );
    assert.deepEqual(await deliver(event), { http: 200, status: 'SUCCESS' });
    const last = handled.at(-1);
    assert.deepEqual(last?.data, { name: 'Ada', times: 3 }, 'converted, unknown fields stripped');
    assert.deepEqual(last?.context, {
      correlationId: 'corr-1',
      userId: 'alice',
      eventId: event.id,
      traceparent,
      taskId: '7f1c0f0e-0000-4000-8000-000000000001',
    });
  });

  it('drops what no retry can fix: bad envelope, unknown type, invalid data, unreadable body', async () => {
    next = 'ok';
    const before = handled.length;
    assert.equal((await deliver({ hello: 'world' })).status, 'DROP');
    assert.equal(
      (await deliver(cloudEvent('com.test.exploded', { name: 'x', times: 1 }))).status,
      'DROP',
    );
    assert.equal(
      (await deliver(cloudEvent('com.test.greeted', { name: 'x', times: 0 }))).status,
      'DROP',
    );
    assert.equal((await deliver('{not json')).status, 'DROP');
    assert.equal(handled.length, before, 'the handler never ran');
    assert.ok(
      lines.some((l) => l.msg === 'dropping event with invalid data' && l.topic === 'greetings'),
    );
  });

  it('asks for a retry when the handler fails, returns RETRY or outlives the timeout; drops on DropEvent', async () => {
    const greeting = () => cloudEvent('com.test.greeted', { name: 'Bo', times: 1 });
    for (const outcome of ['throw', 'retry', 'hang'] as const) {
      next = outcome;
      assert.deepEqual(await deliver(greeting()), { http: 503, status: 'RETRY' }, outcome);
    }
    next = 'drop';
    assert.deepEqual(await deliver(greeting()), { http: 200, status: 'DROP' });
  });

  it('refuses deliveries without the token, and reports every answer by topic', async () => {
    next = 'ok';
    answers.length = 0;
    const refused = await fetch(`${http.url}/events/greetings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(cloudEvent('com.test.greeted', { name: 'Cy', times: 1 })),
    });
    assert.equal(refused.status, 401);
    await deliver(cloudEvent('com.test.greeted', { name: 'Cy', times: 1 }));
    await deliver(cloudEvent('com.test.greeted', { name: 'Cy', times: 1 }), '/events/farewells');
    assert.deepEqual(answers, ['greetings:SUCCESS', 'farewells:DROP']);
  });
});
