import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  LIST_CHANGED_TYPE,
  TOPICS,
  type Task,
  type TaskChangedData,
  type TaskEventData,
} from '@todo/contracts';
import { client, startTestApi, type Published, type TestApi } from './helpers.js';

const dataOf = <T>(p: Published) => p.event.data as T;

describe('transactional outbox and relay', () => {
  let t: TestApi;
  let call: ReturnType<typeof client>;
  let userId: string;
  let email: string;

  before(async () => {
    t = await startTestApi();
    const user = await t.signUp();
    userId = user.userId;
    email = user.email;
    call = client(t.baseUrl, user.token);
  });
  after(() => t.stop());

  it('publishes each change on task-events and task-updates as CloudEvents partitioned by user', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const created = await call<Task>(
      'POST',
      '/api/v1/tasks',
      { title: 'Traced' },
      {
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      },
    );
    await t.publisher.waitFor(
      () =>
        t.publisher.published.filter((p) => p.event.subject === `tasks/${created.body.id}`)
          .length === 2,
    );
    const mine = t.publisher.published.filter(
      (p) => p.event.subject === `tasks/${created.body.id}`,
    );
    const taskEvent = mine.find((p) => p.topic === TOPICS.taskEvents)!;
    const update = mine.find((p) => p.topic === TOPICS.taskUpdates)!;
    assert.equal(taskEvent.event.type, 'com.todo.task.created');
    assert.equal(update.event.type, 'com.todo.task.changed');
    for (const p of [taskEvent, update]) {
      assert.equal(p.partitionKey, userId);
      assert.equal(p.event.specversion, '1.0');
      assert.equal(p.event.userid, userId);
      assert.equal(p.event.source, 'todo-api');
      // The caller's trace continues in the event, and its trace id is the correlation id.
      assert.equal(p.event.correlationid, traceId);
      assert.match(p.event.traceparent ?? '', new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    }
    assert.equal(created.headers.get('x-correlation-id'), traceId);
    assert.equal(dataOf<TaskEventData>(taskEvent).task.title, 'Traced');
    const changed = dataOf<TaskChangedData>(update);
    assert.equal(changed.action, 'created');
    assert.equal(changed.taskId, created.body.id);
    assert.match(changed.seq, /^\d+$/);
  });

  it('keeps every write succeeding while the transport is down, then delivers each event exactly once, in per-task order', async () => {
    // The previous test saw its events published, but the relay marks them sent only after
    // that: drained first, the pending count below is this test's changes alone.
    await t.api.relay.flush();
    const before = t.publisher.published.length;
    t.publisher.failing = true;
    const attemptsBefore = t.publisher.attempts;

    const tasks: Task[] = [];
    for (const title of ['one', 'two', 'three']) {
      const res = await call<Task>('POST', '/api/v1/tasks', { title });
      assert.equal(res.status, 201, 'write succeeds during the outage');
      tasks.push(res.body);
    }
    for (const task of tasks) {
      assert.equal(
        (await call('PATCH', `/api/v1/tasks/${task.id}`, { priority: 'high' })).status,
        200,
      );
      assert.equal((await call('PATCH', `/api/v1/tasks/${task.id}`, { tags: ['x'] })).status, 200);
    }
    assert.equal((await call('POST', `/api/v1/tasks/${tasks[0]!.id}/complete`)).status, 200);
    assert.equal((await call('DELETE', `/api/v1/tasks/${tasks[1]!.id}`)).status, 204);
    const changes = 3 + 6 + 2;

    // The relay keeps trying (with backoff) and nothing is published meanwhile.
    await t.publisher.waitFor(() => t.publisher.attempts >= attemptsBefore + 2);
    assert.equal(t.publisher.published.length, before);
    assert.equal(await t.api.relay.pendingCount(), changes * 2);

    t.publisher.failing = false;
    await t.publisher.waitFor(() => t.publisher.published.length >= before + changes * 2, 30_000);
    await t.api.relay.flush();

    const delivered = t.publisher.published.slice(before);
    assert.equal(delivered.length, changes * 2, 'no event lost, none duplicated');
    const ids = delivered.map((p) => p.event.id);
    assert.equal(new Set(ids).size, ids.length, 'each event id exactly once');

    const expected: Record<string, string[]> = {
      [tasks[0]!.id]: ['created', 'updated', 'updated', 'completed'],
      [tasks[1]!.id]: ['created', 'updated', 'updated', 'deleted'],
      [tasks[2]!.id]: ['created', 'updated', 'updated'],
    };
    for (const [taskId, actions] of Object.entries(expected)) {
      const ofTask = delivered.filter((p) => p.event.subject === `tasks/${taskId}`);
      const taskEvents = ofTask
        .filter((p) => p.topic === TOPICS.taskEvents)
        .map((p) => p.event.type.split('.').at(-1));
      const updates = ofTask
        .filter((p) => p.topic === TOPICS.taskUpdates)
        .map((p) => dataOf<TaskChangedData>(p));
      assert.deepEqual(taskEvents, actions, `task-events in order for ${taskId}`);
      assert.deepEqual(
        updates.map((u) => u.action),
        actions,
        `task-updates in order for ${taskId}`,
      );
      assert.deepEqual(
        updates.map((u) => u.task.version),
        actions.map((_, i) => i + 1),
        'versions ascend',
      );
    }
  });

  it("publishes different users' events side by side, each user's in order", async () => {
    const slow = await t.signUp();
    const asSlow = client(t.baseUrl, slow.token);
    // Both users' changes wait in the outbox, so the relay reads them in one batch.
    await t.api.relay.stop();
    const { body: held } = await asSlow<Task>('POST', '/api/v1/tasks', { title: 'Held' });
    await asSlow('PATCH', `/api/v1/tasks/${held.id}`, { title: 'Held, renamed' });
    const { body: other } = await call<Task>('POST', '/api/v1/tasks', { title: 'Not held' });
    const release = t.publisher.hold(slow.userId);
    await t.api.relay.start();
    // The other user's change goes out while the slow user's first event is still in flight.
    await t.publisher.waitFor(() =>
      t.publisher.published.some((p) => dataOf<TaskEventData>(p).task?.id === other.id),
    );
    // Its task events (its first task also made its Inbox: a list.changed event of its own).
    const ofSlow = () =>
      t.publisher.published.filter(
        (p) => p.partitionKey === slow.userId && p.event.type !== LIST_CHANGED_TYPE,
      );
    assert.equal(ofSlow().length, 0);
    release();
    await t.publisher.waitFor(() => ofSlow().length === 4);
    assert.deepEqual(
      ofSlow().map((p) => [p.topic, p.event.type.split('.').at(-1)]),
      [
        [TOPICS.taskEvents, 'created'],
        [TOPICS.taskUpdates, 'changed'],
        [TOPICS.taskEvents, 'updated'],
        [TOPICS.taskUpdates, 'changed'],
      ],
    );
  });

  it('delivers events committed while the relay was stopped once it starts again', async () => {
    await t.api.relay.stop();
    const before = t.publisher.published.length;
    const res = await call<Task>('POST', '/api/v1/tasks', { title: 'while stopped' });
    assert.equal(res.status, 201);
    assert.equal(await t.api.relay.pendingCount(), 2);
    await t.api.relay.start();
    await t.publisher.waitFor(() => t.publisher.published.length === before + 2);
    await t.api.relay.flush();
    assert.equal(await t.api.relay.pendingCount(), 0);
  });

  it('rolls back the events with the change when the change fails', async () => {
    const before = t.publisher.published.length;
    const pending = await t.api.relay.pendingCount();
    const res = await call('POST', '/api/v1/tasks', { title: 'x'.repeat(300) });
    assert.equal(res.status, 400);
    assert.equal(await t.api.relay.pendingCount(), pending);
    assert.equal(t.publisher.published.length, before);
  });

  it("task-events carry the owner's notification preferences at the time of the change", async () => {
    const { body: before } = await call<Task>('POST', '/api/v1/tasks', { title: 'Defaults' });
    await call('PATCH', '/api/v1/users/me/notifications', {
      quietHoursStart: '22:00',
      quietHoursEnd: '07:00',
      timezone: 'Europe/Berlin',
      emailEnabled: false,
    });
    const { body: after } = await call<Task>('POST', '/api/v1/tasks', { title: 'Saved ones' });
    await t.api.relay.flush();
    const preferencesOf = (taskId: string) =>
      dataOf<TaskEventData>(
        t.publisher.published.find(
          (p) => p.topic === TOPICS.taskEvents && p.event.subject === `tasks/${taskId}`,
        )!,
      ).preferences;
    assert.deepEqual(
      [preferencesOf(before.id).timezone, preferencesOf(before.id).quietHoursStart],
      ['UTC', null],
    );
    assert.deepEqual(preferencesOf(after.id), {
      emailEnabled: false,
      pushEnabled: true,
      quietHoursStart: '22:00',
      quietHoursEnd: '07:00',
      timezone: 'Europe/Berlin',
      timezoneChosen: true,
      defaultReminderOffset: 15,
      // Where reminder mail goes, from the account (migration 011), with or without saved ones.
      email,
      emailVerified: false,
    });
    assert.equal(preferencesOf(before.id).email, email);
  });
});
