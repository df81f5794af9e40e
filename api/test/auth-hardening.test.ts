import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { assertError, client, startTestApi, type TestApi } from './helpers.js';

const password = 'correct-horse-battery';
const newEmail = () => `probe-${randomBytes(5).toString('hex')}@example.com`;
/**
 * A client address of its own, never used before (the counters outlive a test run in Redis):
 * the api trusts X-Forwarded-For from its loopback proxy, as behind the gateway.
 */
const newIp = () =>
  `2001:db8:${randomBytes(6)
    .toString('hex')
    .replace(/(.{4})(?!$)/g, '$1:')}::1`;

/** Node's global fetch, exactly as a server-side client sends it: no Origin, no cookie. */
function post(baseUrl: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${baseUrl}/api/auth/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** The JSON shape of a value: keys and types, not values. */
function shape(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, shape(v)]),
    );
  return typeof value;
}

describe('server-side clients sign up and sign in; browsers keep the origin check (defect 10)', () => {
  let t: TestApi;
  before(async () => (t = await startTestApi()));
  after(() => t.stop());

  it("signs up, signs in and gets a JWT with Node's global fetch and no Origin", async () => {
    const email = newEmail();
    const signUp = await post(t.baseUrl, 'sign-up/email', { email, password, name: 'Bot' });
    assert.equal(signUp.status, 200, await signUp.clone().text());
    const signIn = await post(t.baseUrl, 'sign-in/email', { email, password });
    assert.equal(signIn.status, 200, await signIn.clone().text());
    const { token: session } = (await signIn.json()) as { token: string };
    const jwt = await fetch(`${t.baseUrl}/api/auth/token`, {
      headers: { authorization: `Bearer ${session}` },
    });
    assert.equal(jwt.status, 200);
    const { token } = (await jwt.json()) as { token: string };
    assert.equal((await client(t.baseUrl, token)('GET', '/api/v1/tasks')).status, 200);
  });

  it('names a bad or unknown field of a sign-up or sign-in in our 400', async () => {
    const bad = await post(t.baseUrl, 'sign-up/email', {
      email: 'not-an-address',
      password: 'short',
      name: '',
      admin: true,
    });
    assert.equal(bad.status, 400);
    const body = (await bad.json()) as { error: string; details: { field: string }[] };
    assert.equal(body.error, 'VALIDATION_FAILED');
    assert.deepEqual([...new Set(body.details.map((d) => d.field))].sort(), [
      'admin',
      'email',
      'name',
      'password',
    ]);
    const signIn = await post(t.baseUrl, 'sign-in/email', { email: newEmail() });
    assert.equal(signIn.status, 400);
  });

  it('still refuses a cookie-carrying browser request from a foreign origin', async () => {
    const email = newEmail();
    await post(t.baseUrl, 'sign-up/email', { email, password, name: 'Victim' });
    const forged = await post(
      t.baseUrl,
      'sign-in/email',
      { email, password },
      { cookie: 'better-auth.session_token=x', origin: 'https://evil.example' },
    );
    assert.equal(forged.status, 403);
    const crossSite = await post(
      t.baseUrl,
      'sign-in/email',
      { email, password },
      { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' },
    );
    assert.equal(crossSite.status, 403, 'a browser without Origin is still refused');
    const sameOrigin = await post(
      t.baseUrl,
      'sign-in/email',
      { email, password },
      { origin: t.baseUrl },
    );
    assert.equal(sameOrigin.status, 200);
  });
});

describe('sign-up does not tell which addresses have accounts (defect 4)', () => {
  let t: TestApi;
  before(async () => (t = await startTestApi()));
  after(() => t.stop());

  it('answers a taken address exactly as a new one, and the owner keeps the account', async () => {
    const email = newEmail();
    const fresh = await post(t.baseUrl, 'sign-up/email', { email, password, name: 'Owner' });
    const taken = await post(t.baseUrl, 'sign-up/email', {
      email,
      password: 'attacker-password-1',
      name: 'Attacker',
    });
    assert.equal(fresh.status, 200);
    assert.equal(taken.status, 200, 'not 422 USER_ALREADY_EXISTS');
    const [freshBody, takenBody] = [await fresh.json(), await taken.json()];
    assert.deepEqual(shape(takenBody), shape(freshBody), 'same shape');
    assert.equal((freshBody as { token: unknown }).token, null, 'sign-up does not sign in');
    assert.equal((await post(t.baseUrl, 'sign-in/email', { email, password })).status, 200);
    const attacker = await post(t.baseUrl, 'sign-in/email', {
      email,
      password: 'attacker-password-1',
    });
    assert.equal(attacker.status, 401, "the attacker's password did not replace the owner's");
  });
});

describe('auth rate limits, per IP and per account, held in Redis (defect 4)', () => {
  let t: TestApi;
  let replica: TestApi;
  const limits = {
    AUTH_LIMIT_SIGN_IN_PER_IP: '8',
    AUTH_LIMIT_SIGN_IN_PER_ACCOUNT: '5',
    AUTH_LIMIT_SIGN_UP_PER_IP: '3',
    AUTH_LIMIT_SIGN_UP_PER_ACCOUNT: '3',
    AUTH_LIMIT_PASSWORD_RESET_PER_IP: '2',
    AUTH_LIMIT_PASSWORD_RESET_PER_ACCOUNT: '2',
    AUTH_LIMIT_TOKEN_PER_IP: '100',
    AUTH_LIMIT_TOKEN_PER_SESSION: '3',
  };
  before(async () => {
    t = await startTestApi(limits);
    replica = await startTestApi(limits);
  });
  after(async () => {
    await t.stop();
    await replica.stop();
  });

  const assertLimited = async (response: Response) => {
    assert.equal(response.status, 429, await response.clone().text());
    const retryAfter = Number(response.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 900, `Retry-After ${retryAfter}`);
    const body = (await response.json()) as { error: string; correlationId: string };
    assert.equal(body.error, 'RATE_LIMITED');
    assert.ok(body.correlationId);
  };

  it('stops password guessing on one account after 5 tries, from any address, on every replica', async () => {
    const email = newEmail();
    const ip = newIp();
    await post(
      t.baseUrl,
      'sign-up/email',
      { email, password, name: 'Target' },
      { 'x-forwarded-for': ip },
    );
    const guesses: number[] = [];
    for (let i = 0; i < 5; i++)
      guesses.push(
        (
          await post(
            t.baseUrl,
            'sign-in/email',
            { email, password: `guess-${i}-wrong` },
            { 'x-forwarded-for': newIp() },
          )
        ).status,
      );
    assert.deepEqual(guesses, [401, 401, 401, 401, 401]);
    await assertLimited(
      await post(
        t.baseUrl,
        'sign-in/email',
        { email, password: 'guess-6-wrong' },
        { 'x-forwarded-for': newIp() },
      ),
    );
    await assertLimited(
      await post(
        replica.baseUrl,
        'sign-in/email',
        { email, password },
        { 'x-forwarded-for': newIp() },
      ),
    );
    const other = await post(
      t.baseUrl,
      'sign-in/email',
      { email: newEmail(), password },
      { 'x-forwarded-for': newIp() },
    );
    assert.equal(other.status, 401, 'other accounts are not locked');
  });

  it('stops one address trying many accounts', async () => {
    const ip = newIp();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++)
      statuses.push(
        (
          await post(
            t.baseUrl,
            'sign-in/email',
            { email: newEmail(), password },
            { 'x-forwarded-for': ip },
          )
        ).status,
      );
    assert.deepEqual(statuses, Array(8).fill(401));
    await assertLimited(
      await post(
        t.baseUrl,
        'sign-in/email',
        { email: newEmail(), password },
        { 'x-forwarded-for': ip },
      ),
    );
    const elsewhere = await post(
      t.baseUrl,
      'sign-in/email',
      { email: newEmail(), password },
      { 'x-forwarded-for': newIp() },
    );
    assert.equal(elsewhere.status, 401, 'another address is not limited');
  });

  it('limits sign-up and password reset per address', async () => {
    const ip = newIp();
    for (let i = 0; i < 3; i++) {
      const signUp = await post(
        t.baseUrl,
        'sign-up/email',
        { email: newEmail(), password, name: 'N' },
        { 'x-forwarded-for': ip },
      );
      assert.equal(signUp.status, 200);
    }
    await assertLimited(
      await post(
        t.baseUrl,
        'sign-up/email',
        { email: newEmail(), password, name: 'N' },
        { 'x-forwarded-for': ip },
      ),
    );
    const resetIp = newIp();
    for (let i = 0; i < 2; i++)
      assert.notEqual(
        (
          await post(
            t.baseUrl,
            'request-password-reset',
            { email: newEmail() },
            { 'x-forwarded-for': resetIp },
          )
        ).status,
        429,
      );
    await assertLimited(
      await post(
        t.baseUrl,
        'request-password-reset',
        { email: newEmail() },
        { 'x-forwarded-for': resetIp },
      ),
    );
  });

  it('limits token issue per session', async () => {
    const email = newEmail();
    const ip = { 'x-forwarded-for': newIp() };
    await post(t.baseUrl, 'sign-up/email', { email, password, name: 'Script' }, ip);
    const signIn = await post(t.baseUrl, 'sign-in/email', { email, password }, ip);
    const { token: session } = (await signIn.json()) as { token: string };
    const token = () =>
      fetch(`${t.baseUrl}/api/auth/token`, {
        headers: { authorization: `Bearer ${session}`, 'x-forwarded-for': newIp() },
      });
    for (let i = 0; i < 3; i++) assert.equal((await token()).status, 200);
    await assertLimited(await token());
  });
});

describe('signing out ends the session’s JWTs at once (defect 7)', () => {
  let t: TestApi;
  before(async () => (t = await startTestApi()));
  after(() => t.stop());

  it('refuses the JWT right after sign-out, for reads and writes, and issues no new one', async () => {
    const user = await t.signUp();
    const other = await t.signUp();
    const call = client(t.baseUrl, user.token);
    assert.equal((await call('GET', '/api/v1/tasks')).status, 200);
    assert.equal((await call('POST', '/api/v1/tasks', { title: 'before' })).status, 201);

    const signOut = await fetch(`${t.baseUrl}/api/auth/sign-out`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.sessionToken}`, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(signOut.status, 200, await signOut.clone().text());

    assertError(await call('GET', '/api/v1/tasks'), 401, 'UNAUTHENTICATED');
    assertError(await call('POST', '/api/v1/tasks', { title: 'after' }), 401, 'UNAUTHENTICATED');
    const fresh = await fetch(`${t.baseUrl}/api/auth/token`, {
      headers: { authorization: `Bearer ${user.sessionToken}` },
    });
    assert.equal(fresh.status, 401, 'the session cannot mint new JWTs');
    assert.equal(
      (await client(t.baseUrl, other.token)('GET', '/api/v1/tasks')).status,
      200,
      'other sessions are untouched',
    );
  });

  it('refuses it on a replica that had it cached, once its cache entry lapses', async () => {
    const replica = await startTestApi({ SESSION_CHECK_CACHE_MS: '200' });
    try {
      // A second api over its own database cannot see this session: use one api's user there.
      const user = await replica.signUp();
      const call = client(replica.baseUrl, user.token);
      assert.equal((await call('GET', '/api/v1/tasks')).status, 200);
      // Sign-out straight in the database, as another replica's sign-out would look here.
      await replica.api.sequelize.query('DELETE FROM "session" WHERE "userId" = $1', {
        bind: [user.userId],
      });
      const started = Date.now();
      let status = 200;
      while (status === 200 && Date.now() - started < 5000) {
        await new Promise((r) => setTimeout(r, 50));
        status = (await call('GET', '/api/v1/tasks')).status;
      }
      assert.equal(status, 401);
      assert.ok(Date.now() - started < 1000, `refused within ${Date.now() - started} ms`);
    } finally {
      await replica.stop();
    }
  });
});
