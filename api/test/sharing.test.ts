import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import type {
  AcceptInviteResult,
  CreatedListInvite,
  ErrorBody,
  List,
  ListMemberPage,
  ListPage,
  Task,
  TaskChangesPage,
  TaskPage,
} from '@todo/contracts';
import type { TestUser } from '@todo/ops/testing';
import {
  advanceSeries,
  assertError,
  client,
  signUpPeople,
  startTestApi,
  type Client,
  type TestApi,
} from './helpers.js';

describe('sharing a list: members, roles, invites, one policy everywhere', () => {
  let t: TestApi;
  let ada: TestUser;
  let bob: TestUser;
  let cy: TestUser;
  let eve: TestUser;
  let asAda: Client;
  let asBob: Client;
  let asCy: Client;
  let asEve: Client;
  let list: List;

  const invite = async (email: string, role: string, as = asAda, listId = list.id) =>
    as<CreatedListInvite>('POST', `/api/v1/lists/${listId}/invites`, { email, role });
  const tokenOf = (created: CreatedListInvite) => created.acceptUrl.split('/invites/')[1]!;
  const accept = (as: Client, token: string) =>
    as<AcceptInviteResult>('POST', '/api/v1/invites/accept', { token });
  /** Every error body here must not carry the list's name or a task title. */
  const learnsNothing = (response: { body: unknown }, ...secrets: string[]) => {
    const text = JSON.stringify(response.body as ErrorBody);
    for (const secret of secrets) assert.ok(!text.includes(secret), `${text} leaks ${secret}`);
  };

  before(async () => {
    t = await startTestApi();
    [[ada, asAda], [bob, asBob], [cy, asCy], [eve, asEve]] = await signUpPeople(
      t,
      'Ada',
      'Bob',
      'Cy',
      'Eve',
    );
    list = (await asAda<List>('POST', '/api/v1/lists', { name: 'Secret groceries' })).body;
  });
  after(() => t.stop());

  it('invites by email with a role; the link is single use and bound to the address', async () => {
    const created = await invite(bob.email, 'editor');
    assert.equal(created.status, 201);
    assert.equal(created.body.role, 'editor');
    const token = tokenOf(created.body);
    // Only a hash of the token is stored.
    const stored = await t.api.sequelize.query<{ token_hash: string }>(
      'SELECT token_hash FROM list_invites WHERE id = $1',
      { bind: [created.body.id], type: QueryTypes.SELECT },
    );
    assert.notEqual(stored[0]!.token_hash, token);
    // Someone else, signed in, cannot use Bob's link.
    const stolen = await accept(asEve, token);
    assertError(stolen, 403, 'FORBIDDEN');
    learnsNothing(stolen, 'Secret groceries');
    const joined = await accept(asBob, token);
    assert.equal(joined.status, 200, JSON.stringify(joined.body));
    assert.equal(joined.body.member.role, 'editor');
    assert.equal(joined.body.list.id, list.id);
    // Once.
    assertError(await accept(asBob, token), 404, 'NOT_FOUND');
    const lists = (await asBob<ListPage>('GET', '/api/v1/lists')).body.items;
    const shared = lists.find((l) => l.id === list.id)!;
    assert.deepEqual([shared.role, shared.memberCount], ['editor', 2]);
    const members = (await asBob<ListMemberPage>('GET', `/api/v1/lists/${list.id}/members`)).body;
    assert.deepEqual(
      members.items.map((m) => [m.userId, m.role]),
      [
        [ada.userId, 'owner'],
        [bob.userId, 'editor'],
      ],
    );
  });

  it('refuses an invite to an unconfirmed address holder and never shares the Inbox', async () => {
    const inbox = (await asAda<ListPage>('GET', '/api/v1/lists')).body.items.find(
      (l) => l.isInbox,
    )!;
    assertError(await invite(cy.email, 'viewer', asAda, inbox.id), 409, 'CONFLICT');
    // An account whose address is not confirmed cannot prove it is the one invited.
    const dan = await t.signUp('Dan');
    const { body: danInvite } = await invite(dan.email, 'viewer');
    assertError(await accept(client(t.baseUrl, dan.token), tokenOf(danInvite)), 403, 'FORBIDDEN');
    assertError(
      await asAda('POST', `/api/v1/lists/${list.id}/invites`, { email: 'nope', role: 'x' }),
      400,
      'VALIDATION_FAILED',
      ['email', 'role'],
    );
  });

  it('lets an editor write and a viewer read but not write (403); a stranger gets 404', async () => {
    const { body: cyInvite } = await invite(cy.email, 'viewer');
    assert.equal((await accept(asCy, tokenOf(cyInvite))).status, 200);

    const made = await asBob<Task>('POST', '/api/v1/tasks', {
      title: 'Oat milk',
      listId: list.id,
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    // The task belongs to the list's owner of record's account; the owner sees it.
    assert.equal(made.body.userId, ada.userId);
    const task = made.body;
    assert.equal((await asAda<Task>('GET', `/api/v1/tasks/${task.id}`)).status, 200);
    assert.equal((await asCy<Task>('GET', `/api/v1/tasks/${task.id}`)).status, 200);
    const cyPage = await asCy<TaskPage>('GET', `/api/v1/tasks?listId=${list.id}`);
    assert.deepEqual(
      cyPage.body.items.map((x) => x.title),
      ['Oat milk'],
    );

    const viewerWrite = await asCy('PATCH', `/api/v1/tasks/${task.id}`, { title: 'Hacked' });
    assertError(viewerWrite, 403, 'FORBIDDEN');
    assertError(await asCy('DELETE', `/api/v1/tasks/${task.id}`), 403, 'FORBIDDEN');
    assertError(
      await asCy('POST', '/api/v1/tasks', { title: 'x', listId: list.id }),
      403,
      'FORBIDDEN',
    );
    assertError(await asCy('PATCH', `/api/v1/lists/${list.id}`, { name: 'x' }), 403, 'FORBIDDEN');
    assertError(await invite(eve.email, 'owner', asBob), 403, 'FORBIDDEN');

    // Eve, not a member, learns nothing on any route.
    for (const [method, path, body] of [
      ['GET', `/api/v1/tasks/${task.id}`, undefined],
      ['PATCH', `/api/v1/tasks/${task.id}`, { title: 'x' }],
      ['DELETE', `/api/v1/tasks/${task.id}`, undefined],
      ['POST', `/api/v1/tasks/${task.id}/complete`, undefined],
      ['GET', `/api/v1/tasks/${task.id}/reminder`, undefined],
      ['GET', `/api/v1/lists/${list.id}`, undefined],
      ['GET', `/api/v1/lists/${list.id}/members`, undefined],
      ['GET', `/api/v1/lists/${list.id}/invites`, undefined],
      ['GET', `/api/v1/tasks?listId=${list.id}`, undefined],
      ['POST', `/api/v1/lists/${list.id}/invites`, { email: eve.email, role: 'owner' }],
      ['DELETE', `/api/v1/lists/${list.id}/members/${bob.userId}`, undefined],
    ] as const) {
      const response = await asEve(method, path, body);
      assertError(response, 404, 'NOT_FOUND');
      learnsNothing(response, 'Secret groceries', 'Oat milk');
    }
    const evePage = await asEve<TaskPage>('GET', '/api/v1/tasks?q=oat');
    assert.equal(evePage.body.items.length, 0);
    const eveFeed = await asEve<TaskChangesPage>('GET', '/api/v1/tasks/changes?since=0');
    assert.ok(!JSON.stringify(eveFeed.body).includes('Oat milk'));
  });

  it('gives every member the list’s changes in their feed; a removed member gets access_revoked and nothing after', async () => {
    const before = (await asCy<TaskChangesPage>('GET', '/api/v1/tasks/changes?since=0')).body;
    assert.ok(before.changes.some((c) => c.task.title === 'Oat milk'));
    const cursor = before.nextCursor;

    assertError(
      await asCy('DELETE', `/api/v1/lists/${list.id}/members/${bob.userId}`),
      403,
      'FORBIDDEN',
    );
    assert.equal(
      (await asAda('DELETE', `/api/v1/lists/${list.id}/members/${cy.userId}`)).status,
      204,
    );
    await asBob<Task>('POST', '/api/v1/tasks', { title: 'After Cy left', listId: list.id });

    const feed = (await asCy<TaskChangesPage>('GET', `/api/v1/tasks/changes?since=${cursor}`)).body;
    assert.deepEqual(
      feed.listChanges.map((c) => [c.listId, c.action]),
      [[list.id, 'access_revoked']],
    );
    assert.ok(!JSON.stringify(feed).includes('After Cy left'));
    const task = (await asAda<TaskPage>('GET', `/api/v1/tasks?listId=${list.id}`)).body.items[0]!;
    assertError(await asCy('GET', `/api/v1/tasks/${task.id}`), 404, 'NOT_FOUND');
    assertError(await asCy('GET', `/api/v1/lists/${list.id}`), 404, 'NOT_FOUND');
    // Bob, still an editor, sees the new task in his feed.
    const bobFeed = (await asBob<TaskChangesPage>('GET', '/api/v1/tasks/changes?since=0')).body;
    assert.ok(bobFeed.changes.some((c) => c.task.title === 'After Cy left'));
  });

  it('keeps at least one owner: the last owner cannot leave; transfer hands the list over', async () => {
    assertError(await asAda('DELETE', `/api/v1/lists/${list.id}/members/me`), 409, 'CONFLICT');
    assertError(
      await asAda('PATCH', `/api/v1/lists/${list.id}/members/${ada.userId}`, { role: 'editor' }),
      409,
      'CONFLICT',
    );
    const moved = await asAda<ListMemberPage>('POST', `/api/v1/lists/${list.id}/transfer`, {
      userId: bob.userId,
    });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const tasks = (await asBob<TaskPage>('GET', `/api/v1/tasks?listId=${list.id}`)).body.items;
    assert.ok(tasks.every((x) => x.userId === bob.userId));
    // Ada, no longer the owner of record but still an owner, may now leave.
    assert.equal((await asAda('DELETE', `/api/v1/lists/${list.id}/members/me`)).status, 204);
    assertError(await asAda('GET', `/api/v1/lists/${list.id}`), 404, 'NOT_FOUND');
  });

  it('assigns only to members and filters "assigned to me"', async () => {
    const { body: shopping } = await asBob<List>('POST', '/api/v1/lists', { name: 'Shop' });
    const { body: inv } = await invite(ada.email, 'editor', asBob, shopping.id);
    assert.equal((await accept(asAda, tokenOf(inv))).status, 200);
    const { body: task } = await asBob<Task>('POST', '/api/v1/tasks', {
      title: 'Bread',
      listId: shopping.id,
      assigneeId: ada.userId,
    });
    assert.equal(task.assigneeId, ada.userId);
    assertError(
      await asBob('PATCH', `/api/v1/tasks/${task.id}`, { assigneeId: eve.userId }),
      422,
      'UNPROCESSABLE',
      ['assigneeId'],
    );
    const mine = (await asAda<TaskPage>('GET', '/api/v1/tasks?assignee=me')).body.items;
    assert.deepEqual(
      mine.map((x) => x.title),
      ['Bread'],
    );
    assert.equal((await asBob<TaskPage>('GET', '/api/v1/tasks?assignee=me')).body.items.length, 0);
  });

  it('two editors completing the same recurring task at once make exactly one next instance', async () => {
    const { body: chores } = await asBob<List>('POST', '/api/v1/lists', { name: 'Chores' });
    const { body: inv } = await invite(ada.email, 'editor', asBob, chores.id);
    assert.equal((await accept(asAda, tokenOf(inv))).status, 200);
    const { body: task } = await asBob<Task>('POST', '/api/v1/tasks', {
      title: 'Bins',
      listId: chores.id,
      dueDate: '2030-01-07T09:00:00Z',
      recurrence: { frequency: 'weekly', interval: 1 },
    });
    const [a, b] = await Promise.all([
      asAda<{ task: Task }>('POST', `/api/v1/tasks/${task.id}/complete`),
      asBob<{ task: Task }>('POST', `/api/v1/tasks/${task.id}/complete`),
    ]);
    assert.deepEqual([a.status, b.status], [200, 200]);
    // Only one `completed` change: the second completion found it done.
    const feed = (await asBob<TaskChangesPage>('GET', '/api/v1/tasks/changes?since=0')).body;
    assert.equal(
      feed.changes.filter((c) => c.taskId === task.id && c.action === 'completed').length,
      1,
    );
    // The worker's occurrence.due, delivered twice (once per completion request at most).
    assert.equal((await advanceSeries(t.baseUrl, asAda, task.id)).created, true);
    assert.equal((await advanceSeries(t.baseUrl, asBob, task.id)).created, false);
    const instances = (await asAda<{ items: Task[] }>('GET', `/api/v1/tasks/${task.id}/instances`))
      .body.items;
    assert.equal(instances.length, 2);
  });

  it('two editors renaming at once with If-Match: one 409, no lost write', async () => {
    const { body: chores } = await asBob<ListPage>('GET', '/api/v1/lists');
    const shared = chores.items.find((l) => l.name === 'Chores')!;
    const { body: task } = await asBob<Task>('POST', '/api/v1/tasks', {
      title: 'Sweep',
      listId: shared.id,
    });
    const ifMatch = { 'if-match': `"${task.version}"` };
    const [a, b] = await Promise.all([
      asAda<Task>('PATCH', `/api/v1/tasks/${task.id}`, { title: 'Sweep (Ada)' }, ifMatch),
      asBob<Task>('PATCH', `/api/v1/tasks/${task.id}`, { title: 'Sweep (Bob)' }, ifMatch),
    ]);
    assert.deepEqual([a.status, b.status].sort(), [200, 409]);
    const winner = a.status === 200 ? a.body : b.body;
    const now = (await asAda<Task>('GET', `/api/v1/tasks/${task.id}`)).body;
    assert.equal(now.title, winner.title);
    assert.equal(now.version, task.version + 1);
  });
});
