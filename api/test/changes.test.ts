import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Task, TaskChangesPage, TaskPage } from '@todo/contracts';
import { assertError, client, startTestApi, type TestApi } from './helpers.js';

describe('change feed: GET /tasks/changes?since=', () => {
  let t: TestApi;
  let call: ReturnType<typeof client>;

  before(async () => {
    t = await startTestApi();
    call = client(t.baseUrl, (await t.signUp()).token);
  });
  after(() => t.stop());

  it('returns every change after a cursor, in order, including deletions', async () => {
    const start = (await call<TaskPage>('GET', '/api/v1/tasks')).body.changesCursor;
    const { body: a } = await call<Task>('POST', '/api/v1/tasks', { title: 'A' });
    const { body: b } = await call<Task>('POST', '/api/v1/tasks', { title: 'B' });
    await call('PATCH', `/api/v1/tasks/${a.id}`, { title: 'A2' });
    await call('POST', `/api/v1/tasks/${b.id}/complete`);
    await call('DELETE', `/api/v1/tasks/${a.id}`);

    const feed = (await call<TaskChangesPage>('GET', `/api/v1/tasks/changes?since=${start}`)).body;
    assert.deepEqual(
      feed.changes.map((c) => [c.action, c.taskId]),
      [
        ['created', a.id],
        ['created', b.id],
        ['updated', a.id],
        ['completed', b.id],
        ['deleted', a.id],
      ],
    );
    assert.deepEqual(feed.changes[2]!.changedFields, ['title']);
    assert.equal(feed.changes[2]!.task.title, 'A2');
    assert.equal(feed.changes[4]!.task.status, 'deleted');
    assert.equal(feed.hasMore, false);
    const seqs = feed.changes.map((c) => Number(c.seq));
    assert.deepEqual(
      seqs,
      [...seqs].sort((x, y) => x - y),
    );
    assert.equal(feed.nextCursor, feed.changes.at(-1)!.seq);

    // Resuming from the cursor in the middle returns only what came after it.
    const tail = (
      await call<TaskChangesPage>('GET', `/api/v1/tasks/changes?since=${feed.changes[2]!.seq}`)
    ).body;
    assert.deepEqual(
      tail.changes.map((c) => c.action),
      ['completed', 'deleted'],
    );
    // Nothing new: the cursor stays where it was.
    const empty = (
      await call<TaskChangesPage>('GET', `/api/v1/tasks/changes?since=${feed.nextCursor}`)
    ).body;
    assert.deepEqual([empty.changes.length, empty.nextCursor], [0, feed.nextCursor]);
  });

  it('pages with limit and hasMore', async () => {
    const start = (await call<TaskPage>('GET', '/api/v1/tasks')).body.changesCursor;
    for (const title of ['p1', 'p2', 'p3']) await call('POST', '/api/v1/tasks', { title });
    const first = (
      await call<TaskChangesPage>('GET', `/api/v1/tasks/changes?since=${start}&limit=2`)
    ).body;
    assert.equal(first.changes.length, 2);
    assert.equal(first.hasMore, true);
    const rest = (
      await call<TaskChangesPage>('GET', `/api/v1/tasks/changes?since=${first.nextCursor}&limit=2`)
    ).body;
    assert.deepEqual(
      rest.changes.map((c) => c.task.title),
      ['p3'],
    );
    assert.equal(rest.hasMore, false);
  });

  it("never shows another user's changes", async () => {
    const other = client(t.baseUrl, (await t.signUp()).token);
    const feed = (await other<TaskChangesPage>('GET', '/api/v1/tasks/changes?since=0')).body;
    assert.equal(feed.changes.length, 0);
  });

  it('rejects a malformed cursor', async () => {
    assertError(
      await call('GET', '/api/v1/tasks/changes?since=yesterday'),
      400,
      'VALIDATION_FAILED',
      ['since'],
    );
  });
});
