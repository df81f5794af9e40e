import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  MEMBER_CHANGED_TYPE,
  TOPICS,
  type AcceptInviteResult,
  type CreatedListInvite,
  type List,
  type ListActivityPage,
  type ListMemberPage,
  type MemberChangedData,
  type Task,
} from '@todo/contracts';
import type { TestUser } from '@todo/ops/testing';
import { client, startTestApi, type TestApi } from './helpers.js';

/**
 * Every membership change publishes one `list.member-changed` on task-updates (socket nodes
 * send it as `member_update`), keyed by the list's owner of record; a refused one publishes none.
 */
describe('membership changes are published for the open tabs', () => {
  let t: TestApi;
  let ada: TestUser;
  let bob: TestUser;
  let cy: TestUser;
  let list: List;
  let asAda: ReturnType<typeof client>;

  const memberEvents = () =>
    t.publisher.published.filter(
      (p) =>
        p.event.type === MEMBER_CHANGED_TYPE && p.event.subject?.startsWith(`lists/${list.id}`),
    );
  /** Waits for the `n`th member event of the list and returns it with its partition key. */
  const nth = async (n: number) => {
    await t.publisher.waitFor(() => memberEvents().length >= n);
    const published = memberEvents()[n - 1]!;
    assert.equal(published.topic, TOPICS.taskUpdates);
    return { data: published.event.data as MemberChangedData, key: published.partitionKey };
  };
  const join = async (user: TestUser, role: string) => {
    const invite = await asAda<CreatedListInvite>('POST', `/api/v1/lists/${list.id}/invites`, {
      email: user.email,
      role,
    });
    const token = invite.body.acceptUrl.split('/invites/')[1];
    const accepted = await client(t.baseUrl, user.token)<AcceptInviteResult>(
      'POST',
      '/api/v1/invites/accept',
      { token },
    );
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
  };

  before(async () => {
    t = await startTestApi();
    [ada, bob, cy] = [await t.signUp('Ada'), await t.signUp('Bob'), await t.signUp('Cy')];
    await t.api.sequelize.query(`UPDATE "user" SET "emailVerified" = true WHERE id IN ($1, $2)`, {
      bind: [bob.userId, cy.userId],
    });
    asAda = client(t.baseUrl, ada.token);
    list = (await asAda<List>('POST', '/api/v1/lists', { name: 'Household' })).body;
  });
  after(() => t.stop());

  it('added, role changed, made owner by a transfer, removed', async () => {
    await join(bob, 'viewer');
    const added = await nth(1);
    assert.deepEqual(
      [added.data.action, added.data.member.userId, added.data.member.role, added.data.userId],
      ['added', bob.userId, 'viewer', ada.userId],
    );
    assert.equal(added.key, ada.userId, "keyed by the owner of record, like the list's changes");
    assert.equal(added.data.member.name, 'Bob');

    const raised = await asAda('PATCH', `/api/v1/lists/${list.id}/members/${bob.userId}`, {
      role: 'editor',
    });
    assert.equal(raised.status, 200);
    assert.deepEqual(
      [(await nth(2)).data.action, (await nth(2)).data.member.role],
      ['updated', 'editor'],
    );

    // An editor made owner of record: their role changes too, and the key moves with the list.
    const moved = await asAda('POST', `/api/v1/lists/${list.id}/transfer`, { userId: bob.userId });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const transferred = await nth(3);
    assert.deepEqual(
      [transferred.data.action, transferred.data.member.userId, transferred.data.member.role],
      ['updated', bob.userId, 'owner'],
    );
    assert.equal(transferred.key, bob.userId);

    await join(cy, 'editor');
    await nth(4);
    const removed = await client(t.baseUrl, bob.token)(
      'DELETE',
      `/api/v1/lists/${list.id}/members/${cy.userId}`,
    );
    assert.equal(removed.status, 204);
    const gone = await nth(5);
    assert.deepEqual(
      [gone.data.action, gone.data.member.userId, gone.data.member.role],
      ['removed', cy.userId, 'editor'],
    );
  });

  it('publishes nothing for a refused change or one that changes nothing', async () => {
    const before = memberEvents().length;
    // Cy is no longer a member: removing them again is a 404.
    const again = await asAda('DELETE', `/api/v1/lists/${list.id}/members/${cy.userId}`);
    assert.equal(again.status, 404);
    // Setting the role a member already has changes nothing.
    const same = await asAda('PATCH', `/api/v1/lists/${list.id}/members/${ada.userId}`, {
      role: 'owner',
    });
    assert.equal(same.status, 200);
    // Then one that does: the relay publishes in outbox order, so once it is out, anything the
    // two above had recorded would be out too.
    await join(cy, 'viewer');
    const next = await nth(before + 1);
    assert.deepEqual([next.data.action, next.data.member.userId], ['added', cy.userId]);
    assert.equal(memberEvents().length, before + 1);
  });

  it('a member deleting their account leaves every list as leaving does: the others hear it, the log keeps no name', async () => {
    const dee = await t.signUp('Dee');
    await t.api.sequelize.query(`UPDATE "user" SET "emailVerified" = true WHERE id = $1`, {
      bind: [dee.userId],
    });
    const asDee = client(t.baseUrl, dee.token);
    // A list of Ada's (the suite's list changed hands above).
    const workshop = (await asAda<List>('POST', '/api/v1/lists', { name: 'Workshop' })).body;
    const invited = await asAda<CreatedListInvite>('POST', `/api/v1/lists/${workshop.id}/invites`, {
      email: dee.email,
      role: 'editor',
    });
    assert.equal(
      (
        await asDee('POST', '/api/v1/invites/accept', {
          token: invited.body.acceptUrl.split('/invites/')[1],
        })
      ).status,
      200,
    );
    const task = await asAda<Task>('POST', '/api/v1/tasks', {
      title: 'Fix the tap',
      listId: workshop.id,
      assigneeId: dee.userId,
    });
    assert.equal(task.status, 201, JSON.stringify(task.body));
    // A list of Dee's shared with Ada: handed over to her, then left by Dee as well.
    const deesList = (await asDee<List>('POST', '/api/v1/lists', { name: 'Book club' })).body;
    const invite = await asDee<CreatedListInvite>('POST', `/api/v1/lists/${deesList.id}/invites`, {
      email: ada.email,
      role: 'viewer',
    });
    await t.api.sequelize.query(`UPDATE "user" SET "emailVerified" = true WHERE id = $1`, {
      bind: [ada.userId],
    });
    assert.equal(
      (
        await asAda('POST', '/api/v1/invites/accept', {
          token: invite.body.acceptUrl.split('/invites/')[1],
        })
      ).status,
      200,
    );
    const removedFrom = (listId: string) =>
      t.publisher.published.filter(
        (p) =>
          p.event.type === MEMBER_CHANGED_TYPE &&
          (p.event.data as MemberChangedData).listId === listId &&
          (p.event.data as MemberChangedData).action === 'removed',
      );

    const gone = await fetch(`${t.baseUrl}/api/auth/delete-user`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${dee.sessionToken}` },
      body: JSON.stringify({ password: 'correct-horse-battery' }),
    });
    assert.equal(gone.status, 200, await gone.text());

    // Ada's open tabs hear Dee leave both lists, keyed like the lists' other changes.
    await t.publisher.waitFor(
      () => removedFrom(workshop.id).length === 1 && removedFrom(deesList.id).length === 1,
    );
    for (const published of [removedFrom(workshop.id)[0]!, removedFrom(deesList.id)[0]!]) {
      const data = published.event.data as MemberChangedData;
      assert.equal(data.member.userId, dee.userId);
      assert.equal(published.partitionKey, ada.userId);
      // The event waits in the outbox after the account is gone: it names nobody.
      assert.ok(!JSON.stringify(data).includes(dee.email), 'no address in the event');
      assert.ok(!JSON.stringify(data).includes('Dee'), 'no name in the event');
    }

    // What Ada reads: Dee is no member, her task is unassigned, and the log says someone left.
    const members = await asAda<ListMemberPage>('GET', `/api/v1/lists/${workshop.id}/members`);
    assert.ok(!members.body.items.some((m) => m.userId === dee.userId));
    const heldOver = await asAda<ListMemberPage>('GET', `/api/v1/lists/${deesList.id}/members`);
    assert.deepEqual(
      heldOver.body.items.map((m) => [m.userId, m.role]),
      [[ada.userId, 'owner']],
      'the handed-over list is Ada’s alone',
    );
    const unassigned = await asAda<Task>('GET', `/api/v1/tasks/${task.body.id}`);
    assert.equal(unassigned.body.assigneeId, null);
    const activity = await asAda<ListActivityPage>('GET', `/api/v1/lists/${workshop.id}/activity`);
    const [newest] = activity.body.items;
    assert.deepEqual(
      [newest?.action, newest?.member, newest?.actor, newest?.details],
      ['member.left', null, null, { role: 'editor' }],
    );
    assert.ok(
      activity.body.items.some(
        (e) => e.action === 'task.assigned' && e.taskId === task.body.id && e.member === null,
      ),
      'the unassignment is logged',
    );
    const sent = activity.body.items.find((e) => e.action === 'invite.sent');
    assert.deepEqual(
      sent?.details,
      { role: 'editor' },
      'the invite’s entry stays, without the address',
    );
    assert.ok(!JSON.stringify(activity.body).includes(dee.email), 'no address in the log');
    const clubLog = await asAda<ListActivityPage>('GET', `/api/v1/lists/${deesList.id}/activity`);
    assert.equal(clubLog.body.items[0]?.action, 'member.left');
  });
});
