import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Task, TaskPage } from '@todo/contracts';
import { assertError, client, startTestApi, type TestApi } from './helpers.js';

type Case = [
  name: string,
  method: string,
  path: string,
  body: unknown,
  status: number,
  code: string,
  fields: string[],
];

describe('bad input gets a clear 4xx naming the problem and changes nothing', () => {
  let t: TestApi;
  let token: string;
  let call: ReturnType<typeof client>;
  let task: Task;

  before(async () => {
    t = await startTestApi({ BODY_LIMIT: '10kb' });
    token = (await t.signUp()).token;
    call = client(t.baseUrl, token);
    task = (await call<Task>('POST', '/api/v1/tasks', { title: 'Keep me' })).body;
  });
  after(() => t.stop());

  const weekly = { frequency: 'weekly', maxOccurrences: 3 };
  const cases = (): Case[] => [
    ['missing title', 'POST', '/api/v1/tasks', {}, 400, 'VALIDATION_FAILED', ['title']],
    ['empty title', 'POST', '/api/v1/tasks', { title: '   ' }, 400, 'VALIDATION_FAILED', ['title']],
    [
      'title over 255',
      'POST',
      '/api/v1/tasks',
      { title: 'x'.repeat(256) },
      400,
      'VALIDATION_FAILED',
      ['title'],
    ],
    [
      'wrong types',
      'POST',
      '/api/v1/tasks',
      { title: 42, tags: 'home', reminderOffset: 'soon' },
      400,
      'VALIDATION_FAILED',
      ['title', 'tags', 'reminderOffset'],
    ],
    [
      'unknown field',
      'POST',
      '/api/v1/tasks',
      { title: 'ok', owner: 'me' },
      400,
      'VALIDATION_FAILED',
      ['owner'],
    ],
    [
      'invalid date',
      'POST',
      '/api/v1/tasks',
      { title: 'ok', dueDate: '2030-02-30T25:00:00Z' },
      400,
      'VALIDATION_FAILED',
      ['dueDate'],
    ],
    [
      'not a date',
      'POST',
      '/api/v1/tasks',
      { title: 'ok', dueDate: 'next tuesday' },
      400,
      'VALIDATION_FAILED',
      ['dueDate'],
    ],
    [
      'bad priority',
      'POST',
      '/api/v1/tasks',
      { title: 'ok', priority: 'urgent' },
      400,
      'VALIDATION_FAILED',
      ['priority'],
    ],
    [
      'negative offset',
      'POST',
      '/api/v1/tasks',
      { title: 'ok', reminderOffset: -5 },
      400,
      'VALIDATION_FAILED',
      ['reminderOffset'],
    ],
    [
      'duplicate tags',
      'POST',
      '/api/v1/tasks',
      { title: 'ok', tags: ['a', 'a'] },
      400,
      'VALIDATION_FAILED',
      ['tags.1'],
    ],
    [
      'recurrence with both ends',
      'POST',
      '/api/v1/tasks',
      {
        title: 'ok',
        recurrence: { frequency: 'daily', maxOccurrences: 2, endDate: '2031-01-01T00:00:00Z' },
      },
      400,
      'VALIDATION_FAILED',
      ['recurrence'],
    ],
    [
      'monthday 0',
      'POST',
      '/api/v1/tasks',
      { title: 'ok', recurrence: { frequency: 'monthly', byMonthday: 0 } },
      400,
      'VALIDATION_FAILED',
      ['recurrence.byMonthday'],
    ],
    [
      'monthday -2',
      'PUT',
      `/api/v1/tasks/${task.id}/recurrence`,
      { frequency: 'monthly', byMonthday: -2 },
      400,
      'VALIDATION_FAILED',
      ['byMonthday'],
    ],
    [
      'custom rule with its own COUNT beside maxOccurrences',
      'PUT',
      `/api/v1/tasks/${task.id}/recurrence`,
      { frequency: 'custom', rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=5', maxOccurrences: 3 },
      400,
      'VALIDATION_FAILED',
      ['rrule'],
    ],
    [
      'preferences: timezoneChosen not a boolean',
      'PATCH',
      '/api/v1/users/me/notifications',
      { timezoneChosen: 'maybe' },
      400,
      'VALIDATION_FAILED',
      ['timezoneChosen'],
    ],
    [
      'weekday 7',
      'POST',
      '/api/v1/tasks',
      { title: 'ok', recurrence: { ...weekly, byWeekday: [1, 7] } },
      400,
      'VALIDATION_FAILED',
      ['recurrence.byWeekday.1'],
    ],
    [
      'weekday -1',
      'POST',
      '/api/v1/tasks',
      { title: 'ok', recurrence: { ...weekly, byWeekday: [-1] } },
      400,
      'VALIDATION_FAILED',
      ['recurrence.byWeekday.0'],
    ],
    [
      'monthday 32',
      'POST',
      '/api/v1/tasks',
      { title: 'ok', recurrence: { frequency: 'monthly', byMonthday: 32, maxOccurrences: 2 } },
      400,
      'VALIDATION_FAILED',
      ['recurrence.byMonthday'],
    ],
    [
      'interval 0',
      'POST',
      '/api/v1/tasks',
      { title: 'ok', recurrence: { frequency: 'daily', interval: 0, maxOccurrences: 2 } },
      400,
      'VALIDATION_FAILED',
      ['recurrence.interval'],
    ],
    [
      'custom without rrule',
      'POST',
      '/api/v1/tasks',
      { title: 'ok', recurrence: { frequency: 'custom', maxOccurrences: 2 } },
      400,
      'VALIDATION_FAILED',
      ['recurrence.rrule'],
    ],
    [
      'body is an array',
      'POST',
      '/api/v1/tasks',
      [{ title: 'ok' }],
      400,
      'VALIDATION_FAILED',
      ['body'],
    ],
    ['body is null', 'POST', '/api/v1/tasks', 'null', 400, 'MALFORMED_JSON', []],
    ['malformed JSON', 'POST', '/api/v1/tasks', '{"title": "oops",', 400, 'MALFORMED_JSON', []],
    ['empty patch', 'PATCH', `/api/v1/tasks/${task.id}`, {}, 400, 'VALIDATION_FAILED', []],
    [
      'patch status deleted',
      'PATCH',
      `/api/v1/tasks/${task.id}`,
      { status: 'deleted' },
      400,
      'VALIDATION_FAILED',
      ['status'],
    ],
    [
      'patch unknown field',
      'PATCH',
      `/api/v1/tasks/${task.id}`,
      { version: 9 },
      400,
      'VALIDATION_FAILED',
      ['version'],
    ],
    ['non-UUID id', 'GET', '/api/v1/tasks/42', undefined, 400, 'VALIDATION_FAILED', ['id']],
    [
      'non-UUID id on complete',
      'POST',
      '/api/v1/tasks/not-a-uuid/complete',
      undefined,
      400,
      'VALIDATION_FAILED',
      ['id'],
    ],
    [
      'unknown task',
      'GET',
      '/api/v1/tasks/00000000-0000-4000-8000-000000000000',
      undefined,
      404,
      'NOT_FOUND',
      [],
    ],
    [
      'bad query types',
      'GET',
      '/api/v1/tasks?limit=abc&dueBefore=soon&status=done',
      undefined,
      400,
      'VALIDATION_FAILED',
      ['limit', 'dueBefore', 'status'],
    ],
    [
      'limit too large',
      'GET',
      '/api/v1/tasks?limit=10000',
      undefined,
      400,
      'VALIDATION_FAILED',
      ['limit'],
    ],
    ['unknown route', 'GET', '/api/v1/nope', undefined, 404, 'NOT_FOUND', []],
  ];

  it('answers each case with its status, code and field names', async () => {
    for (const [name, method, path, body, status, code, fields] of cases()) {
      await it(name, async () => {
        assertError(await call(method, path, body), status, code, fields);
      });
    }
  });

  it('rejects a body over the size limit with 413', async () => {
    const res = await call('POST', '/api/v1/tasks', {
      title: 'big',
      description: 'x'.repeat(20_000),
    });
    assertError(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('rejects a non-JSON body with 415', async () => {
    const res = await fetch(`${t.baseUrl}/api/v1/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: 'title=milk',
    });
    assert.equal(res.status, 415);
    assert.equal(((await res.json()) as { error: string }).error, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('rejects an unparseable If-Match', async () => {
    assertError(
      await call('PATCH', `/api/v1/tasks/${task.id}`, { title: 'x' }, { 'if-match': 'banana' }),
      400,
      'VALIDATION_FAILED',
      ['If-Match'],
    );
  });

  it('lost nothing: the one valid task is unchanged and no stray task was created', async () => {
    const page = (await call<TaskPage>('GET', '/api/v1/tasks?status=all')).body;
    assert.deepEqual(
      page.items.map((x) => [x.id, x.title, x.version]),
      [[task.id, 'Keep me', 1]],
    );
  });
});

describe('rate limiting', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi({ RATE_LIMIT_PER_MINUTE: '5' });
  });
  after(() => t.stop());

  it('answers 429 with the error shape past the per-user limit, and only for that user', async () => {
    const heavy = client(t.baseUrl, (await t.signUp()).token);
    const light = client(t.baseUrl, (await t.signUp()).token);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) statuses.push((await heavy('GET', '/api/v1/tasks')).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
    const limited = await heavy('GET', '/api/v1/tasks');
    assertError(limited, 429, 'RATE_LIMITED');
    assert.ok(limited.headers.get('ratelimit'), 'standard RateLimit header present');
    assert.equal((await light('GET', '/api/v1/tasks')).status, 200);
  });

  it('grants the budget once across replicas behind a load balancer, not once per replica', async () => {
    const replica = await startTestApi({ RATE_LIMIT_PER_MINUTE: '5' }, { replicaOf: t });
    try {
      const { token } = await t.signUp();
      const viaFirst = client(t.baseUrl, token);
      const viaSecond = client(replica.baseUrl, token);
      const statuses: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        statuses.push((await viaFirst('GET', '/api/v1/tasks')).status);
        statuses.push((await viaSecond('GET', '/api/v1/tasks')).status);
      }
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
    } finally {
      await replica.stop();
    }
  });
});
