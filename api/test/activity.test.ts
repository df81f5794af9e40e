import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import {
  listActivityPageSchema,
  type List,
  type ListActivity,
  type ListActivityPage,
  type Task,
  type TaskChangesPage,
} from '@todo/contracts';
import { shareList, type TestUser } from '@todo/ops/testing';
import {
  advanceSeries,
  assertError,
  signUpPeople,
  startTestApi,
  type Client,
  type TestApi,
} from './helpers.js';

describe('who changed a task, and each list’s activity log', () => {
  let t: TestApi;
  let ada: TestUser;
  let bob: TestUser;
  let asAda: Client;
  let asBob: Client;
  let asEve: Client;
  let list: List;

  /** Ada invites `user` to the list as an editor; they accept. */
  const join = (user: TestUser) => shareList(t.baseUrl, ada, list.id, user, 'editor');
  /** The whole log, newest first, read in pages of `limit` (and checked against the contract). */
  const readAll = async (as = asAda, limit = 100, listId = list.id) => {
    const entries: ListActivity[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await as<ListActivityPage>('GET', `/api/v1/lists/${listId}/activity?${query}`);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      const { error } = listActivityPageSchema.validate(page.body);
      assert.equal(error, undefined, error?.message);
      assert.ok(page.body.items.length <= limit);
      entries.push(...page.body.items);
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    return { entries, pages };
  };
  const entriesOf = async (taskId: string) =>
    (await readAll()).entries.filter((e) => e.taskId === taskId);

  before(async () => {
    t = await startTestApi();
    [[ada, asAda], [bob, asBob], [, asEve]] = await signUpPeople(t, 'Ada', 'Bob', 'Eve');
    list = (await asAda<List>('POST', '/api/v1/lists', { name: 'Groceries' })).body;
    await join(bob);
  });
  after(() => t.stop());

  it('an edit by Bob on a shared list shows changedBy = Bob to Ada, over REST and the change feed', async () => {
    const created = await asAda<Task>('POST', '/api/v1/tasks', {
      title: 'Buy oat milk',
      listId: list.id,
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.changedBy, ada.userId);
    const cursor = (await asAda<{ changesCursor: string }>('GET', '/api/v1/tasks?limit=1')).body
      .changesCursor;

    const edited = await asBob<Task>('PATCH', `/api/v1/tasks/${created.body.id}`, {
      title: 'Buy oat milk (2 l)',
    });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.equal(edited.body.changedBy, bob.userId);

    const read = await asAda<Task>('GET', `/api/v1/tasks/${created.body.id}`);
    assert.equal(read.body.changedBy, bob.userId);
    const listed = await asAda<{ items: Task[] }>('GET', `/api/v1/tasks?listId=${list.id}`);
    assert.equal(listed.body.items.find((x) => x.id === created.body.id)?.changedBy, bob.userId);
    const feed = await asAda<TaskChangesPage>('GET', `/api/v1/tasks/changes?since=${cursor}`);
    const change = feed.body.changes.find((c) => c.taskId === created.body.id);
    assert.equal(change?.task.changedBy, bob.userId, JSON.stringify(feed.body));
    // The events every socket node and worker gets carry it too (the relay sends them).
    const byBob = () =>
      t.publisher.published.some((p) => {
        const task = (p.event.data as { task?: Task }).task;
        return task?.id === created.body.id && task.changedBy === bob.userId;
      });
    await t.publisher.waitFor(byBob);

    // Ada completes it: now she is the one who changed it.
    const done = await asAda<{ task: Task }>('POST', `/api/v1/tasks/${created.body.id}/complete`);
    assert.equal(done.body.task.changedBy, ada.userId);
  });

  it('logs each task change once, with who did it and which fields, newest first', async () => {
    const task = (await asBob<Task>('POST', '/api/v1/tasks', { title: 'Bread', listId: list.id }))
      .body;
    await asAda('PATCH', `/api/v1/tasks/${task.id}`, { priority: 'high', tags: ['bakery'] });
    await asBob('PATCH', `/api/v1/tasks/${task.id}`, { assigneeId: ada.userId });
    await asBob('POST', `/api/v1/tasks/${task.id}/complete`);
    await asAda('PATCH', `/api/v1/tasks/${task.id}`, { status: 'pending' });
    await asAda('DELETE', `/api/v1/tasks/${task.id}`);
    await asBob('POST', `/api/v1/tasks/${task.id}/restore`);

    const log = await entriesOf(task.id);
    assert.deepEqual(
      log.map((e) => [e.action, e.actor?.name]),
      [
        ['task.restored', 'Bob'],
        ['task.deleted', 'Ada'],
        ['task.reopened', 'Ada'],
        ['task.completed', 'Bob'],
        ['task.assigned', 'Bob'],
        ['task.updated', 'Ada'],
        ['task.created', 'Bob'],
      ],
    );
    assert.deepEqual(log.find((e) => e.action === 'task.updated')?.details.fields?.sort(), [
      'priority',
      'tags',
    ]);
    const assigned = log.find((e) => e.action === 'task.assigned')!;
    assert.deepEqual(assigned.member, { id: ada.userId, name: 'Ada' });
    assert.equal(assigned.taskTitle, 'Bread');
    const times = log.map((e) => Date.parse(e.createdAt));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
      'newest first',
    );
  });

  it('a move is logged in both lists; the list and its members’ changes are logged', async () => {
    const other = (await asAda<List>('POST', '/api/v1/lists', { name: 'Pantry' })).body;
    const task = (await asAda<Task>('POST', '/api/v1/tasks', { title: 'Rice', listId: list.id }))
      .body;
    const moved = await asAda<Task>('PATCH', `/api/v1/tasks/${task.id}`, { listId: other.id });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const out = (await entriesOf(task.id))[0]!;
    assert.equal(out.action, 'task.moved_out');
    assert.equal(out.details.toListId, other.id);
    const into = (await readAll(asAda, 100, other.id)).entries.find((e) => e.taskId === task.id)!;
    assert.equal(into.action, 'task.moved_in');
    assert.equal(into.details.fromListId, list.id);

    assert.equal(
      (await asAda('PATCH', `/api/v1/lists/${list.id}`, { name: 'Groceries & co' })).status,
      200,
    );
    const { entries } = await readAll();
    const renamed = entries.find((e) => e.action === 'list.renamed')!;
    assert.deepEqual(renamed.details, { name: 'Groceries & co', previousName: 'Groceries' });
    const joined = entries.find((e) => e.action === 'member.joined')!;
    assert.deepEqual(
      [joined.actor?.name, joined.member?.name, joined.details.role],
      ['Bob', 'Bob', 'editor'],
    );
    const invited = entries.find((e) => e.action === 'invite.sent')!;
    assert.equal(invited.actor?.name, 'Ada');
    assert.equal(invited.details.email, bob.email);
    assert.equal(entries.at(-1)?.action, 'list.created');
  });

  it('pages with an opaque cursor: every entry once, in order; bad paging is a 400 naming the field', async () => {
    const all = (await readAll(asAda, 100)).entries;
    assert.ok(all.length >= 15, `${all.length} entries`);
    const paged = await readAll(asAda, 4);
    assert.equal(paged.pages, Math.ceil(all.length / 4));
    assert.deepEqual(
      paged.entries.map((e) => e.id),
      all.map((e) => e.id),
    );
    for (const bad of [
      'cursor=nope',
      'cursor=YTo5OTk5OTk5OTk5OTk5OTk5OTk5OTk5',
      'limit=0',
      'limit=101',
    ]) {
      const answer = await asAda('GET', `/api/v1/lists/${list.id}/activity?${bad}`);
      assertError(answer, 400, 'VALIDATION_FAILED', [bad.split('=')[0]!]);
    }
  });

  it('a retry under the same Idempotency-Key adds no second entry', async () => {
    const key = { 'Idempotency-Key': 'activity-retry-1' };
    const body = { title: 'Eggs', listId: list.id };
    const first = await asBob<Task>('POST', '/api/v1/tasks', body, key);
    const again = await asBob<Task>('POST', '/api/v1/tasks', body, key);
    assert.equal(first.status, 201);
    assert.equal(again.body.id, first.body.id);
    const edit = { 'Idempotency-Key': 'activity-retry-2' };
    await asBob('PATCH', `/api/v1/tasks/${first.body.id}`, { title: 'Eggs (12)' }, edit);
    await asBob('PATCH', `/api/v1/tasks/${first.body.id}`, { title: 'Eggs (12)' }, edit);
    assert.deepEqual(
      (await entriesOf(first.body.id)).map((e) => e.action),
      ['task.updated', 'task.created'],
    );
  });

  it('only members read it: a non-member and a removed member get a 404 that names nothing', async () => {
    const stranger = await asEve('GET', `/api/v1/lists/${list.id}/activity`);
    assertError(stranger, 404, 'NOT_FOUND');
    const text = JSON.stringify(stranger.body);
    for (const secret of ['Groceries', 'Bread', 'Ada', 'Bob']) assert.ok(!text.includes(secret));

    const removed = await asAda('DELETE', `/api/v1/lists/${list.id}/members/${bob.userId}`);
    assert.equal(removed.status, 204);
    assertError(await asBob('GET', `/api/v1/lists/${list.id}/activity`), 404, 'NOT_FOUND');
    const entry = (await readAll()).entries[0]!;
    assert.equal(entry.action, 'member.removed');
    assert.deepEqual([entry.actor?.name, entry.member?.name], ['Ada', 'Bob']);
    await join(bob);
  });

  it('the next instance of a shared series is the completer’s; a deleted account leaves its entries with no actor', async () => {
    const [[cy, asCy]] = await signUpPeople(t, 'Cy');
    await join(cy);
    const series = await asAda<Task>('POST', '/api/v1/tasks', {
      title: 'Water the plants',
      listId: list.id,
      dueDate: new Date(Date.now() + 86_400_000).toISOString(),
      recurrence: { frequency: 'daily', interval: 1 },
    });
    assert.equal(series.status, 201, JSON.stringify(series.body));
    await asCy('POST', `/api/v1/tasks/${series.body.id}/complete`);
    const next = await advanceSeries(t.baseUrl, asAda, series.body.id);
    assert.equal(next.task?.changedBy, cy.userId);
    const created = (await entriesOf(next.task!.id))[0]!;
    assert.deepEqual([created.action, created.actor?.name], ['task.created', 'Cy']);

    const gone = await fetch(`${t.baseUrl}/api/auth/delete-user`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${cy.sessionToken}` },
      body: JSON.stringify({ password: 'correct-horse-battery' }),
    });
    assert.equal(gone.status, 200, await gone.text());

    const after = (await readAll()).entries;
    const byCy = after.filter((e) => e.taskId === series.body.id && e.action === 'task.completed');
    assert.equal(byCy.length, 1, 'the entry stays');
    assert.equal(byCy[0]!.actor, null);
    const joined = after.filter((e) => e.action === 'member.joined' && e.member === null);
    assert.ok(joined.length >= 1, 'Cy’s joining stays, naming nobody');
    const task = await asAda<Task>('GET', `/api/v1/tasks/${series.body.id}`);
    assert.equal(task.body.changedBy, null);
    const [{ n }] = (await t.api.sequelize.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM list_activity WHERE actor_id = $1 OR member_id = $1`,
      { bind: [cy.userId], type: QueryTypes.SELECT },
    )) as [{ n: number }];
    assert.equal(n, 0);
  });

  it('the chat answers “what changed on groceries” and “who completed …” from the log', async () => {
    await asAda('PATCH', `/api/v1/lists/${list.id}`, { name: 'Groceries' });
    const soap = (
      await asAda<Task>('POST', '/api/v1/tasks', { title: 'Dish soap', listId: list.id })
    ).body;
    assert.equal((await asBob('POST', `/api/v1/tasks/${soap.id}/complete`)).status, 200);
    const chat = async (message: string) =>
      (await asAda<{ reply: string }>('POST', '/api/v1/chat', { message })).body.reply;

    const who = await chat('who completed the dish soap?');
    assert.match(who, /^Bob completed “Dish soap”/);
    const changed = await chat('what changed on groceries');
    const lines = changed.split('\n');
    assert.equal(lines[0], 'Lately in “Groceries”:');
    assert.match(lines[1]!, /^• Bob completed “Dish soap”/);
    assert.match(lines[2]!, /^• you added “Dish soap”/);
    // Eve is in no list of that name: the chat knows nothing of Ada's.
    const eve = await asEve<{ reply: string }>('POST', '/api/v1/chat', {
      message: 'what changed on groceries',
    });
    assert.doesNotMatch(eve.body.reply, /Dish soap|Bob/);
  });
});
