import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type {
  CompleteTaskResult,
  NotificationPreferences,
  RecurrencePattern,
  Task,
} from '@todo/contracts';
import { advanceSeries, assertError, client, startTestApi, type TestApi } from './helpers.js';

const DAY = 86_400_000;

describe('open-ended series, last day of the month, and the user’s time zone', () => {
  let t: TestApi;

  before(async () => {
    t = await startTestApi();
  });
  after(() => t.stop());

  async function newUser() {
    return client(t.baseUrl, (await t.signUp()).token);
  }

  /** Completes `task` and delivers the `occurrence.due` the recurrence worker would publish. */
  async function completeAndAdvance(call: ReturnType<typeof client>, task: Task) {
    const completed = await call<CompleteTaskResult>('POST', `/api/v1/tasks/${task.id}/complete`);
    assert.equal(completed.status, 200);
    const next = await advanceSeries(t.baseUrl, call, task.id);
    return { promised: completed.body.nextInstance, next };
  }

  it('a daily series with no end: 201 without an end, and every completion has a successor', async () => {
    const call = await newUser();
    const due = new Date(Date.now() + 3_600_000);
    const created = await call<Task>('POST', '/api/v1/tasks', {
      title: 'Water the plants',
      dueDate: due.toISOString(),
      recurrence: { frequency: 'daily' },
    });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.recurrence, { frequency: 'daily', interval: 1, anchor: 'due' });

    let task = created.body;
    for (let step = 1; step <= 3; step += 1) {
      const { promised, next } = await completeAndAdvance(call, task);
      const expected = new Date(due.getTime() + step * DAY).toISOString();
      assert.equal(promised?.scheduledFor, expected, `completion ${step} promises the next day`);
      assert.equal(next.created, true, `completion ${step} created an instance`);
      assert.equal(next.task?.dueDate, expected);
      assert.equal(next.task?.occurrenceIndex, step + 1);
      assert.deepEqual(next.task?.recurrence, created.body.recurrence);
      task = next.task!;
    }
    // The series view lists the instances that exist — four — never the future ones.
    const { body: series } = await call<{ items: Task[] }>(
      'GET',
      `/api/v1/tasks/${created.body.id}/instances`,
    );
    assert.deepEqual(
      series.items.map((i) => [i.occurrenceIndex, i.status]),
      [
        [1, 'completed'],
        [2, 'completed'],
        [3, 'completed'],
        [4, 'pending'],
      ],
    );
    // The pattern reads back without an end, and PUT accepts one without an end too.
    const pattern = await call<RecurrencePattern>('GET', `/api/v1/tasks/${task.id}/recurrence`);
    assert.deepEqual(pattern.body, { frequency: 'daily', interval: 1, anchor: 'due' });
    const weekly = await call<RecurrencePattern>('PUT', `/api/v1/tasks/${task.id}/recurrence`, {
      frequency: 'weekly',
      byWeekday: [2],
    });
    assert.equal(weekly.status, 200);
    assert.equal(weekly.body.endDate, undefined);
    assert.equal(weekly.body.maxOccurrences, undefined);
  });

  it('both ends at once is a 400 naming both fields', async () => {
    const call = await newUser();
    const res = await call('POST', '/api/v1/tasks', {
      title: 'x',
      recurrence: { frequency: 'daily', endDate: '2031-01-01T00:00:00Z', maxOccurrences: 3 },
    });
    assertError(res, 400, 'VALIDATION_FAILED', ['recurrence']);
    assert.match(JSON.stringify(res.body), /at most one of endDate or maxOccurrences/);
  });

  it('monthly on the last day: 31 Jan → 28 Feb → 31 Mar, and 29 Feb in a leap year', async () => {
    const call = await newUser();
    for (const [recurrence, firstDue, expected] of [
      [
        { frequency: 'monthly', byMonthday: -1 },
        '2027-01-31T09:00:00.000Z',
        ['2027-02-28T09:00:00.000Z', '2027-03-31T09:00:00.000Z', '2027-04-30T09:00:00.000Z'],
      ],
      // "monthly" on a task due the 31st keeps the 31st, or the month's last day when shorter.
      [
        { frequency: 'monthly' },
        '2028-01-31T09:00:00.000Z',
        ['2028-02-29T09:00:00.000Z', '2028-03-31T09:00:00.000Z', '2028-04-30T09:00:00.000Z'],
      ],
    ] as const) {
      let { body: task } = await call<Task>('POST', '/api/v1/tasks', {
        title: 'Pay the rent',
        dueDate: firstDue,
        recurrence,
      });
      const dues: (string | null | undefined)[] = [];
      for (let step = 0; step < expected.length; step += 1) {
        const { promised, next } = await completeAndAdvance(call, task);
        assert.equal(promised?.scheduledFor, next.task?.dueDate);
        dues.push(next.task?.dueDate);
        task = next.task!;
      }
      assert.deepEqual(dues, expected, JSON.stringify(recurrence));
    }
  });

  it('a custom rule’s own COUNT becomes the series’ end instead of being dropped', async () => {
    const call = await newUser();
    const { body: task } = await call<Task>('POST', '/api/v1/tasks', { title: 'Physio' });
    const put = await call<RecurrencePattern>('PUT', `/api/v1/tasks/${task.id}/recurrence`, {
      frequency: 'custom',
      rrule: 'freq=weekly;byday=tu;count=4', // names are case-insensitive (RFC 5545)
    });
    assert.equal(put.status, 200);
    assert.equal(put.body.rrule, 'FREQ=WEEKLY;BYDAY=TU');
    assert.equal(put.body.maxOccurrences, 4);
  });

  it('preferences: UTC and not chosen by default; adoption keeps it unchosen; a choice sticks', async () => {
    const call = await newUser();
    const prefs = () => call<NotificationPreferences>('GET', '/api/v1/users/me/notifications');
    const patch = (body: Partial<NotificationPreferences>) =>
      call<NotificationPreferences>('PATCH', '/api/v1/users/me/notifications', body);
    const zone = (p: NotificationPreferences) => [p.timezone, p.timezoneChosen];

    assert.deepEqual(zone((await prefs()).body), ['UTC', false]);
    // An app adopting the device's zone silently.
    assert.deepEqual(
      zone((await patch({ timezone: 'Asia/Kolkata', timezoneChosen: false })).body),
      ['Asia/Kolkata', false],
    );
    assert.deepEqual(zone((await prefs()).body), ['Asia/Kolkata', false]);
    // A zone sent without timezoneChosen is a person's choice.
    assert.deepEqual(zone((await patch({ timezone: 'Europe/Berlin' })).body), [
      'Europe/Berlin',
      true,
    ]);
    // Another device adopting its zone afterwards changes nothing of the choice…
    const adopted = await patch({
      timezone: 'America/New_York',
      timezoneChosen: false,
      pushEnabled: false,
    });
    assert.deepEqual(zone(adopted.body), ['Europe/Berlin', true]);
    assert.equal(adopted.body.pushEnabled, false, 'the rest of that change still applies');
    // …until the user asks to follow their device again.
    assert.deepEqual(zone((await patch({ timezoneChosen: false })).body), ['Europe/Berlin', false]);
    assert.deepEqual(
      zone((await patch({ timezone: 'America/New_York', timezoneChosen: false })).body),
      ['America/New_York', false],
    );
    // Choosing explicitly with the flag, and keeping the current zone as a choice.
    assert.deepEqual(zone((await patch({ timezone: 'Asia/Tokyo', timezoneChosen: true })).body), [
      'Asia/Tokyo',
      true,
    ]);
    assertError(await patch({ timezone: 'Mars/Olympus' }), 400, 'VALIDATION_FAILED', ['timezone']);
    assertError(
      await patch({ timezone: 'Nowhere/Land', timezoneChosen: false }),
      400,
      'VALIDATION_FAILED',
      ['timezone'],
    );
    assert.deepEqual(zone((await prefs()).body), ['Asia/Tokyo', true]);
  });

  it('the next instance and its reminder keep 09:00 in the saved zone across DST', async () => {
    // 2027-03-28 is the last Sunday of March: Berlin moves from CET (+1) to CEST (+2).
    const berlin = await newUser();
    await berlin('PATCH', '/api/v1/users/me/notifications', {
      timezone: 'Europe/Berlin',
      timezoneChosen: false,
    });
    const utc = await newUser();
    const body = {
      title: 'Sunday run',
      dueDate: '2027-03-21T08:00:00Z', // 09:00 in Berlin
      reminderOffset: 60,
      recurrence: { frequency: 'weekly' },
    };
    const { body: inBerlin } = await berlin<Task>('POST', '/api/v1/tasks', body);
    // "weekly" took its day from the due date in the user's zone: Sunday (6).
    assert.deepEqual(inBerlin.recurrence?.byWeekday, [6]);
    const { promised, next } = await completeAndAdvance(berlin, inBerlin);
    assert.equal(promised?.scheduledFor, '2027-03-28T07:00:00.000Z');
    assert.equal(next.task?.dueDate, '2027-03-28T07:00:00.000Z', '09:00 CEST');
    assert.equal(next.task?.reminderAt, '2027-03-28T06:00:00.000Z', 'an hour before, at 08:00');

    // The same request from a UTC user keeps 08:00 UTC.
    const { body: inUtc } = await utc<Task>('POST', '/api/v1/tasks', body);
    const fromUtc = await completeAndAdvance(utc, inUtc);
    assert.equal(fromUtc.next.task?.dueDate, '2027-03-28T08:00:00.000Z');
  });

  it('a half-hour zone: the last day of the month at 02:00 in Kolkata', async () => {
    const call = await newUser();
    await call('PATCH', '/api/v1/users/me/notifications', { timezone: 'Asia/Kolkata' });
    // 2027-01-31 02:00 IST is 2027-01-30T20:30Z: in UTC that would be the 30th.
    let { body: task } = await call<Task>('POST', '/api/v1/tasks', {
      title: 'Close the books',
      dueDate: '2027-01-31T02:00:00+05:30',
      recurrence: { frequency: 'monthly' },
    });
    assert.equal(task.recurrence?.byMonthday, 31);
    const dues: (string | null | undefined)[] = [];
    for (let step = 0; step < 2; step += 1) {
      const { next } = await completeAndAdvance(call, task);
      dues.push(next.task?.dueDate);
      task = next.task!;
    }
    assert.deepEqual(dues, ['2027-02-27T20:30:00.000Z', '2027-03-30T20:30:00.000Z']);
  });
});
