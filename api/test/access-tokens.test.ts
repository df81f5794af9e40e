import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type {
  CreatedPersonalAccessToken,
  PersonalAccessTokenList,
  Task,
  TaskPage,
} from '@todo/contracts';
import { assertError, client, startTestApi, type TestApi } from './helpers.js';

describe('personal access tokens', () => {
  let t: TestApi;
  let call: ReturnType<typeof client>;

  const create = async (name: string, scope: 'read' | 'write') => {
    const response = await call<CreatedPersonalAccessToken>('POST', '/api/v1/users/me/tokens', {
      name,
      scope,
    });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response;
  };

  before(async () => {
    t = await startTestApi();
    call = client(t.baseUrl, (await t.signUp()).token);
  });
  after(() => t.stop());

  it('creates a named, scoped token shown once, and keeps only its SHA-256', async () => {
    const { body: created, headers } = await create('  Laptop script ', 'write');
    assert.match(created.token, /^todo_pat_[A-Za-z0-9_-]{43}$/);
    assert.equal(created.name, 'Laptop script');
    assert.equal(created.scope, 'write');
    assert.equal(created.hint, created.token.slice(0, 13));
    assert.equal(created.lastUsedAt, null);
    assert.equal(headers.get('cache-control'), 'no-store');
    assert.equal(headers.get('location'), `/api/v1/users/me/tokens/${created.id}`);

    const list = await call<PersonalAccessTokenList>('GET', '/api/v1/users/me/tokens');
    assert.equal(list.status, 200);
    const listed = list.body.items.find((item) => item.id === created.id);
    assert.ok(listed);
    assert.equal('token' in listed, false, 'the secret is never listed');
    assert.equal(JSON.stringify(list.body).includes(created.token), false);

    const [rows] = await t.api.sequelize.query(
      'SELECT token_hash FROM personal_access_tokens WHERE id = $1',
      { bind: [created.id] },
    );
    assert.deepEqual(rows, [
      { token_hash: createHash('sha256').update(created.token).digest('hex') },
    ]);
  });

  it('authenticates REST like a JWT: a write token reads and writes as its user', async () => {
    const { body: created } = await create('CLI', 'write');
    const pat = client(t.baseUrl, created.token);
    const made = await pat<Task>('POST', '/api/v1/tasks', { title: 'Made by a script' });
    assert.equal(made.status, 201);
    const mine = await call<TaskPage>('GET', '/api/v1/tasks?q=script');
    assert.deepEqual(
      mine.body.items.map((task) => task.title),
      ['Made by a script'],
      'the owner sees the task the token made',
    );
    assert.equal((await pat('POST', `/api/v1/tasks/${made.body.id}/complete`)).status, 200);
  });

  it('a read token reads, and is refused every write with a 403 naming its scope', async () => {
    const { body: created } = await create('Dashboard', 'read');
    const pat = client(t.baseUrl, created.token);
    assert.equal((await pat('GET', '/api/v1/tasks')).status, 200);
    const refused = assertError(
      await pat('POST', '/api/v1/tasks', { title: 'Should not exist' }),
      403,
      'FORBIDDEN',
    );
    assert.match(refused.message, /"read" scope/);
    assert.match(refused.message, /"write"/);
    assertError(
      await pat('PATCH', '/api/v1/users/me/notifications', { emailEnabled: false }),
      403,
      'FORBIDDEN',
    );
    const titles = (await call<TaskPage>('GET', '/api/v1/tasks?q=Should')).body.items;
    assert.deepEqual(titles, [], 'nothing was written');
  });

  it('records when a token was last used, at most once a minute', async () => {
    const { body: created } = await create('Poller', 'read');
    const pat = client(t.baseUrl, created.token);
    const before = Date.now();
    await pat('GET', '/api/v1/tasks');
    const lastUsed = async () =>
      (await call<PersonalAccessTokenList>('GET', '/api/v1/users/me/tokens')).body.items.find(
        (item) => item.id === created.id,
      )!.lastUsedAt;
    const first = await lastUsed();
    assert.ok(first && Date.parse(first) >= before - 1000, `last used ${first}`);
    await pat('GET', '/api/v1/tasks');
    assert.equal(await lastUsed(), first, 'a second use within the minute writes nothing');
    // A minute later (the row aged by hand), the next use is recorded again.
    await t.api.sequelize.query(
      `UPDATE personal_access_tokens SET last_used_at = now() - interval '2 minutes' WHERE id = $1`,
      { bind: [created.id] },
    );
    await pat('GET', '/api/v1/tasks');
    assert.ok(Date.parse((await lastUsed())!) >= before - 1000);
    assert.notEqual(await lastUsed(), first);
  });

  it('a revoked token is refused on its very next request', async () => {
    const { body: created } = await create('Old', 'write');
    const pat = client(t.baseUrl, created.token);
    assert.equal((await pat('GET', '/api/v1/tasks')).status, 200);
    assert.equal((await call('DELETE', `/api/v1/users/me/tokens/${created.id}`)).status, 204);
    const refused = assertError(await pat('GET', '/api/v1/tasks'), 401, 'UNAUTHENTICATED');
    assert.match(refused.message, /revoked/);
    assertError(await call('DELETE', `/api/v1/users/me/tokens/${created.id}`), 404, 'NOT_FOUND');
    const ids = (
      await call<PersonalAccessTokenList>('GET', '/api/v1/users/me/tokens')
    ).body.items.map((item) => item.id);
    assert.equal(ids.includes(created.id), false);
  });

  it('refuses forged tokens, and another user cannot see or revoke mine', async () => {
    const { body: created } = await create('Mine', 'write');
    assertError(
      await client(t.baseUrl, `${created.token.slice(0, -2)}xx`)('GET', '/api/v1/tasks'),
      401,
      'UNAUTHENTICATED',
    );
    const other = client(t.baseUrl, (await t.signUp()).token);
    assert.deepEqual(
      (await other<PersonalAccessTokenList>('GET', '/api/v1/users/me/tokens')).body.items,
      [],
    );
    assertError(await other('DELETE', `/api/v1/users/me/tokens/${created.id}`), 404, 'NOT_FOUND');
    assert.equal((await client(t.baseUrl, created.token)('GET', '/api/v1/tasks')).status, 200);
  });

  it('a token cannot manage tokens or the calendar feed (only a signed-in session can)', async () => {
    const { body: created } = await create('Agent', 'write');
    const pat = client(t.baseUrl, created.token);
    assertError(await pat('GET', '/api/v1/users/me/tokens'), 403, 'FORBIDDEN');
    assertError(
      await pat('POST', '/api/v1/users/me/tokens', { name: 'more', scope: 'write' }),
      403,
      'FORBIDDEN',
    );
    assertError(await pat('DELETE', `/api/v1/users/me/tokens/${created.id}`), 403, 'FORBIDDEN');
    assertError(await pat('POST', '/api/v1/users/me/calendar-feed'), 403, 'FORBIDDEN');
  });

  it('bad input is a 400 naming the field', async () => {
    assertError(
      await call('POST', '/api/v1/users/me/tokens', { scope: 'admin' }),
      400,
      'VALIDATION_FAILED',
      ['name', 'scope'],
    );
    assertError(
      await call('POST', '/api/v1/users/me/tokens', { name: 'x'.repeat(101), scope: 'read' }),
      400,
      'VALIDATION_FAILED',
      ['name'],
    );
    assertError(
      await call('DELETE', '/api/v1/users/me/tokens/not-a-uuid'),
      400,
      'VALIDATION_FAILED',
      ['id'],
    );
  });
});
