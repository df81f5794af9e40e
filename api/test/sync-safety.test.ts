import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  TASK_EVENT_TYPES,
  type ChatResponse,
  type CompleteTaskResult,
  type ReopenTaskResult,
  type Task,
  type TaskChangesPage,
  type TaskPage,
} from '@todo/contracts';
import {
  advanceSeries,
  assertError,
  client,
  deliverEvent,
  occurrenceDue,
  startTestApi,
  type TestApi,
} from './helpers.js';

/**
 * What the web app's offline outbox and its undo rely on (ADR 230, 231): a mutation retried
 * with its Idempotency-Key happens once and answers the same; reopening a completion takes its
 * untouched next instance back in the same transaction; a deleted task can be restored.
 */
describe('sync safety: idempotent retries, undo of a completion, restore', () => {
  let t: TestApi;
  let call: ReturnType<typeof client>;

  before(async () => {
    t = await startTestApi();
    call = client(t.baseUrl, (await t.signUp('Ada')).token);
  });
  after(() => t.stop());

  const key = () => ({ 'idempotency-key': randomUUID() });
  const all = async (as = call) =>
    (await as<TaskPage>('GET', '/api/v1/tasks?status=all&limit=200')).body.items;
  const changesSince = async (since: string) =>
    (await call<TaskChangesPage>('GET', `/api/v1/tasks/changes?since=${since}`)).body.changes;
  const cursor = async () =>
    (await call<TaskPage>('GET', '/api/v1/tasks?limit=1')).body.changesCursor;

  it('creates once for one key: the retry answers the same task, status and body', async () => {
    const headers = key();
    const body = { id: randomUUID(), title: 'Buy stamps', tags: ['post'] };
    const first = await call<Task>('POST', '/api/v1/tasks', body, headers);
    const retry = await call<Task>('POST', '/api/v1/tasks', body, headers);
    assert.equal(first.status, 201);
    assert.equal(retry.status, 201);
    assert.deepEqual(retry.body, first.body);
    assert.equal(first.body.id, body.id);
    assert.equal(retry.headers.get('etag'), '"1"');
    assert.equal((await all()).filter((task) => task.title === 'Buy stamps').length, 1);
  });

  it('a retry with the same key racing the first still makes one task', async () => {
    const headers = key();
    const body = { title: 'Racing retry' };
    const answers = await Promise.all(
      [1, 2, 3].map(() => call<Task>('POST', '/api/v1/tasks', body, headers)),
    );
    assert.deepEqual(
      answers.map((a) => a.status),
      [201, 201, 201],
    );
    assert.equal(new Set(answers.map((a) => a.body.id)).size, 1);
    assert.equal((await all()).filter((task) => task.title === 'Racing retry').length, 1);
  });

  it('refuses the same key with a different body (422 naming the header), creating nothing', async () => {
    const headers = key();
    await call('POST', '/api/v1/tasks', { title: 'Original' }, headers);
    const reused = await call('POST', '/api/v1/tasks', { title: 'Something else' }, headers);
    const error = assertError(reused, 422, 'UNPROCESSABLE', ['Idempotency-Key']);
    assert.match(error.message, /already used for a different request/);
    assert.equal((await all()).filter((task) => task.title === 'Something else').length, 0);
  });

  it('a key is the user’s own: another user’s same key is a new request', async () => {
    const headers = key();
    const other = client(t.baseUrl, (await t.signUp('Bob')).token);
    const mine = await call<Task>('POST', '/api/v1/tasks', { title: 'Shared key' }, headers);
    const theirs = await other<Task>('POST', '/api/v1/tasks', { title: 'Shared key' }, headers);
    assert.equal(theirs.status, 201);
    assert.notEqual(theirs.body.id, mine.body.id);
    assert.equal(theirs.body.userId !== mine.body.userId, true);
  });

  it('a client-chosen id already taken is a 409 without the same key', async () => {
    const id = randomUUID();
    await call('POST', '/api/v1/tasks', { id, title: 'Mine' }, key());
    const again = await call('POST', '/api/v1/tasks', { id, title: 'Mine' }, key());
    assertError(again, 409, 'CONFLICT');
    assertError(
      await call('POST', '/api/v1/tasks', { id: 'not-a-uuid', title: 'x' }),
      400,
      'VALIDATION_FAILED',
      ['id'],
    );
  });

  it('refuses a malformed Idempotency-Key with a 400 naming it', async () => {
    const bad = await call('POST', '/api/v1/tasks', { title: 'x' }, { 'idempotency-key': 'short' });
    assertError(bad, 400, 'VALIDATION_FAILED', ['Idempotency-Key']);
  });

  it('a conditional change retried after it succeeded answers the same, not 409', async () => {
    const { body: task } = await call<Task>('POST', '/api/v1/tasks', { title: 'Edit me' });
    const headers = { ...key(), 'if-match': `"${task.version}"` };
    const first = await call<Task>(
      'PATCH',
      `/api/v1/tasks/${task.id}`,
      { title: 'Edited' },
      headers,
    );
    const retry = await call<Task>(
      'PATCH',
      `/api/v1/tasks/${task.id}`,
      { title: 'Edited' },
      headers,
    );
    assert.equal(first.status, 200);
    assert.deepEqual(retry.body, first.body);
    assert.equal((await call<Task>('GET', `/api/v1/tasks/${task.id}`)).body.version, 2);
    // Without the key the same stale write is the usual conflict.
    const stale = await call(
      'PATCH',
      `/api/v1/tasks/${task.id}`,
      { title: 'Edited' },
      {
        'if-match': `"${task.version}"`,
      },
    );
    assertError(stale, 409, 'CONFLICT');
  });

  it('a retried delete answers 204 again; a retried complete emits one event', async () => {
    const { body: task } = await call<Task>('POST', '/api/v1/tasks', { title: 'Retry me' });
    const completeKey = key();
    const done = await call<CompleteTaskResult>(
      'POST',
      `/api/v1/tasks/${task.id}/complete`,
      undefined,
      completeKey,
    );
    const doneAgain = await call<CompleteTaskResult>(
      'POST',
      `/api/v1/tasks/${task.id}/complete`,
      undefined,
      completeKey,
    );
    assert.deepEqual(doneAgain.body, done.body);
    const deleteKey = key();
    assert.equal(
      (await call('DELETE', `/api/v1/tasks/${task.id}`, undefined, deleteKey)).status,
      204,
    );
    assert.equal(
      (await call('DELETE', `/api/v1/tasks/${task.id}`, undefined, deleteKey)).status,
      204,
    );
    await t.publisher.waitFor(() =>
      t.publisher.published.some(
        (p) => p.event.subject === `tasks/${task.id}` && p.event.type === TASK_EVENT_TYPES.deleted,
      ),
    );
    const types = t.publisher.published
      .filter((p) => p.event.subject === `tasks/${task.id}` && p.topic === 'task-events')
      .map((p) => p.event.type);
    assert.deepEqual(types, [
      TASK_EVENT_TYPES.created,
      TASK_EVENT_TYPES.completed,
      TASK_EVENT_TYPES.deleted,
    ]);
  });

  describe('undo of a repeating completion', () => {
    const daily = async (title: string) =>
      (
        await call<Task>('POST', '/api/v1/tasks', {
          title,
          dueDate: new Date(Date.now() + 3_600_000).toISOString(),
          reminderOffset: 10,
          recurrence: { frequency: 'daily' },
        })
      ).body;
    const live = async (seriesOf: string) =>
      (await call<{ items: Task[] }>('GET', `/api/v1/tasks/${seriesOf}/instances`)).body.items;

    it('removes the untouched next instance in the same operation, with its events', async () => {
      const task = await daily('Stretch');
      await call('POST', `/api/v1/tasks/${task.id}/complete`);
      const { task: next } = await advanceSeries(t.baseUrl, call, task.id);
      assert.ok(next);
      const since = await cursor();

      const undone = await call<ReopenTaskResult>('POST', `/api/v1/tasks/${task.id}/reopen`);
      assert.equal(undone.status, 200);
      assert.equal(undone.body.task.status, 'pending');
      assert.equal(undone.body.removedInstanceId, next.id);
      assertError(await call('GET', `/api/v1/tasks/${next.id}`), 404, 'NOT_FOUND');
      assert.deepEqual(
        (await live(task.id)).map((i) => [i.id, i.status]),
        [[task.id, 'pending']],
      );
      // One operation: the change feed shows the removal and the reopen back to back.
      const changes = await changesSince(since);
      assert.deepEqual(
        changes.map((c) => [c.taskId, c.action]),
        [
          [next.id, 'deleted'],
          [task.id, 'updated'],
        ],
      );
      assert.equal(BigInt(changes[1]!.seq) - BigInt(changes[0]!.seq), 1n);
      // The workers see the instance deleted (its reminder goes) and the task open again.
      await t.publisher.waitFor(() =>
        t.publisher.published.some(
          (p) =>
            p.event.subject === `tasks/${next.id}` && p.event.type === TASK_EVENT_TYPES.deleted,
        ),
      );
      const deleted = t.publisher.published.find(
        (p) => p.event.subject === `tasks/${next.id}` && p.event.type === TASK_EVENT_TYPES.deleted,
      )!;
      assert.equal((deleted.event.data as { task: Task }).task.reminderAt, null);

      // Completing again makes a new next instance: the removed one gave its place back.
      await call('POST', `/api/v1/tasks/${task.id}/complete`);
      const again = await advanceSeries(t.baseUrl, call, task.id);
      assert.equal(again.created, true);
      assert.notEqual(again.task!.id, next.id);
      assert.equal(again.task!.occurrenceIndex, 2);
    });

    it('keeps a next instance that was changed since, and PATCH status pending does the same', async () => {
      const task = await daily('Read');
      await call('POST', `/api/v1/tasks/${task.id}/complete`);
      const { task: next } = await advanceSeries(t.baseUrl, call, task.id);
      await call('PATCH', `/api/v1/tasks/${next!.id}`, { priority: 'high' });
      const undone = await call<ReopenTaskResult>('POST', `/api/v1/tasks/${task.id}/reopen`);
      assert.equal(undone.body.removedInstanceId, null);
      assert.equal((await live(task.id)).length, 2);

      const other = await daily('Walk');
      await call('POST', `/api/v1/tasks/${other.id}/complete`);
      const made = await advanceSeries(t.baseUrl, call, other.id);
      await call('PATCH', `/api/v1/tasks/${other.id}`, { status: 'pending' });
      assertError(await call('GET', `/api/v1/tasks/${made.task!.id}`), 404, 'NOT_FOUND');
    });

    it('an undo before the next instance exists means it is never made', async () => {
      const task = await daily('Floss');
      await call('POST', `/api/v1/tasks/${task.id}/complete`);
      const completed = (await call<Task>('GET', `/api/v1/tasks/${task.id}`)).body;
      const undone = await call<ReopenTaskResult>('POST', `/api/v1/tasks/${task.id}/reopen`);
      assert.equal(undone.body.removedInstanceId, null);
      // The worker's occurrence.due for that completion arrives late.
      assert.equal(
        await deliverEvent(t.baseUrl, '/events/occurrences', occurrenceDue(completed)),
        'SUCCESS',
      );
      assert.equal((await live(task.id)).length, 1);
    });

    it('reopening an open task changes nothing', async () => {
      const task = await daily('Idle');
      const same = await call<ReopenTaskResult>('POST', `/api/v1/tasks/${task.id}/reopen`);
      assert.equal(same.body.task.version, task.version);
      assert.equal(same.body.removedInstanceId, null);
    });
  });

  describe('restore', () => {
    it('brings a deleted task back as it was, newer, in the feed and the events', async () => {
      const { body: task } = await call<Task>('POST', '/api/v1/tasks', {
        title: 'Pay rent',
        dueDate: new Date(Date.now() + 86_400_000).toISOString(),
        reminderOffset: 60,
      });
      await call('DELETE', `/api/v1/tasks/${task.id}`);
      const since = await cursor();
      const restored = await call<Task>('POST', `/api/v1/tasks/${task.id}/restore`);
      assert.equal(restored.status, 200);
      assert.equal(restored.body.status, 'pending');
      assert.equal(restored.body.deletedAt, null);
      assert.equal(restored.body.version, task.version + 2);
      assert.equal(restored.body.reminderAt, task.reminderAt);
      assert.equal(restored.headers.get('etag'), `"${task.version + 2}"`);
      assert.deepEqual((await call<Task>('GET', `/api/v1/tasks/${task.id}`)).body, restored.body);
      const changes = await changesSince(since);
      assert.deepEqual(
        changes.map((c) => [c.taskId, c.action, c.task?.status]),
        [[task.id, 'updated', 'pending']],
      );
      await t.publisher.waitFor(() =>
        t.publisher.published.some(
          (p) =>
            p.event.subject === `tasks/${task.id}` &&
            p.event.type === TASK_EVENT_TYPES.updated &&
            (p.event.data as { task: Task }).task.version === task.version + 2,
        ),
      );
      // Restoring a live task changes nothing.
      const again = await call<Task>('POST', `/api/v1/tasks/${task.id}/restore`);
      assert.equal(again.body.version, restored.body.version);
    });

    it('a restored instance of a series repeats again; a done task comes back done', async () => {
      const { body: task } = await call<Task>('POST', '/api/v1/tasks', {
        title: 'Water plants',
        dueDate: new Date(Date.now() + 3_600_000).toISOString(),
        recurrence: { frequency: 'weekly', byWeekday: [0, 3] },
      });
      await call('DELETE', `/api/v1/tasks/${task.id}`);
      const restored = (await call<Task>('POST', `/api/v1/tasks/${task.id}/restore`)).body;
      assert.deepEqual(restored.recurrence, task.recurrence);

      const { body: done } = await call<Task>('POST', '/api/v1/tasks', { title: 'Done deal' });
      await call('POST', `/api/v1/tasks/${done.id}/complete`);
      await call('DELETE', `/api/v1/tasks/${done.id}`);
      const back = (await call<Task>('POST', `/api/v1/tasks/${done.id}/restore`)).body;
      assert.equal(back.status, 'completed');
    });

    it('is a 404 for an unknown task or another user’s', async () => {
      assertError(await call('POST', `/api/v1/tasks/${randomUUID()}/restore`), 404, 'NOT_FOUND');
      const other = client(t.baseUrl, (await t.signUp('Eve')).token);
      const { body: theirs } = await other<Task>('POST', '/api/v1/tasks', { title: 'Eve’s' });
      await other('DELETE', `/api/v1/tasks/${theirs.id}`);
      assertError(await call('POST', `/api/v1/tasks/${theirs.id}/restore`), 404, 'NOT_FOUND');
    });

    it('the chat’s “undo” after a delete brings the same task back', async () => {
      let conversationId: string | undefined;
      const say = async (message: string) => {
        const res = await call<ChatResponse>('POST', '/api/v1/chat', {
          message,
          ...(conversationId ? { conversationId } : {}),
        });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        conversationId = res.body.conversationId;
        return res.body;
      };
      const added = await say('add call the plumber tomorrow at 9am');
      const id = added.actions[0]!.taskId!;
      const deleted = await say('delete it');
      assert.equal(deleted.actions[0]?.type, 'task.deleted', deleted.reply);
      const undone = await say('undo');
      assert.match(undone.reply, /Undone: “call the plumber” is back/i);
      const back = await call<Task>('GET', `/api/v1/tasks/${id}`);
      assert.equal(back.status, 200);
      assert.equal(back.body.status, 'pending');
    });
  });
});
