import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Task, TaskPage } from '@todo/contracts';
import { assertError, client, startTestApi, type TestApi } from './helpers.js';

describe('tasks: filters, search, sort and pagination', () => {
  let t: TestApi;
  let call: ReturnType<typeof client>;
  const ids: Record<string, string> = {};

  before(async () => {
    t = await startTestApi();
    const user = await t.signUp();
    call = client(t.baseUrl, user.token);
    const seed = [
      {
        title: 'Pay rent',
        priority: 'high',
        tags: ['home', 'money'],
        dueDate: '2030-03-01T09:00:00Z',
      },
      {
        title: 'Write 50% report',
        priority: 'medium',
        tags: ['work'],
        dueDate: '2030-02-10T09:00:00Z',
        description: 'quarterly numbers',
      },
      { title: 'Book dentist', priority: 'low', tags: ['health'] },
      {
        title: 'Review pull request',
        priority: 'high',
        tags: ['work'],
        dueDate: '2030-02-01T09:00:00Z',
      },
      { title: 'buy Bread', priority: 'low', tags: ['home'], dueDate: '2030-01-15T09:00:00Z' },
    ];
    for (const task of seed) {
      const { body } = await call<Task>('POST', '/api/v1/tasks', task);
      ids[task.title] = body.id;
    }
    await call('POST', `/api/v1/tasks/${ids['Book dentist']}/complete`);
  });
  after(() => t.stop());

  const titles = async (query: string) =>
    (await call<TaskPage>('GET', `/api/v1/tasks${query}`)).body.items.map((x) => x.title);

  it('filters by status, priority and tag', async () => {
    assert.deepEqual(await titles('?status=completed'), ['Book dentist']);
    assert.equal((await titles('?status=pending')).length, 4);
    assert.equal((await titles('?status=all')).length, 5);
    assert.deepEqual(await titles('?priority=high&sort=title'), [
      'Pay rent',
      'Review pull request',
    ]);
    assert.deepEqual(await titles('?tag=work&sort=title'), [
      'Review pull request',
      'Write 50% report',
    ]);
    assert.deepEqual(await titles('?tag=HOME&sort=title'), ['buy Bread', 'Pay rent']);
  });

  it('searches title and description, case-insensitively, treating % literally', async () => {
    assert.deepEqual(await titles('?q=BREAD'), ['buy Bread']);
    assert.deepEqual(await titles('?q=quarterly'), ['Write 50% report']);
    assert.deepEqual(await titles('?q=50%25'), ['Write 50% report']);
    // Punctuation is not a word: a search of punctuation alone finds nothing.
    assert.deepEqual(await titles('?q=%25'), []);
  });

  it('searches words in any order, ignoring punctuation, case and accents (full-text)', async () => {
    const book = (await call<Task>('POST', '/api/v1/tasks', { title: 'Thinking, Fast and Slow' }))
      .body;
    const cafe = (
      await call<Task>('POST', '/api/v1/tasks', {
        title: 'Café crème with Zoë',
        description: 'Ask about the Pâtisserie',
      })
    ).body;
    try {
      assert.deepEqual(await titles('?q=thinking%20fast'), ['Thinking, Fast and Slow']);
      assert.deepEqual(await titles('?q=slow,%20THINKING'), ['Thinking, Fast and Slow']);
      assert.deepEqual(await titles('?q=fast%20think'), ['Thinking, Fast and Slow']);
      assert.deepEqual(await titles('?q=thinking%20quick'), []);
      assert.deepEqual(await titles('?q=cafe%20zoe'), ['Café crème with Zoë']);
      assert.deepEqual(await titles('?q=CREME'), ['Café crème with Zoë']);
      assert.deepEqual(await titles('?q=patisserie'), ['Café crème with Zoë']);
    } finally {
      await call('DELETE', `/api/v1/tasks/${book.id}`);
      await call('DELETE', `/api/v1/tasks/${cafe.id}`);
    }
  });

  it('filters by due date range', async () => {
    assert.deepEqual(
      await titles('?dueAfter=2030-01-20T00:00:00Z&dueBefore=2030-02-15T00:00:00Z&sort=dueDate'),
      ['Review pull request', 'Write 50% report'],
    );
  });

  it('sorts by due date (undated last either way), priority and title', async () => {
    assert.deepEqual(await titles('?status=all&sort=dueDate'), [
      'buy Bread',
      'Review pull request',
      'Write 50% report',
      'Pay rent',
      'Book dentist',
    ]);
    assert.deepEqual(await titles('?status=all&sort=-dueDate'), [
      'Pay rent',
      'Write 50% report',
      'Review pull request',
      'buy Bread',
      'Book dentist',
    ]);
    // Ties are ordered by due date (soonest first, none last), then title.
    assert.deepEqual(await titles('?status=all&sort=-priority'), [
      'Review pull request',
      'Pay rent',
      'Write 50% report',
      'buy Bread',
      'Book dentist',
    ]);
    assert.deepEqual(await titles('?status=all&sort=priority'), [
      'buy Bread',
      'Book dentist',
      'Write 50% report',
      'Review pull request',
      'Pay rent',
    ]);
    assert.deepEqual(await titles('?status=all&sort=title'), [
      'Book dentist',
      'buy Bread',
      'Pay rent',
      'Review pull request',
      'Write 50% report',
    ]);
  });

  it('pages through every task exactly once with the cursor, for every sort', async () => {
    for (const sort of ['dueDate', '-dueDate', 'priority', '-priority', 'title', '-createdAt']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `?status=all&limit=2&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`;
        const page: TaskPage = (await call<TaskPage>('GET', `/api/v1/tasks${query}`)).body;
        seen.push(...page.items.map((x) => x.title));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor && pages < 10);
      assert.equal(pages, 3, `3 pages for sort ${sort}`);
      assert.deepEqual(
        [...seen].sort(),
        Object.keys(ids).sort(),
        `every task once for sort ${sort}`,
      );
      assert.deepEqual(
        seen,
        await titles(`?status=all&sort=${sort}`),
        `same order as one page for ${sort}`,
      );
    }
  });

  it('lists today, this week (from the given first day) and overdue in the saved zone', async () => {
    // A zone where it is daytime now, so "a minute ago" is still today there.
    const zone = ['UTC', 'Asia/Tokyo', 'America/New_York', 'Asia/Kolkata'].find((z) => {
      const hour = Number(
        new Intl.DateTimeFormat('en-US', { timeZone: z, hour: 'numeric', hourCycle: 'h23' }).format(
          new Date(),
        ),
      );
      return hour >= 2 && hour <= 21;
    })!;
    await call('PATCH', '/api/v1/users/me/notifications', { timezone: zone });
    const isoDay =
      ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(
        new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short' }).format(new Date()),
      ) + 1;
    const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
    const made: string[] = [];
    for (const [title, dueDate] of [
      ['a minute ago', inMinutes(-1)],
      ['in six days', inMinutes(6 * 1440)],
    ]) {
      made.push((await call<Task>('POST', '/api/v1/tasks', { title, dueDate })).body.id);
    }
    try {
      const due = (query: string) => titles(`${query}&sort=dueDate`);
      assert.deepEqual(await due('?due=today'), ['a minute ago']);
      // Weeks starting today hold the next six days; weeks starting tomorrow end tonight.
      assert.deepEqual(await due(`?due=week&weekStart=${isoDay}`), ['a minute ago', 'in six days']);
      assert.deepEqual(await due(`?due=week&weekStart=${(isoDay % 7) + 1}`), ['a minute ago']);
      assert.deepEqual(await due('?due=overdue&status=all'), ['a minute ago']);
      await call('POST', `/api/v1/tasks/${made[0]}/complete`);
      assert.deepEqual(await due('?due=overdue&status=all'), []);
      assertError(
        await call('GET', '/api/v1/tasks?due=overdue&status=completed'),
        400,
        'VALIDATION_FAILED',
        ['status'],
      );
      assertError(
        await call('GET', '/api/v1/tasks?due=soon&weekStart=8'),
        400,
        'VALIDATION_FAILED',
        ['due', 'weekStart'],
      );
    } finally {
      for (const id of made) await call('DELETE', `/api/v1/tasks/${id}`);
    }
  });

  it('returns a change-feed cursor with the list', async () => {
    const page = (await call<TaskPage>('GET', '/api/v1/tasks')).body;
    assert.match(page.changesCursor, /^\d+$/);
    assert.ok(Number(page.changesCursor) >= 6);
  });

  it('rejects a forged cursor and unknown filters with 400 naming them', async () => {
    assertError(await call('GET', '/api/v1/tasks?cursor=bm9wZQ'), 400, 'VALIDATION_FAILED', [
      'cursor',
    ]);
    assertError(
      await call('GET', '/api/v1/tasks?colour=red&limit=0&sort=size'),
      400,
      'VALIDATION_FAILED',
      ['colour', 'limit', 'sort'],
    );
  });
});
