import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import type { Task, TaskChangesPage, TaskPage } from '@todo/contracts';
import { assertError, client, startTestApi, type TestApi } from './helpers.js';

type Call = ReturnType<typeof client>;

describe('retention: the janitor prunes what nothing needs, and the feed says when a cursor expired', () => {
  let t: TestApi;
  const sql = <T extends object>(query: string, replacements: Record<string, unknown> = {}) =>
    t.api.sequelize.query<T>(query, { replacements, type: QueryTypes.SELECT });
  /** Makes every row of `userId` so far look `days` old (change feed and its outbox events). */
  const age = async (userId: string, days: number) => {
    await t.api.sequelize.query(
      `UPDATE task_changes SET created_at = now() - make_interval(days => :days) WHERE user_id = :userId`,
      { replacements: { userId, days } },
    );
    await t.api.sequelize.query(
      `UPDATE outbox SET created_at = now() - make_interval(days => :days),
         sent_at = CASE WHEN sent_at IS NULL THEN NULL ELSE now() - make_interval(days => :days) END
       WHERE payload->'data'->>'userId' = :userId OR payload->'data'->'task'->>'userId' = :userId`,
      { replacements: { userId, days } },
    );
  };
  const published = () => t.publisher.published.length;
  /** Resolves once the relay has marked every event sent (it does so right after publishing). */
  const relayCaughtUp = async () => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [row] = await sql<{ n: number }>(
        'SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL',
      );
      if (row?.n === 0) return;
      if (Date.now() > deadline) throw new Error(`${row?.n} outbox rows still unsent`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  before(async () => {
    t = await startTestApi();
  });
  after(() => t.stop());

  it('drops change-feed rows past 30 days; an older cursor gets 410, the list cursor still works', async () => {
    const alice = await t.signUp('alice');
    const bob = await t.signUp('bob');
    const asAlice: Call = client(t.baseUrl, alice.token);
    const asBob: Call = client(t.baseUrl, bob.token);

    const { body: old } = await asAlice<Task>('POST', '/api/v1/tasks', { title: 'Last month' });
    await asAlice('PATCH', `/api/v1/tasks/${old.id}`, { title: 'Last month, renamed' });
    const { body: bobs } = await asBob<Task>('POST', '/api/v1/tasks', { title: 'Bob' });
    // Three task changes (two events each) and each user's Inbox, made on first use (one each).
    await t.publisher.waitFor(() => published() >= 8);
    await age(alice.userId, 40);
    const { body: recent } = await asAlice<Task>('POST', '/api/v1/tasks', { title: 'Today' });
    const [lastOld] = await sql<{ seq: string }>(
      `SELECT max(seq)::text AS seq FROM task_changes WHERE user_id = :u AND task_id = :id`,
      { u: alice.userId, id: old.id },
    );

    const pruned = await t.api.janitor.runOnce();
    assert.equal(
      pruned.taskChanges,
      3,
      'the three 40-day-old changes of alice: her Inbox made, her task made and renamed',
    );

    const expired = await asAlice('GET', '/api/v1/tasks/changes?since=0');
    const body = assertError(expired, 410, 'CURSOR_EXPIRED');
    assert.match(body.message, /older than the change feed keeps \(30 days\).*reload/);

    // From the horizon on, nothing is missing: the change made today is there.
    const fromHorizon = await asAlice<TaskChangesPage>(
      'GET',
      `/api/v1/tasks/changes?since=${lastOld!.seq}`,
    );
    assert.equal(fromHorizon.status, 200);
    assert.deepEqual(
      fromHorizon.body.changes.map((c) => [c.action, c.taskId]),
      [['created', recent.id]],
    );
    // The tasks themselves are untouched; a fresh list gives a cursor that works.
    const list = (await asAlice<TaskPage>('GET', '/api/v1/tasks')).body;
    assert.deepEqual(list.items.map((i) => i.title).sort(), ['Last month, renamed', 'Today']);
    assert.equal(
      (await asAlice('GET', `/api/v1/tasks/changes?since=${list.changesCursor}`)).status,
      200,
    );
    // Bob's recent history is whole.
    const bobFeed = (await asBob<TaskChangesPage>('GET', '/api/v1/tasks/changes?since=0')).body;
    assert.deepEqual(
      bobFeed.changes.map((c) => c.taskId),
      [bobs.id],
    );
  });

  it('a user whose whole feed was pruned gets the horizon as changesCursor, not a cursor that 410s', async () => {
    const carol = await t.signUp('carol');
    const asCarol: Call = client(t.baseUrl, carol.token);
    await asCarol('POST', '/api/v1/tasks', { title: 'Ancient' });
    await age(carol.userId, 90);
    await t.api.janitor.runOnce();

    const { changesCursor } = (await asCarol<TaskPage>('GET', '/api/v1/tasks')).body;
    assert.notEqual(changesCursor, '0');
    const feed = await asCarol<TaskChangesPage>(
      'GET',
      `/api/v1/tasks/changes?since=${changesCursor}`,
    );
    assert.equal(feed.status, 200);
    assert.deepEqual(feed.body.changes, []);
  });

  it('prunes published outbox rows past a day but never an unsent one, however old', async () => {
    const dave = await t.signUp('dave');
    const asDave: Call = client(t.baseUrl, dave.token);
    const before = published();
    await asDave('POST', '/api/v1/tasks', { title: 'Sent long ago' });
    await asDave('POST', '/api/v1/tasks', { title: 'Also sent' });
    await t.publisher.waitFor(() => published() >= before + 4);
    await relayCaughtUp();
    t.publisher.failing = true;
    const { body: stuck } = await asDave<Task>('POST', '/api/v1/tasks', { title: 'Stuck' });
    await age(dave.userId, 3);
    const stuckRows = () =>
      sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL
           AND payload->'data'->'task'->>'id' = :id`,
        { id: stuck.id },
      );
    assert.equal((await stuckRows())[0]!.n, 2, 'task-events and task-updates, both unsent');

    const pruned = await t.api.janitor.runOnce();
    assert.ok(pruned.outbox >= 4, `pruned ${pruned.outbox} sent rows`);
    const [{ sentLeft } = { sentLeft: -1 }] = await sql<{ sentLeft: number }>(
      `SELECT count(*)::int AS "sentLeft" FROM outbox WHERE sent_at < now() - interval '1 day'`,
    );
    assert.equal(sentLeft, 0);
    assert.equal((await stuckRows())[0]!.n, 2, 'the unsent events survive the janitor');

    // The transport comes back: the old unsent events still go out.
    t.publisher.failing = false;
    await t.publisher.waitFor(
      () =>
        t.publisher.published.filter(
          (p) => (p.event.data as { task?: { id?: string } }).task?.id === stuck.id,
        ).length === 2,
    );
  });

  it('forgets consumed-event ids after 7 days, keeps recent ones', async () => {
    await t.api.sequelize.query(
      `INSERT INTO processed_events (event_id, consumer, processed_at) VALUES
         ('evt-old', 'test', now() - interval '8 days'), ('evt-new', 'test', now())`,
    );
    const pruned = await t.api.janitor.runOnce();
    assert.equal(pruned.processedEvents, 1);
    const left = await sql<{ event_id: string }>(
      `SELECT event_id FROM processed_events WHERE consumer = 'test'`,
    );
    assert.deepEqual(
      left.map((r) => r.event_id),
      ['evt-new'],
    );
  });

  it('one replica prunes at a time: while another holds the lock, a round deletes nothing', async () => {
    await t.api.sequelize.query(
      `INSERT INTO processed_events (event_id, consumer, processed_at)
       VALUES ('evt-locked', 'test', now() - interval '8 days')`,
    );
    const other = await t.api.sequelize.transaction();
    try {
      await t.api.sequelize.query('SELECT pg_advisory_xact_lock(727003)', { transaction: other });
      assert.deepEqual(await t.api.janitor.runOnce(), {
        outbox: 0,
        taskChanges: 0,
        processedEvents: 0,
        idempotencyKeys: 0,
        listActivity: 0,
      });
    } finally {
      await other.rollback();
    }
    assert.equal((await t.api.janitor.runOnce()).processedEvents, 1);
  });

  it('drops activity entries past 90 days and keeps the newer ones of the same list', async () => {
    const dora = await t.signUp('dora');
    const asDora: Call = client(t.baseUrl, dora.token);
    const { body: list } = await asDora<{ id: string }>('POST', '/api/v1/lists', { name: 'Old' });
    await asDora('POST', '/api/v1/tasks', { title: 'Long ago', listId: list.id });
    await t.api.sequelize.query(
      `UPDATE list_activity SET created_at = now() - interval '91 days' WHERE list_id = :id`,
      { replacements: { id: list.id } },
    );
    await asDora('POST', '/api/v1/tasks', { title: 'Lately', listId: list.id });
    assert.equal((await t.api.janitor.runOnce()).listActivity, 2);
    const page = await asDora<{ items: { action: string; taskTitle: string | null }[] }>(
      'GET',
      `/api/v1/lists/${list.id}/activity`,
    );
    assert.deepEqual(
      page.body.items.map((e) => [e.action, e.taskTitle]),
      [['task.created', 'Lately']],
    );
  });
});
