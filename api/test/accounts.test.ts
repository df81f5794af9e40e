import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { PREFERENCES_UPDATED_TYPE, USER_DELETED_TYPE } from '@todo/contracts';
import { startMailCatcher, type CaughtMail, type MailCatcher } from '@todo/ops/testing';
import { QueryTypes } from 'sequelize';
import { client, startTestApi, type TestApi } from './helpers.js';

const password = 'correct-horse-battery';
const newEmail = () => `acct-${randomBytes(5).toString('hex')}@example.com`;

/** The one link of an account mail (its plain-text body names it after the button label). */
const linkIn = (mail: CaughtMail): URL => {
  const match = /https?:\/\/\S+/.exec(mail.parsed.text ?? '');
  assert.ok(match, `a link in: ${mail.parsed.text}`);
  return new URL(match[0]);
};

describe('accounts: verification, reset, deletion (real SMTP, in-process smtp-server)', () => {
  let t: TestApi;
  let catcher: MailCatcher;

  before(async () => {
    catcher = await startMailCatcher();
    t = await startTestApi({
      SMTP_URL: catcher.smtpUrl,
      MAIL_FROM: '"Todo Chatbot" <accounts@example.test>',
    });
  });
  after(async () => {
    await t?.stop();
    await catcher?.stop();
  });

  /** POSTs to Better Auth as a server-side client (no Origin, no cookie). */
  const auth = async (path: string, body: unknown, session?: string) => {
    const response = await fetch(`${t.baseUrl}/api/auth/${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(session ? { authorization: `Bearer ${session}` } : {}),
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as unknown };
  };
  const mailTo = (email: string, subject: RegExp) =>
    catcher.next((m) => m.envelope.to.includes(email) && subject.test(m.parsed.subject ?? ''));
  const signIn = async (email: string, pw: string) => {
    const r = await auth('sign-in/email', { email, password: pw });
    return { status: r.status, session: (r.body as { token?: string } | null)?.token ?? null };
  };
  const jwtOf = async (session: string) => {
    const r = await fetch(`${t.baseUrl}/api/auth/token`, {
      headers: { authorization: `Bearer ${session}` },
    });
    return r.ok ? ((await r.json()) as { token: string }).token : null;
  };
  const sql = <T extends object>(query: string, bind: unknown[] = []) =>
    t.api.sequelize.query<T>(query, { bind, type: QueryTypes.SELECT });

  it('mails a verification link at sign-up; the account works at once, the link verifies it and tells the workers', async () => {
    const email = newEmail();
    const signUp = await auth('sign-up/email', { email, password, name: 'Ada' });
    assert.equal(signUp.status, 200);
    const { session } = await signIn(email, password);
    assert.ok(session, 'an unverified account signs in');
    assert.ok(await jwtOf(session), 'and gets a JWT: the app is usable at once');

    const mail = await mailTo(email, /Confirm your email address/);
    assert.equal(mail.envelope.from, 'accounts@example.test');
    const link = linkIn(mail);
    assert.equal(link.pathname, '/api/auth/verify-email');
    const [before] = await sql<{ emailVerified: boolean }>(
      `SELECT "emailVerified" FROM "user" WHERE email = $1`,
      [email],
    );
    assert.equal(before?.emailVerified, false);

    const click = await fetch(link, { redirect: 'manual' });
    assert.equal(click.status, 302);
    assert.equal(click.headers.get('location'), '/email-verified');
    const [after] = await sql<{ id: string; emailVerified: boolean }>(
      `SELECT id, "emailVerified" FROM "user" WHERE email = $1`,
      [email],
    );
    assert.equal(after?.emailVerified, true);
    // The workers learn the address is verified (reminder mail may go there now).
    await t.publisher.waitFor(() =>
      t.publisher.published.some(
        (p) =>
          p.event.type === PREFERENCES_UPDATED_TYPE &&
          p.event.userid === after.id &&
          (p.event.data as { preferences: { emailVerified?: boolean } }).preferences
            .emailVerified === true,
      ),
    );
    // A second click changes nothing and is no error.
    const again = await fetch(link, { redirect: 'manual' });
    assert.equal(again.status, 302);
    assert.equal(again.headers.get('location'), '/email-verified');
  });

  it('"Resend" mails a new link; a forged link is refused', async () => {
    const email = newEmail();
    await auth('sign-up/email', { email, password, name: 'Bo' });
    await mailTo(email, /Confirm your email address/);
    const before = catcher.messages.length;
    const resend = await auth('send-verification-email', { email });
    assert.equal(resend.status, 200);
    await catcher.next(
      (m) => catcher.messages.indexOf(m) >= before && m.envelope.to.includes(email),
    );
    const forged = await fetch(
      `${t.baseUrl}/api/auth/verify-email?token=not.a.token&callbackURL=%2Femail-verified`,
      { redirect: 'manual' },
    );
    assert.equal(forged.status, 302);
    assert.match(forged.headers.get('location') ?? '', /error=INVALID_TOKEN/);
  });

  it('sign-up and password reset answer the same for a taken and a free address; the owner learns by mail', async () => {
    const taken = newEmail();
    await auth('sign-up/email', { email: taken, password, name: 'Cy' });
    const again = await auth('sign-up/email', {
      email: taken,
      password: 'other-pass-123',
      name: 'X',
    });
    const fresh = await auth('sign-up/email', { email: newEmail(), password, name: 'X' });
    assert.equal(again.status, fresh.status);
    assert.deepEqual(
      Object.keys(again.body as object).sort(),
      Object.keys(fresh.body as object).sort(),
    );
    await mailTo(taken, /already have a Todo Chatbot account/);

    const known = await auth('request-password-reset', { email: taken });
    const unknown = await auth('request-password-reset', { email: newEmail() });
    assert.equal(known.status, 200);
    assert.deepEqual(known, unknown);
  });

  it('a reset link works once, ends every session, and is refused after use or once expired', async () => {
    const email = newEmail();
    await auth('sign-up/email', { email, password, name: 'Di' });
    const { session: laptop } = await signIn(email, password);
    assert.ok(laptop);

    assert.equal((await auth('request-password-reset', { email })).status, 200);
    const link = linkIn(await mailTo(email, /Reset your Todo Chatbot password/));
    assert.equal(link.pathname, '/reset-password');
    const token = link.searchParams.get('token')!;

    const reset = await auth('reset-password', { token, newPassword: 'a-brand-new-secret' });
    assert.equal(reset.status, 200);
    assert.equal((await signIn(email, password)).status, 401, 'the old password no longer works');
    assert.equal((await signIn(email, 'a-brand-new-secret')).status, 200);
    assert.equal(await jwtOf(laptop), null, 'the session signed in before the reset ended');

    const reuse = await auth('reset-password', { token, newPassword: 'yet-another-secret' });
    assert.equal(reuse.status, 400);
    assert.equal((reuse.body as { code: string }).code, 'INVALID_TOKEN');

    // A second link, expired (30 minutes are not waited out: its row is moved into the past).
    assert.equal((await auth('request-password-reset', { email })).status, 200);
    const expiredLink = await catcher.next(
      (m) =>
        m.envelope.to.includes(email) &&
        /Reset your/.test(m.parsed.subject ?? '') &&
        linkIn(m).searchParams.get('token') !== token,
    );
    const expired = linkIn(expiredLink).searchParams.get('token')!;
    // Only the token's SHA-256 is stored: the database holds no working link.
    const stored = createHash('sha256').update(`reset-password:${expired}`).digest('base64url');
    const plain = await sql(`SELECT 1 FROM verification WHERE identifier LIKE $1`, [
      `%${expired}%`,
    ]);
    assert.equal(plain.length, 0, 'the reset token is not stored as sent');
    const [row] = await sql<{ ttl: number }>(
      `SELECT EXTRACT(EPOCH FROM "expiresAt" - "createdAt")::int AS ttl FROM verification WHERE identifier = $1`,
      [stored],
    );
    assert.equal(row?.ttl, 30 * 60, 'a reset link works for 30 minutes');
    await t.api.sequelize.query(
      `UPDATE verification SET "expiresAt" = now() - interval '1 second' WHERE identifier = $1`,
      { bind: [stored] },
    );
    const late = await auth('reset-password', { token: expired, newPassword: 'too-late-secret' });
    assert.equal(late.status, 400);
    assert.equal((await signIn(email, 'a-brand-new-secret')).status, 200);
  });

  it('names a bad field of the account calls in our 400', async () => {
    const r = await auth('reset-password', { token: 'x', newPassword: 'short' });
    assert.equal(r.status, 400);
    assert.match(JSON.stringify(r.body), /newPassword/);
    const e = await auth('request-password-reset', { email: 'not-an-address' });
    assert.equal(e.status, 400);
    assert.match(JSON.stringify(e.body), /email/);
  });

  it('change of address: the link goes to the new address, which is used (verified) once clicked', async () => {
    const user = await t.signUp('Eve');
    const taken = (await t.signUp('Other')).userId;
    const [other] = await sql<{ email: string }>(`SELECT email FROM "user" WHERE id = $1`, [taken]);
    const fresh = newEmail();
    const toFresh = await auth('change-email', { newEmail: fresh }, user.sessionToken);
    const toTaken = await auth('change-email', { newEmail: other!.email }, user.sessionToken);
    assert.deepEqual(toFresh, toTaken, 'the same answer whether or not the address has an account');
    const link = linkIn(await mailTo(fresh, /Confirm your new email address/));
    const [before] = await sql<{ email: string }>(`SELECT email FROM "user" WHERE id = $1`, [
      user.userId,
    ]);
    assert.notEqual(before!.email, fresh, 'nothing changes before the click');
    assert.equal((await fetch(link, { redirect: 'manual' })).status, 302);
    const [after] = await sql<{ email: string; emailVerified: boolean }>(
      `SELECT email, "emailVerified" FROM "user" WHERE id = $1`,
      [user.userId],
    );
    assert.deepEqual(after, { email: fresh, emailVerified: true });
    await t.publisher.waitFor(() =>
      t.publisher.published.some(
        (p) =>
          p.event.type === PREFERENCES_UPDATED_TYPE &&
          (p.event.data as { preferences: { email?: string } }).preferences.email === fresh,
      ),
    );
  });

  it('sessions: listed with their device; changing the password (current one required) ends the others', async () => {
    const email = newEmail();
    await auth('sign-up/email', { email, password, name: 'Fay' });
    const { session: laptop } = await signIn(email, password);
    const phone = await fetch(`${t.baseUrl}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Mozilla/5.0 (iPhone) Safari/604.1',
      },
      body: JSON.stringify({ email, password }),
    });
    const phoneSession = ((await phone.json()) as { token: string }).token;
    const list = await fetch(`${t.baseUrl}/api/auth/list-sessions`, {
      headers: { authorization: `Bearer ${laptop}` },
    });
    const sessions = (await list.json()) as { userAgent: string | null; updatedAt: string }[];
    assert.equal(sessions.length, 2);
    assert.ok(sessions.some((s) => s.userAgent?.includes('iPhone')));
    assert.ok(sessions.every((s) => !Number.isNaN(Date.parse(s.updatedAt))));

    const wrong = await auth(
      'change-password',
      {
        currentPassword: 'not-it-at-all',
        newPassword: 'next-secret-123',
        revokeOtherSessions: true,
      },
      laptop!,
    );
    assert.equal(wrong.status, 400);
    const changed = await auth(
      'change-password',
      { currentPassword: password, newPassword: 'next-secret-123', revokeOtherSessions: true },
      laptop!,
    );
    assert.equal(changed.status, 200);
    assert.equal(await jwtOf(phoneSession), null, 'the other device is signed out');
    assert.equal((await signIn(email, 'next-secret-123')).status, 200);
  });

  it('deleting the account needs the password and leaves no row of the user in any table', async () => {
    const user = await t.signUp('Doomed');
    const call = client(t.baseUrl, user.token);
    const task = await call<{ id: string }>('POST', '/api/v1/tasks', {
      title: 'Water the plants',
      dueDate: new Date(Date.now() + 86_400_000).toISOString(),
      reminderOffset: 10,
    });
    assert.equal(task.status, 201);
    assert.equal(
      (await call('PATCH', '/api/v1/users/me/notifications', { timezone: 'Europe/Berlin' })).status,
      200,
    );
    assert.equal(
      (await call('POST', '/api/v1/users/me/tokens', { name: 'script', scope: 'read' })).status,
      201,
    );
    assert.equal((await call('POST', '/api/v1/users/me/calendar-feed')).status, 201);
    assert.equal(
      (await call('POST', '/api/v1/chat', { message: 'add buy milk tomorrow' })).status,
      200,
    );
    const survivor = await t.signUp('Survivor');
    assert.equal(
      (await client(t.baseUrl, survivor.token)('POST', '/api/v1/tasks', { title: 'Stay' })).status,
      201,
    );

    const wrong = await auth('delete-user', { password: 'not-my-password' }, user.sessionToken);
    assert.equal(wrong.status, 400);
    assert.equal((await call('GET', '/api/v1/tasks')).status, 200, 'nothing happened');

    const gone = await auth('delete-user', { password }, user.sessionToken);
    assert.equal(gone.status, 200, JSON.stringify(gone.body));

    // Every session ended: the JWT, the session token, the personal access token.
    assert.equal((await call('GET', '/api/v1/tasks')).status, 401);
    assert.equal(await jwtOf(user.sessionToken), null);

    // Generic: every column that references Better Auth's user table, and every column named
    // like an owner (user_id, owner_id, userId …), in every table — present and future.
    const columns = await sql<{ table_name: string; column_name: string }>(
      `SELECT DISTINCT c.table_name, c.column_name
       FROM information_schema.columns c
       JOIN information_schema.tables t
         ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
       WHERE c.table_schema = current_schema()
         AND (c.column_name ~* '^(user|owner)_?id$'
           OR (c.table_name, c.column_name) IN (
             SELECT kcu.table_name, kcu.column_name
             FROM information_schema.referential_constraints rc
             JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = rc.constraint_name
             JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = rc.unique_constraint_name
             WHERE ccu.table_name = 'user'))`,
    );
    assert.ok(columns.length >= 10, `owner columns found: ${JSON.stringify(columns)}`);
    const left: string[] = [];
    for (const { table_name, column_name } of columns) {
      const [row] = await sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${table_name}" WHERE "${column_name}"::text = $1`,
        [user.userId],
      );
      if (row!.n > 0) left.push(`${table_name}.${column_name}: ${row!.n}`);
    }
    assert.deepEqual(left, [], 'no row of the deleted user remains');
    const [account] = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM "user" WHERE id = $1`,
      [user.userId],
    );
    assert.equal(account!.n, 0);
    // Only the deletion's own event waits in the outbox for the workers; the survivor is untouched.
    const outbox = await sql<{ type: string }>(
      `SELECT payload->>'type' AS type FROM outbox WHERE partition_key = $1`,
      [user.userId],
    );
    assert.deepEqual(
      outbox.map((o) => o.type),
      [USER_DELETED_TYPE],
    );
    await t.publisher.waitFor(() =>
      t.publisher.published.some(
        (p) => p.event.type === USER_DELETED_TYPE && p.event.userid === user.userId,
      ),
    );
    const [kept] = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM tasks WHERE user_id = $1`,
      [survivor.userId],
    );
    assert.equal(kept!.n, 1);
  });
});
