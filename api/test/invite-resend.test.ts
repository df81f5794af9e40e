import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import type {
  AcceptInviteResult,
  CreatedListInvite,
  List,
  ListActivityPage,
  ListInvitePage,
} from '@todo/contracts';
import { startMailCatcher, type CaughtMail, type MailCatcher } from '@todo/ops/testing';
import type { TestUser } from '@todo/ops/testing';
import { assertError, client, startTestApi, type TestApi } from './helpers.js';

/** The one link of an invite mail (its plain-text body names it after the button label). */
const linkIn = (mail: CaughtMail): URL => {
  const match = /https?:\/\/\S+/.exec(mail.parsed.text ?? '');
  assert.ok(match, `a link in: ${mail.parsed.text}`);
  return new URL(match[0]);
};
const tokenOfUrl = (url: string | URL) => new URL(url).pathname.split('/invites/')[1]!;

describe('re-sending an invite: a new link by mail, the old one refused (real SMTP)', () => {
  let t: TestApi;
  let catcher: MailCatcher;
  let ada: TestUser;
  let bob: TestUser;
  let cy: TestUser;
  let eve: TestUser;
  let asAda: ReturnType<typeof client>;
  let list: List;

  const verify = (user: TestUser) =>
    t.api.sequelize.query(`UPDATE "user" SET "emailVerified" = true WHERE id = $1`, {
      bind: [user.userId],
    });
  const invite = async (email: string, role = 'editor') => {
    const created = await asAda<CreatedListInvite>('POST', `/api/v1/lists/${list.id}/invites`, {
      email,
      role,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body;
  };
  const resend = (inviteId: string, as = asAda, listId = list.id) =>
    as<CreatedListInvite>('POST', `/api/v1/lists/${listId}/invites/${inviteId}/resend`);
  const accept = (user: TestUser, token: string) =>
    client(t.baseUrl, user.token)<AcceptInviteResult>('POST', '/api/v1/invites/accept', { token });
  const mailsTo = (email: string) =>
    catcher.messages.filter(
      (m) => m.envelope.to.includes(email) && /invited/.test(m.parsed.subject ?? ''),
    );
  /** The next invite mail to `email` after the `seen` ones. */
  const nextMailTo = (email: string, seen: number) =>
    catcher.next((m) => mailsTo(email).indexOf(m) >= seen);

  before(async () => {
    catcher = await startMailCatcher();
    t = await startTestApi({
      SMTP_URL: catcher.smtpUrl,
      MAIL_FROM: '"Todo Chatbot" <accounts@example.test>',
    });
    [ada, bob, cy, eve] = [
      await t.signUp('Ada'),
      await t.signUp('Bob'),
      await t.signUp('Cy'),
      await t.signUp('Eve'),
    ];
    for (const user of [bob, cy, eve]) await verify(user);
    asAda = client(t.baseUrl, ada.token);
    list = (await asAda<List>('POST', '/api/v1/lists', { name: 'Allotment' })).body;
  });
  after(async () => {
    await t?.stop();
    await catcher?.stop();
  });

  it('mails a new working link once; the link mailed before is refused', async () => {
    const first = await invite(bob.email);
    const firstMail = await nextMailTo(bob.email, 0);
    const oldToken = tokenOfUrl(linkIn(firstMail));
    assert.equal(oldToken, tokenOfUrl(first.acceptUrl));
    // Two days later, say: the new expiry counts from the resend.
    await t.api.sequelize.query(
      `UPDATE list_invites SET expires_at = now() + interval '5 days' WHERE id = $1`,
      { bind: [first.id] },
    );

    const again = await resend(first.id);
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.deepEqual(
      [again.body.id, again.body.email, again.body.role],
      [first.id, bob.email, 'editor'],
    );
    assert.ok(Date.parse(again.body.expiresAt) > Date.now() + 6.9 * 86_400_000, 'seven days again');
    const newToken = tokenOfUrl(again.body.acceptUrl);
    assert.notEqual(newToken, oldToken);

    const mail = await nextMailTo(bob.email, 1);
    assert.match(mail.parsed.subject ?? '', /Allotment/);
    const link = linkIn(mail);
    assert.equal(tokenOfUrl(link), newToken, 'the mail carries the new link');
    // Once: an invite to someone else, mailed after, arrives with no second copy to Bob.
    await invite(eve.email, 'viewer');
    await nextMailTo(eve.email, 0);
    assert.equal(mailsTo(bob.email).length, 2);

    // Still one open invite for Bob, with the new expiry.
    const open = await asAda<ListInvitePage>('GET', `/api/v1/lists/${list.id}/invites`);
    const bobs = open.body.items.filter((i) => i.email === bob.email);
    assert.deepEqual(
      bobs.map((i) => i.expiresAt),
      [again.body.expiresAt],
    );

    assertError(await accept(bob, oldToken), 404, 'NOT_FOUND');
    const joined = await accept(bob, tokenOfUrl(link));
    assert.equal(joined.status, 200, JSON.stringify(joined.body));
    assert.deepEqual([joined.body.list.id, joined.body.member.role], [list.id, 'editor']);

    const log = await asAda<ListActivityPage>('GET', `/api/v1/lists/${list.id}/activity`);
    const resent = log.body.items.find((e) => e.action === 'invite.resent');
    assert.deepEqual(
      [resent?.actor?.name, resent?.details],
      ['Ada', { email: bob.email, role: 'editor' }],
    );
  });

  it('revives an expired invite', async () => {
    const created = await invite(cy.email, 'viewer');
    await t.api.sequelize.query(
      `UPDATE list_invites SET expires_at = now() - interval '1 day' WHERE id = $1`,
      { bind: [created.id] },
    );
    assertError(await accept(cy, tokenOfUrl(created.acceptUrl)), 404, 'NOT_FOUND');
    const again = await resend(created.id);
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal((await accept(cy, tokenOfUrl(again.body.acceptUrl))).status, 200);
  });

  it('refuses strangers (404), members who are not owners (403), and invites done with', async () => {
    const pending = await invite('dora@example.com', 'viewer');
    await nextMailTo('dora@example.com', 0);
    // Eve is no member: the list, and so its invite, does not exist for her.
    assertError(await resend(pending.id, client(t.baseUrl, eve.token)), 404, 'NOT_FOUND');
    // Cy is a viewer: she knows the list, but invites are the owners'.
    assertError(await resend(pending.id, client(t.baseUrl, cy.token)), 403, 'FORBIDDEN');
    // Bob, an editor, neither.
    assertError(await resend(pending.id, client(t.baseUrl, bob.token)), 403, 'FORBIDDEN');
    // An unknown invite, or one of another list.
    assertError(await resend('00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
    const other = (await asAda<List>('POST', '/api/v1/lists', { name: 'Other' })).body;
    assertError(await resend(pending.id, asAda, other.id), 404, 'NOT_FOUND');
    assertError(await resend('not-an-id'), 400, 'VALIDATION_FAILED', ['inviteId']);

    // Accepted (Bob's, above): nothing to resend.
    const [accepted] = await t.api.sequelize.query<{ id: string }>(
      'SELECT id FROM list_invites WHERE email = $1 AND accepted_at IS NOT NULL',
      { bind: [bob.email], type: QueryTypes.SELECT },
    );
    assertError(await resend(accepted!.id), 409, 'CONFLICT');
    // Withdrawn: gone.
    assert.equal(
      (await asAda('DELETE', `/api/v1/lists/${list.id}/invites/${pending.id}`)).status,
      204,
    );
    assertError(await resend(pending.id), 404, 'NOT_FOUND');
    // None of the refusals mailed anything: a mail sent after them all arrives alone.
    await invite('fred@example.com', 'viewer');
    await nextMailTo('fred@example.com', 0);
    assert.equal(mailsTo('dora@example.com').length, 1);
  });
});
