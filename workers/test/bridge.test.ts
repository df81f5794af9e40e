import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { TASK_EVENT_TYPES, type DaprSubscription } from '@todo/contracts';
import { freePort, testInfra } from '@todo/ops/testing';
import { loadConfig } from '../src/config.js';
import { createWorkers, type Workers } from '../src/server.js';
import {
  BOARD_PASSWORD,
  BOARD_USER,
  cloudEvent,
  deliver,
  inMs,
  taskSnapshot,
  waitFor,
} from './helpers.js';

const TASKS = '/events/task-events';

/** The bridge alone (no workers consume), so enqueued jobs can be inspected where they land. */
describe('bridge: Dapr subscriber contract into BullMQ', () => {
  let workers: Workers;
  let base: string;

  before(async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      REDIS_URL: testInfra().redisUrl,
      API_INTERNAL_URL: 'http://127.0.0.1:9',
      QUEUE_PREFIX: `t-bridge-${randomBytes(3).toString('hex')}`,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      BULL_BOARD_USER: BOARD_USER,
      BULL_BOARD_PASSWORD: BOARD_PASSWORD,
    });
    workers = createWorkers(config, { workerQueues: [] });
    base = `http://127.0.0.1:${await workers.start(0, '127.0.0.1')}`;
  });

  after(async () => {
    await workers.stop();
  });

  it('declares task-events, and nothing else, on the configured pubsub, in bulk', async () => {
    const list = (await (await fetch(`${base}/dapr/subscribe`)).json()) as DaprSubscription[];
    assert.deepEqual(
      list.map((s) => [s.pubsubname, s.topic, s.route, s.bulkSubscribe]),
      [
        [
          'pubsub',
          'task-events',
          TASKS,
          { enabled: true, maxMessagesCount: 100, maxAwaitDurationMs: 10 },
        ],
      ],
    );
  });

  it('bridges a bulk delivery entry by entry: jobs for the good ones, DROP for the bad one', async () => {
    const reminded = taskSnapshot({
      reminderEnabled: true,
      reminderOffset: 5,
      reminderAt: inMs(3_600_000),
      version: 1,
    });
    const completed = taskSnapshot({
      status: 'completed',
      seriesId: crypto.randomUUID(),
      occurrenceIndex: 1,
      recurrence: { frequency: 'daily', interval: 1, anchor: 'due' },
      version: 2,
    });
    const events = [
      cloudEvent(TASK_EVENT_TYPES.created, { task: reminded, changedFields: [] }),
      cloudEvent(TASK_EVENT_TYPES.updated, { task: { id: reminded.id }, changedFields: [] }),
      cloudEvent(TASK_EVENT_TYPES.completed, { task: completed, changedFields: ['status'] }),
    ];
    const response = await fetch(`${base}${TASKS}`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents-batch+json' },
      body: JSON.stringify({
        id: crypto.randomUUID(),
        type: 'com.dapr.event.sent.bulk',
        pubsubname: 'pubsub',
        topic: 'task-events',
        metadata: {},
        entries: events.map((event) => ({
          entryId: event.id,
          event,
          contentType: 'application/cloudevents+json',
        })),
      }),
    });
    assert.equal(response.status, 200);
    const { statuses } = (await response.json()) as {
      statuses: { entryId: string; status: string }[];
    };
    assert.deepEqual(statuses, [
      { entryId: events[0]!.id, status: 'SUCCESS' },
      { entryId: events[1]!.id, status: 'DROP' },
      { entryId: events[2]!.id, status: 'SUCCESS' },
    ]);
    const reminders = (await workers.queues.reminders.getDelayed()).filter(
      (job) => job.data.taskId === reminded.id,
    );
    assert.deepEqual(
      reminders.map((job) => job.data.scheduledFor),
      [reminded.reminderAt],
    );
    const next = await workers.queues.recurrence.getJob(
      `next-instance-${completed.id}-v${completed.version}`,
    );
    assert.equal(next?.data.taskId, completed.id);
    await next?.remove(); // the queue-depth test below counts this queue's waiting jobs
  });

  it('drops malformed JSON, unknown types and bad data', async () => {
    assert.equal(await deliver(base, TASKS, '{not json'), 'DROP');
    assert.equal(await deliver(base, TASKS, { hello: 'world' }), 'DROP');
    const task = taskSnapshot();
    assert.equal(
      await deliver(base, TASKS, cloudEvent('com.todo.task.exploded', { task, changedFields: [] })),
      'DROP',
    );
    assert.equal(
      await deliver(
        base,
        TASKS,
        cloudEvent(TASK_EVENT_TYPES.updated, { task: { id: task.id }, changedFields: [] }),
      ),
      'DROP',
    );
  });

  it('turns a completed recurring task into one recurrence job however often it is delivered', async () => {
    const task = taskSnapshot({
      status: 'completed',
      seriesId: crypto.randomUUID(),
      occurrenceIndex: 1,
      recurrence: { frequency: 'daily', interval: 1, anchor: 'due' },
      version: 2,
    });
    const event = cloudEvent(TASK_EVENT_TYPES.completed, { task, changedFields: ['status'] });
    const answers = await Promise.all([1, 2, 3].map(() => deliver(base, TASKS, event)));
    assert.deepEqual(answers, ['SUCCESS', 'SUCCESS', 'SUCCESS']);
    const jobs = await workers.queues.recurrence.getJobs([
      'waiting',
      'active',
      'delayed',
      'completed',
    ]);
    const mine = jobs.filter((job) => job.data.taskId === task.id);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]?.id, `next-instance-${task.id}-v${task.version}`);
    assert.equal(mine[0]?.opts.attempts, 8);
    // A completed task that is not recurring enqueues nothing.
    const plain = taskSnapshot({ status: 'completed', version: 2 });
    assert.equal(
      await deliver(
        base,
        TASKS,
        cloudEvent(TASK_EVENT_TYPES.completed, { task: plain, changedFields: [] }),
      ),
      'SUCCESS',
    );
    const after = await workers.queues.recurrence.getJobs(['waiting']);
    assert.ok(!after.some((job) => job.data.taskId === plain.id));
  });

  it('keeps one delayed reminder job per task: adds, moves, ignores older versions, removes', async () => {
    const delayedOf = async (taskId: string) =>
      (await workers.queues.reminders.getDelayed()).filter((job) => job.data.taskId === taskId);
    const first = inMs(3_600_000);
    const task = taskSnapshot({
      reminderEnabled: true,
      reminderOffset: 5,
      reminderAt: first,
      version: 1,
    });
    assert.equal(
      await deliver(base, TASKS, cloudEvent(TASK_EVENT_TYPES.created, { task, changedFields: [] })),
      'SUCCESS',
    );
    let jobs = await delayedOf(task.id);
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]?.data.scheduledFor, first);

    const moved = inMs(7_200_000);
    const v2 = { ...task, reminderAt: moved, version: 2 };
    assert.equal(
      await deliver(
        base,
        TASKS,
        cloudEvent(TASK_EVENT_TYPES.updated, { task: v2, changedFields: ['dueDate'] }),
      ),
      'SUCCESS',
    );
    jobs = await delayedOf(task.id);
    assert.deepEqual(
      jobs.map((j) => j.data.scheduledFor),
      [moved],
    );

    // The version-1 event delivered late changes nothing.
    assert.equal(
      await deliver(base, TASKS, cloudEvent(TASK_EVENT_TYPES.created, { task, changedFields: [] })),
      'SUCCESS',
    );
    jobs = await delayedOf(task.id);
    assert.deepEqual(
      jobs.map((j) => j.data.scheduledFor),
      [moved],
    );

    const done = { ...v2, status: 'completed' as const, reminderAt: null, version: 3 };
    assert.equal(
      await deliver(
        base,
        TASKS,
        cloudEvent(TASK_EVENT_TYPES.completed, { task: done, changedFields: ['status'] }),
      ),
      'SUCCESS',
    );
    assert.equal((await delayedOf(task.id)).length, 0);
  });

  it('schedules nothing for a reminder time that had passed when the change was made', async () => {
    const task = taskSnapshot({
      reminderEnabled: true,
      reminderOffset: 5,
      reminderAt: inMs(-60_000),
    });
    assert.equal(
      await deliver(base, TASKS, cloudEvent(TASK_EVENT_TYPES.created, { task, changedFields: [] })),
      'SUCCESS',
    );
    const jobs = await workers.queues.reminders.getJobs(['delayed', 'waiting']);
    assert.ok(!jobs.some((job) => job.data.taskId === task.id));
  });

  it('asks for a retry while Redis is unreachable, and is not ready', async () => {
    const deadPort = await freePort();
    const down = createWorkers(
      loadConfig({
        NODE_ENV: 'test',
        REDIS_URL: `redis://127.0.0.1:${deadPort}`,
        QUEUE_PREFIX: 't-down',
        LOG_LEVEL: 'silent',
        BRIDGE_TIMEOUT_MS: '500',
      }),
      { workerQueues: [] },
    );
    const server: Server = down.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const task = taskSnapshot({
        reminderEnabled: true,
        reminderOffset: 1,
        reminderAt: inMs(600_000),
      });
      assert.equal(
        await deliver(
          url,
          TASKS,
          cloudEvent(TASK_EVENT_TYPES.created, { task, changedFields: [] }),
        ),
        'RETRY',
      );
      const ready = await fetch(`${url}/health/ready`);
      assert.equal(ready.status, 503);
    } finally {
      server.close();
      await down.stop();
    }
  });

  it('serves health, readiness without the api, and queue depths as metrics', async () => {
    const ready = await fetch(`${base}/health/ready`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready', checks: { redis: 'up' } });
    const metrics = await waitFor('metrics', async () => {
      const text = await (await fetch(`${base}/metrics`)).text();
      return text.includes('bullmq_queue_jobs{') ? text : null;
    });
    // The one next-instance job the completed recurring task left (no worker runs here).
    assert.match(
      metrics,
      /bullmq_queue_jobs\{queue="recurrence",state="waiting",service="workers"\} 1/,
    );
  });

  it('puts Bull Board behind basic auth and lists every queue', async () => {
    const anonymous = await fetch(`${base}/admin/queues`);
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Basic realm=/);
    const wrong = await fetch(`${base}/admin/queues`, {
      headers: { authorization: `Basic ${Buffer.from(`${BOARD_USER}:nope`).toString('base64')}` },
    });
    assert.equal(wrong.status, 401);
    const auth = {
      authorization: `Basic ${Buffer.from(`${BOARD_USER}:${BOARD_PASSWORD}`).toString('base64')}`,
    };
    const page = await fetch(`${base}/admin/queues`, { headers: auth });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html/i);
    const api = await fetch(`${base}/admin/queues/api/queues`, { headers: auth });
    assert.equal(api.status, 200);
    const { queues } = (await api.json()) as { queues: { name: string }[] };
    assert.deepEqual(queues.map((q) => q.name).sort(), [
      'notifications',
      'recurrence',
      'reminders',
    ]);
  });
});
