import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import {
  REMINDER_FIRED_TYPE,
  REMINDER_RECIPIENT_VIEW,
  type List,
  type ListMember,
  type ListMemberPage,
  type ListPage,
  type NotificationPage,
  type Task,
} from '@todo/contracts';
import { shareList, type TestUser } from '@todo/ops/testing';
import {
  advanceSeries,
  assertError,
  deliverEvent,
  signUpPeople,
  startTestApi,
  type Client,
  type TestApi,
} from './helpers.js';

describe('a member turns the reminders of a shared list on or off for themselves (ADR 376)', () => {
  let t: TestApi;
  let ada: TestUser;
  let bob: TestUser;
  let eve: TestUser;
  let asAda: Client;
  let asBob: Client;
  let asEve: Client;
  let list: List;

  const members = async (as = asAda) =>
    (await as<ListMemberPage>('GET', `/api/v1/lists/${list.id}/members`)).body.items;
  const patch = (as: Client, who: string, body: unknown) =>
    as<ListMember>('PATCH', `/api/v1/lists/${list.id}/members/${who}`, body);

  before(async () => {
    t = await startTestApi();
    [[ada, asAda], [bob, asBob], [eve, asEve]] = await signUpPeople(t, 'Ada', 'Bob', 'Eve');
    list = (await asAda<List>('POST', '/api/v1/lists', { name: 'Household' })).body;
    const joined = await shareList(t.baseUrl, ada, list.id, bob, 'editor');
    // Joining does not opt anyone in: the inviter cannot sign someone up for reminders.
    assert.equal(joined.member.reminders, false);
  });
  after(() => t.stop());

  it('gets the creator of a list (and of their Inbox) its reminders, as before sharing', async () => {
    assert.deepEqual(
      (await members()).map((m) => [m.userId, m.reminders]),
      [
        [ada.userId, true],
        [bob.userId, false],
      ],
    );
    const inbox = (await asEve<ListPage>('GET', '/api/v1/lists')).body.items.find(
      (l) => l.isInbox,
    )!;
    const own = (await asEve<ListMemberPage>('GET', `/api/v1/lists/${inbox.id}/members`)).body;
    assert.deepEqual(
      own.items.map((m) => [m.userId, m.reminders]),
      [[eve.userId, true]],
    );
  });

  it('lets a member opt in and out for themselves, by me or by their own id', async () => {
    const on = await patch(asBob, 'me', { reminders: true });
    assert.equal(on.status, 200, JSON.stringify(on.body));
    assert.deepEqual(
      [on.body.userId, on.body.role, on.body.reminders],
      [bob.userId, 'editor', true],
    );
    assert.equal((await members(asAda)).find((m) => m.userId === bob.userId)!.reminders, true);
    const off = await patch(asBob, bob.userId, { reminders: false });
    assert.equal(off.status, 200);
    assert.equal((await members(asBob)).find((m) => m.userId === bob.userId)!.reminders, false);
    // Role and reminders together, by an owner for themselves.
    const both = await patch(asAda, 'me', { role: 'owner', reminders: false });
    assert.deepEqual([both.status, both.body.reminders], [200, false]);
    await patch(asAda, 'me', { reminders: true });
  });

  it('refuses another member’s reminders (403, even to an owner) and a role change by a non-owner', async () => {
    const byOwner = assertError(
      await patch(asAda, bob.userId, { reminders: true }),
      403,
      'FORBIDDEN',
    );
    assert.match(byOwner.message, /only for yourself/);
    assertError(await patch(asBob, ada.userId, { reminders: false }), 403, 'FORBIDDEN');
    // Bob may set his own reminders but not his own role; nothing of the request applies.
    assertError(await patch(asBob, 'me', { role: 'owner', reminders: true }), 403, 'FORBIDDEN');
    assert.deepEqual(
      (await members()).map((m) => [m.role, m.reminders]),
      [
        ['owner', true],
        ['editor', false],
      ],
    );
  });

  it('answers bad input with a 400 naming the field, and a stranger with a 404', async () => {
    for (const [body, field] of [
      [{ reminders: 'yes' }, 'reminders'],
      [{ reminders: 1 }, 'reminders'],
      [{ reminders: null }, 'reminders'],
      [{ role: 'boss' }, 'role'],
      [{}, 'body'],
      [{ reminders: true, colour: 'red' }, 'colour'],
    ] as const) {
      const response = await patch(asBob, 'me', body);
      const error = assertError(response, 400, 'VALIDATION_FAILED');
      assert.ok(
        JSON.stringify(error).includes(field),
        `${JSON.stringify(body)} -> ${JSON.stringify(error)} names ${field}`,
      );
    }
    const stranger = assertError(await patch(asEve, 'me', { reminders: true }), 404, 'NOT_FOUND');
    assert.ok(!JSON.stringify(stranger).includes('Household'));
  });

  /** Who the task's reminder goes to now, as the workers read it when it fires. */
  const recipientsOf = async (taskId: string) =>
    (
      await t.api.sequelize.query<{ user_id: string }>(
        `SELECT user_id FROM ${REMINDER_RECIPIENT_VIEW} WHERE task_id = $1 ORDER BY user_id`,
        { bind: [taskId], type: QueryTypes.SELECT },
      )
    ).map((row) => row.user_id);

  it('keeps the list, the assignee and the reminder of a shared recurring task in its next instance, whoever completes it', async () => {
    const { body: task } = await asAda<Task>('POST', '/api/v1/tasks', {
      title: 'Water the plants',
      listId: list.id,
      assigneeId: bob.userId,
      dueDate: '2030-01-07T09:00:00Z',
      reminderOffset: 30,
      reminderChannels: ['email', 'push'],
      recurrence: { frequency: 'weekly', interval: 1 },
    });
    assert.deepEqual(await recipientsOf(task.id), [bob.userId]);
    // Bob (the assignee, an editor) completes it; the workers' occurrence.due follows.
    assert.equal((await asBob('POST', `/api/v1/tasks/${task.id}/complete`)).status, 200);
    const { created, task: next } = await advanceSeries(t.baseUrl, asAda, task.id);
    assert.equal(created, true);
    assert.deepEqual(
      [next!.listId, next!.assigneeId, next!.reminderEnabled, next!.reminderOffset],
      [list.id, bob.userId, true, 30],
    );
    assert.deepEqual(next!.reminderChannels, ['email', 'push']);
    assert.deepEqual(await recipientsOf(next!.id), [bob.userId]);
    // Unassigned, it goes to whoever opted in: Ada (the creator), not Bob (opted out).
    await asAda('PATCH', `/api/v1/tasks/${next!.id}`, { assigneeId: null });
    assert.deepEqual(await recipientsOf(next!.id), [ada.userId]);
  });

  it('stores a fired reminder only for someone it goes to at that moment', async () => {
    const { body: task } = await asAda<Task>('POST', '/api/v1/tasks', {
      title: 'Call the plumber',
      listId: list.id,
      dueDate: new Date(Date.now() + 3_600_000).toISOString(),
      reminderOffset: 15,
    });
    const fire = (user: TestUser, id: string) =>
      deliverEvent(t.baseUrl, '/events/reminders', {
        specversion: '1.0',
        id: `reminder-fired-${id}`,
        source: 'todo-workers',
        type: REMINDER_FIRED_TYPE,
        subject: `notifications/batch-${id}`,
        time: new Date().toISOString(),
        datacontenttype: 'application/json',
        userid: user.userId,
        correlationid: id,
        data: {
          userId: user.userId,
          title: 'Reminder: Call the plumber',
          body: 'Due in 15 minutes',
          channels: [],
          reminders: [{ taskId: task.id, scheduledFor: task.reminderAt }],
          idempotencyKey: `batch-${id}`,
        },
      });
    const rowsOf = async (as: Client) =>
      (await as<NotificationPage>('GET', '/api/v1/notifications')).body.items.filter((n) =>
        n.taskIds.includes(task.id),
      );
    // Bob opted out (the workers read him out of it; an event for him is stale) and Eve is
    // no member: neither gets a row. Ada gets hers once, however often it comes.
    assert.equal(await fire(bob, 'to-bob'), 'SUCCESS');
    assert.equal(await fire(eve, 'to-eve'), 'SUCCESS');
    assert.equal(await fire(ada, 'to-ada'), 'SUCCESS');
    assert.equal(await fire(ada, 'to-ada-again'), 'SUCCESS');
    assert.deepEqual(
      [(await rowsOf(asAda)).length, (await rowsOf(asBob)).length, (await rowsOf(asEve)).length],
      [1, 0, 0],
    );
    // Bob opts in: his own reminder of the same task is stored too, once.
    await patch(asBob, 'me', { reminders: true });
    assert.equal(await fire(bob, 'to-bob-opted-in'), 'SUCCESS');
    assert.equal(await fire(bob, 'to-bob-opted-in-again'), 'SUCCESS');
    assert.equal((await rowsOf(asBob)).length, 1);
    await patch(asBob, 'me', { reminders: false });
  });
});
