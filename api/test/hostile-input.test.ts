import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { TAG_MAX, TITLE_MAX, type Task } from '@todo/contracts';
import { assertError, client, startTestApi, type TestApi } from './helpers.js';

/** A raw request (any method, any bytes) answered as status, headers and parsed JSON. */
function raw(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: Buffer | string,
): Promise<{ status: number; headers: Record<string, unknown>; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
        });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const fieldsOf = (body: Record<string, unknown>) =>
  ((body.details as { field: string }[] | undefined) ?? []).map((d) => d.field);

describe('hostile input gets a 4xx naming the field, never a 500 (issue 13: defects 5, 8, 9)', () => {
  let t: TestApi;
  let token: string;
  let call: ReturnType<typeof client>;

  before(async () => {
    t = await startTestApi();
    token = (await t.signUp()).token;
    call = client(t.baseUrl, token);
    // Enough tasks for a second page, so cursors are exercised against real rows.
    for (const title of ['one', 'two', 'three'])
      await call('POST', '/api/v1/tasks', { title, dueDate: '2030-01-01T09:00:00Z' });
  });
  after(() => t.stop());

  it('refuses NUL characters in a title, description, tag and chat message', async () => {
    const nul = 'a\u0000b';
    assertError(await call('POST', '/api/v1/tasks', { title: nul }), 400, 'VALIDATION_FAILED', [
      'title',
    ]);
    assertError(
      await call('POST', '/api/v1/tasks', { title: 'ok', description: nul }),
      400,
      'VALIDATION_FAILED',
      ['description'],
    );
    assertError(
      await call('POST', '/api/v1/tasks', { title: 'ok', tags: ['fine', nul] }),
      400,
      'VALIDATION_FAILED',
      ['tags.1'],
    );
    assertError(await call('POST', '/api/v1/chat', { message: nul }), 400, 'VALIDATION_FAILED', [
      'message',
    ]);
    assertError(await call('GET', '/api/v1/tasks?q=a%00b'), 400, 'VALIDATION_FAILED', ['q']);
  });

  it('refuses a lone UTF-16 surrogate, as JSON escapes it', async () => {
    const response = await call('POST', '/api/v1/tasks', '{"title":"x\\ud800y"}');
    assertError(response, 400, 'VALIDATION_FAILED', ['title']);
    const paired = await call<Task>('POST', '/api/v1/tasks', '{"title":"x\\ud83d\\ude00y"}');
    assert.equal(paired.status, 201, 'a proper surrogate pair (an emoji) is fine');
  });

  it('takes a title, tag and description of emoji up to their limits in characters, intact', async () => {
    // 😀 is one character but two UTF-16 code units: the documented maxLength and the database
    // count characters, and so must the api (ADR 180).
    const emoji = '\u{1F600}';
    const body = {
      title: emoji.repeat(TITLE_MAX),
      description: `${emoji}e\u0301`.repeat(10),
      tags: [emoji.repeat(TAG_MAX)],
    };
    const created = await call<Task>('POST', '/api/v1/tasks', body);
    assert.equal(created.status, 201);
    const read = await call<Task>('GET', `/api/v1/tasks/${created.body.id}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.title, body.title);
    assert.equal(read.body.description, body.description);
    assert.deepEqual(read.body.tags, body.tags);
    assertError(
      await call('PATCH', `/api/v1/tasks/${created.body.id}`, {
        title: emoji.repeat(TITLE_MAX + 1),
      }),
      400,
      'VALIDATION_FAILED',
      ['title'],
    );
  });

  it('refuses forged, edited and overflowing list cursors', async () => {
    const id = '6ba7b810-9dad-41d1-80b4-00c04fd430c8';
    const forged = [
      ['dueDate', cursorOf({ k: 'yesterday', id })],
      ['dueDate', cursorOf({ k: '2030-02-30 09:00:00+00', id })],
      ['dueDate', cursorOf({ k: '0000-01-01 00:00:00+00', id })],
      ['priority', cursorOf({ k: '99999999', id })],
      ['title', cursorOf({ k: 'a\u0000', id })],
      ['title', cursorOf({ k: 'a', id: '------------------------------------' })],
      ['-createdAt', 'not a cursor at all'],
    ] as const;
    for (const [sort, cursor] of forged) {
      const response = await call(
        'GET',
        `/api/v1/tasks?sort=${sort}&cursor=${encodeURIComponent(cursor)}`,
      );
      assertError(response, 400, 'VALIDATION_FAILED', ['cursor']);
    }
    const first = await call<{ nextCursor: string }>('GET', '/api/v1/tasks?sort=dueDate&limit=1');
    const second = await call(
      'GET',
      `/api/v1/tasks?sort=dueDate&limit=1&cursor=${first.body.nextCursor}`,
    );
    assert.equal(second.status, 200, 'a real cursor still pages');
  });

  it('refuses a change-feed cursor past the largest bigint', async () => {
    assertError(
      await call('GET', '/api/v1/tasks/changes?since=9223372036854775808'),
      400,
      'VALIDATION_FAILED',
      ['since'],
    );
    assert.equal(
      (await call('GET', '/api/v1/tasks/changes?since=9223372036854775807')).status,
      200,
    );
  });

  it('refuses dates outside years 1-9999 and days a month does not have', async () => {
    assertError(
      await call('GET', '/api/v1/tasks?dueAfter=0000-01-01T00:00:00Z'),
      400,
      'VALIDATION_FAILED',
      ['dueAfter'],
    );
    const impossible = await call('POST', '/api/v1/tasks', {
      title: 'never',
      dueDate: '2026-02-30T09:00:00Z',
    });
    assertError(impossible, 400, 'VALIDATION_FAILED', ['dueDate']);
    assertError(
      await call('POST', '/api/v1/tasks', { title: 'never', dueDate: '2027-02-29T09:00:00Z' }),
      400,
      'VALIDATION_FAILED',
      ['dueDate'],
    );
    const leap = await call<Task>('POST', '/api/v1/tasks', {
      title: 'leap day',
      dueDate: '2028-02-29T09:00:00Z',
    });
    assert.equal(leap.status, 201);
    assert.equal(leap.body.dueDate, '2028-02-29T09:00:00.000Z', 'stored as sent, not shifted');
  });

  it('answers a corrupt gzip body with 400 naming the body', async () => {
    const headers = {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    };
    const corrupt = await raw(t.baseUrl, 'POST', '/api/v1/tasks', headers, 'not gzip at all');
    assert.equal(corrupt.status, 400, JSON.stringify(corrupt.body));
    assert.equal(corrupt.body.error, 'MALFORMED_JSON');
    assert.deepEqual(fieldsOf(corrupt.body), ['body']);
    const good = await raw(
      t.baseUrl,
      'POST',
      '/api/v1/tasks',
      headers,
      gzipSync('{"title":"zipped"}'),
    );
    assert.equal(good.status, 201, 'a real gzip body is read');
  });

  it('answers unknown methods on known paths with 405 and Allow', async () => {
    const trace = await raw(t.baseUrl, 'TRACE', '/api/auth/token');
    assert.equal(trace.status, 405, JSON.stringify(trace.body));
    assert.equal(trace.body.error, 'METHOD_NOT_ALLOWED');
    assert.equal(trace.headers.allow, 'GET, HEAD');

    const auth = { authorization: `Bearer ${token}` };
    const put = await raw(t.baseUrl, 'PUT', '/api/v1/tasks', auth);
    assert.equal(put.status, 405);
    assert.equal(put.headers.allow, 'GET, HEAD, POST');
    const traceTask = await raw(
      t.baseUrl,
      'TRACE',
      '/api/v1/tasks/6ba7b810-9dad-41d1-80b4-00c04fd430c8/reminder',
      auth,
    );
    assert.equal(traceTask.status, 405);
    assert.equal(traceTask.headers.allow, 'GET, HEAD, PATCH');
    const unknown = await raw(t.baseUrl, 'GET', '/api/v1/nothing-here', auth);
    assert.equal(unknown.status, 404, 'an unknown path is still a 404');
  });

  it('takes every RFC 4122 UUID the OpenAPI document allows as an id', async () => {
    for (const id of [
      '6ba7b810-9dad-11d1-80b4-00c04fd430c8', // version 1
      '00000000-0000-0000-0000-000000000000', // nil
      '6ba7b810-9dad-31d1-80b4-00c04fd430c8', // version 3
      'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', // upper case
    ]) {
      assertError(await call('GET', `/api/v1/tasks/${id}`), 404, 'NOT_FOUND');
    }
    assertError(
      await call('GET', '/api/v1/tasks/{6ba7b810-9dad-11d1-80b4-00c04fd430c8}'),
      400,
      'VALIDATION_FAILED',
      ['id'],
    );
  });
  it('refuses a custom rule that names no day, without freezing the api while it checks', async () => {
    // Each walks rrule's calendar to year 9999 when run on the main thread (50 s measured).
    for (const rrule of [
      'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
      'FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31',
      'FREQ=DAILY;BYMONTH=6;BYMONTHDAY=31;COUNT=3',
    ]) {
      const body = { title: 'never', recurrence: { frequency: 'custom', rrule } };
      const answer = call('POST', '/api/v1/tasks', body);
      // Another user's everyday request is answered while the rule is being checked.
      const health = await raw(t.baseUrl, 'GET', '/health');
      assert.equal(health.status, 200);
      assertError(await answer, 400, 'VALIDATION_FAILED', ['recurrence.rrule']);
    }
    const task = (await call('POST', '/api/v1/tasks', { title: 'a task' })).body as Task;
    assertError(
      await call('PUT', `/api/v1/tasks/${task.id}/recurrence`, {
        frequency: 'custom',
        rrule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31',
      }),
      400,
      'VALIDATION_FAILED',
      ['rrule'],
    );
    // A rare but real day still works: 29 February comes round every four years.
    const leap = await call('POST', '/api/v1/tasks', {
      title: 'leap day',
      dueDate: '2028-02-29T09:00:00Z',
      recurrence: { frequency: 'custom', rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29' },
    });
    assert.equal(leap.status, 201);
  });
});
