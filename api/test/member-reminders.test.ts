import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type {
  AcceptInviteResult,
  CreatedListInvite,
  List,
  ListMember,
  ListMemberPage,
  ListPage,
} from '@todo/contracts';
import type { TestUser } from '@todo/ops/testing';
import { assertError, client, startTestApi, type TestApi } from './helpers.js';

describe('a member turns the reminders of a shared list on or off for themselves (ADR 376)', () => {
  let t: TestApi;
  let ada: TestUser;
  let bob: TestUser;
  let eve: TestUser;
  let asAda: ReturnType<typeof client>;
  let asBob: ReturnType<typeof client>;
  let asEve: ReturnType<typeof client>;
  let list: List;

  const members = async (as = asAda) =>
    (await as<ListMemberPage>('GET', `/api/v1/lists/${list.id}/members`)).body.items;
  const patch = (as: ReturnType<typeof client>, who: string, body: unknown) =>
    as<ListMember>('PATCH', `/api/v1/lists/${list.id}/members/${who}`, body);

  before(async () => {
    t = await startTestApi();
    [ada, bob, eve] = [await t.signUp('Ada'), await t.signUp('Bob'), await t.signUp('Eve')];
    for (const user of [ada, bob, eve])
      await t.api.sequelize.query(`UPDATE "user" SET "emailVerified" = true WHERE id = $1`, {
        bind: [user.userId],
      });
    asAda = client(t.baseUrl, ada.token);
    asBob = client(t.baseUrl, bob.token);
    asEve = client(t.baseUrl, eve.token);
    list = (await asAda<List>('POST', '/api/v1/lists', { name: 'Household' })).body;
    const invite = await asAda<CreatedListInvite>('POST', `/api/v1/lists/${list.id}/invites`, {
      email: bob.email,
      role: 'editor',
    });
    const token = invite.body.acceptUrl.split('/invites/')[1]!;
    const joined = await asBob<AcceptInviteResult>('POST', '/api/v1/invites/accept', { token });
    assert.equal(joined.status, 200, JSON.stringify(joined.body));
    // Joining does not opt anyone in: the inviter cannot sign someone up for reminders.
    assert.equal(joined.body.member.reminders, false);
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
});
