import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  LIST_CHANGED_TYPE,
  type ErrorBody,
  type List,
  type ListChangedData,
  type ListPage,
  type Task,
  type TaskChangesPage,
  type TaskPage,
} from '@todo/contracts';
import type { TestUser } from '@todo/ops/testing';
import { advanceSeries, assertError, client, startTestApi, type TestApi } from './helpers.js';

describe('lists: an Inbox for everyone, lists of tasks, moving between them', () => {
  let t: TestApi;
  let ada: TestUser;
  let bob: TestUser;
  let call: ReturnType<typeof client>;
  let asBob: ReturnType<typeof client>;
  const lists = async () => (await call<ListPage>('GET', '/api/v1/lists')).body.items;
  const inboxOf = async (as = call) =>
    (await as<ListPage>('GET', '/api/v1/lists')).body.items.find((l) => l.isInbox)!;

  before(async () => {
    t = await startTestApi();
    ada = await t.signUp('Ada');
    bob = await t.signUp('Bob');
    call = client(t.baseUrl, ada.token);
    asBob = client(t.baseUrl, bob.token);
  });
  after(() => t.stop());

  it('gives a new account an Inbox, where a task without a list goes', async () => {
    const { body: task } = await call<Task>('POST', '/api/v1/tasks', { title: 'Buy milk' });
    const all = await lists();
    assert.deepEqual(
      all.map((l) => [l.name, l.isInbox, l.openTaskCount]),
      [['Inbox', true, 1]],
    );
    assert.equal(task.listId, all[0]!.id);
    // Asking again makes no second Inbox.
    assert.equal((await lists()).length, 1);
  });

  it('creates lists, puts tasks in them, counts open tasks and filters by list', async () => {
    const created = await call<List>('POST', '/api/v1/lists', {
      name: ' Groceries ',
      color: '#1E88E5',
    });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('location'), `/api/v1/lists/${created.body.id}`);
    const groceries = created.body;
    assert.deepEqual(
      [groceries.name, groceries.color, groceries.isInbox],
      ['Groceries', '#1e88e5', false],
    );
    const { body: eggs } = await call<Task>('POST', '/api/v1/tasks', {
      title: 'Eggs',
      listId: groceries.id,
    });
    const { body: flour } = await call<Task>('POST', '/api/v1/tasks', {
      title: 'Flour',
      listId: groceries.id,
    });
    await call('POST', `/api/v1/tasks/${flour.id}/complete`);
    assert.equal(eggs.listId, groceries.id);

    const summary = (await lists()).find((l) => l.id === groceries.id)!;
    assert.equal(summary.openTaskCount, 1, 'a completed task is not counted');
    const page = (await call<TaskPage>('GET', `/api/v1/tasks?listId=${groceries.id}`)).body;
    assert.deepEqual(page.items.map((i) => i.title).sort(), ['Eggs', 'Flour']);
    const inbox = await inboxOf();
    const inInbox = (await call<TaskPage>('GET', `/api/v1/tasks?listId=${inbox.id}`)).body;
    assert.ok(inInbox.items.every((i) => i.listId === inbox.id));
    assert.ok(!inInbox.items.some((i) => i.title === 'Eggs'));
  });

  it('moves a recurring task with a reminder between lists, keeping its series, reminder and history', async () => {
    const { body: work } = await call<List>('POST', '/api/v1/lists', { name: 'Work' });
    const { body: task } = await call<Task>('POST', '/api/v1/tasks', {
      title: 'Team sync',
      dueDate: '2030-01-07T09:00:00Z',
      reminderOffset: 30,
      recurrence: { frequency: 'weekly', byWeekday: [0] },
    });
    const moved = await call<Task>('PATCH', `/api/v1/tasks/${task.id}`, { listId: work.id });
    assert.equal(moved.status, 200);
    assert.equal(moved.body.listId, work.id);
    assert.deepEqual(
      [moved.body.seriesId, moved.body.reminderAt, moved.body.recurrence, moved.body.version],
      [task.seriesId, task.reminderAt, task.recurrence, task.version + 1],
    );
    const feed = (await call<TaskChangesPage>('GET', '/api/v1/tasks/changes?since=0')).body;
    const mine = feed.changes.filter((c) => c.taskId === task.id);
    assert.deepEqual(
      mine.map((c) => [c.action, c.changedFields]),
      [
        ['created', mine[0]!.changedFields],
        ['updated', ['listId']],
      ],
    );
    // The next instance of the series lands in the list the task is in now.
    await call('POST', `/api/v1/tasks/${task.id}/complete`);
    const next = await advanceSeries(t.baseUrl, call, task.id);
    assert.equal(next.task?.listId, work.id);
    assert.equal(next.task?.seriesId, task.seriesId);
  });

  it('renames, recolours, reorders and archives a list; the Inbox cannot be archived or deleted', async () => {
    const { body: list } = await call<List>('POST', '/api/v1/lists', { name: 'Someday' });
    const renamed = await call<List>(
      'PATCH',
      `/api/v1/lists/${list.id}`,
      { name: 'Maybe', color: null, position: 0 },
      { 'if-match': `"${list.version}"` },
    );
    assert.equal(renamed.status, 200);
    assert.deepEqual(
      [renamed.body.name, renamed.body.position, renamed.body.version],
      ['Maybe', 0, 2],
    );
    assertError(
      await call('PATCH', `/api/v1/lists/${list.id}`, { name: 'Stale' }, { 'if-match': '"1"' }),
      409,
      'CONFLICT',
    );
    const archived = await call<List>('PATCH', `/api/v1/lists/${list.id}`, { archived: true });
    assert.ok(archived.body.archivedAt);
    assert.ok((await lists()).find((l) => l.id === list.id)!.archivedAt, 'listed, as archived');
    const back = await call<List>('PATCH', `/api/v1/lists/${list.id}`, { archived: false });
    assert.equal(back.body.archivedAt, null);

    const inbox = await inboxOf();
    assertError(
      await call('PATCH', `/api/v1/lists/${inbox.id}`, { archived: true }),
      409,
      'CONFLICT',
    );
    assertError(await call('DELETE', `/api/v1/lists/${inbox.id}`), 409, 'CONFLICT');
    assert.equal((await inboxOf()).id, inbox.id);
  });

  it('deletes a list with the tasks in it; a restored task comes back in the Inbox', async () => {
    const { body: trip } = await call<List>('POST', '/api/v1/lists', { name: 'Trip' });
    const { body: passport } = await call<Task>('POST', '/api/v1/tasks', {
      title: 'Passport',
      listId: trip.id,
      dueDate: '2030-03-01T08:00:00Z',
      reminderOffset: 60,
    });
    const removed = await call('DELETE', `/api/v1/lists/${trip.id}`);
    assert.equal(removed.status, 204);
    assert.ok(!(await lists()).some((l) => l.id === trip.id));
    assertError(await call('GET', `/api/v1/lists/${trip.id}`), 404, 'NOT_FOUND');
    assertError(await call('GET', `/api/v1/tasks/${passport.id}`), 404, 'NOT_FOUND');
    // Its deletion went out like any other (so the workers drop its reminder).
    await t.publisher.waitFor(() =>
      t.publisher.published.some(
        (p) =>
          p.event.type === 'com.todo.task.deleted' && p.event.subject === `tasks/${passport.id}`,
      ),
    );
    const restored = await call<Task>('POST', `/api/v1/tasks/${passport.id}/restore`);
    assert.equal(restored.status, 200);
    assert.equal(restored.body.listId, (await inboxOf()).id);
  });

  it('carries list changes in the change feed and as list.changed events', async () => {
    const start = (await call<TaskPage>('GET', '/api/v1/tasks')).body.changesCursor;
    const { body: list } = await call<List>('POST', '/api/v1/lists', { name: 'Reading' });
    await call('PATCH', `/api/v1/lists/${list.id}`, { name: 'Books' });
    await call('DELETE', `/api/v1/lists/${list.id}`);
    const feed = (await call<TaskChangesPage>('GET', `/api/v1/tasks/changes?since=${start}`)).body;
    assert.deepEqual(
      feed.listChanges.map((c) => [c.action, c.listId, c.list.name]),
      [
        ['created', list.id, 'Reading'],
        ['updated', list.id, 'Books'],
        ['deleted', list.id, 'Books'],
      ],
    );
    assert.equal(feed.nextCursor, feed.listChanges.at(-1)!.seq);
    await t.publisher.waitFor(
      () =>
        t.publisher.published.filter(
          (p) => p.event.type === LIST_CHANGED_TYPE && p.event.subject === `lists/${list.id}`,
        ).length === 3,
    );
    const events = t.publisher.published.filter((p) => p.event.subject === `lists/${list.id}`);
    assert.ok(events.every((p) => p.topic === 'task-updates' && p.partitionKey === ada.userId));
    assert.deepEqual(
      events.map((p) => (p.event.data as ListChangedData).seq),
      feed.listChanges.map((c) => c.seq),
    );
  });

  it("answers another user's list with the same 404 as a list that does not exist", async () => {
    const { body: secret } = await call<List>('POST', '/api/v1/lists', { name: 'Surprise party' });
    const { body: mine } = await asBob<Task>('POST', '/api/v1/tasks', { title: 'Bob’s task' });
    const missing = '00000000-0000-4000-8000-000000000000';
    const same = async (request: (id: string) => ReturnType<typeof asBob>) => {
      const theirs = assertError(await request(secret.id), 404, 'NOT_FOUND');
      const none = assertError(await request(missing), 404, 'NOT_FOUND');
      assert.equal(theirs.message.replace(secret.id, 'ID'), none.message.replace(missing, 'ID'));
      assert.ok(!JSON.stringify(theirs).includes('Surprise'), 'no name leaks');
      return theirs as ErrorBody;
    };
    await same((id) => asBob('GET', `/api/v1/lists/${id}`));
    await same((id) => asBob('PATCH', `/api/v1/lists/${id}`, { name: 'Mine now' }));
    await same((id) => asBob('DELETE', `/api/v1/lists/${id}`));
    await same((id) => asBob('POST', '/api/v1/tasks', { title: 'Sneak in', listId: id }));
    await same((id) => asBob('PATCH', `/api/v1/tasks/${mine.id}`, { listId: id }));
    await same((id) =>
      asBob('PATCH', `/api/v1/tasks/${mine.id}`, { listId: id, status: 'completed' }),
    );
    await same((id) => asBob('GET', `/api/v1/tasks?listId=${id}`));
    const bobs = (await asBob<ListPage>('GET', '/api/v1/lists')).body.items;
    assert.ok(!bobs.some((l) => l.id === secret.id));
    const feed = (await asBob<TaskChangesPage>('GET', '/api/v1/tasks/changes?since=0')).body;
    assert.ok(feed.listChanges.every((c) => c.list.userId === bob.userId));
    assert.equal(
      (await call<List>('GET', `/api/v1/lists/${secret.id}`)).body.name,
      'Surprise party',
    );
  });

  it('names the bad field of a list body', async () => {
    assertError(await call('POST', '/api/v1/lists', {}), 400, 'VALIDATION_FAILED', ['name']);
    assertError(
      await call('POST', '/api/v1/lists', { name: 'x'.repeat(101), color: 'blue' }),
      400,
      'VALIDATION_FAILED',
      ['name', 'color'],
    );
    assertError(
      await call('PATCH', `/api/v1/lists/not-a-uuid`, { name: 'a' }),
      400,
      'VALIDATION_FAILED',
      ['id'],
    );
    const { body: list } = await call<List>('POST', '/api/v1/lists', { name: 'Ok' });
    assertError(await call('PATCH', `/api/v1/lists/${list.id}`, {}), 400, 'VALIDATION_FAILED');
    assertError(
      await call('POST', '/api/v1/tasks', { title: 'a', listId: 'inbox' }),
      400,
      'VALIDATION_FAILED',
      ['listId'],
    );
  });
});
