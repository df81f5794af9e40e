import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ICAL from 'ical.js';
import rrulePackage from 'rrule';
import type { CalendarFeed, CreatedCalendarFeed, CreateTaskRequest, Task } from '@todo/contracts';
import { assertError, client, startTestApi, type TestApi } from './helpers.js';

const { RRule } = rrulePackage;

/** Parses a feed with ical.js, registering its VTIMEZONEs so zoned times convert to instants. */
function parse(text: string): ICAL.Component {
  const calendar = new ICAL.Component(ICAL.parse(text));
  ICAL.TimezoneService.reset();
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  return calendar;
}

const byUid = (calendar: ICAL.Component, kind: 'vtodo' | 'vevent', task: Task) => {
  const found = calendar
    .getAllSubcomponents(kind)
    .find((c) => c.getFirstPropertyValue('uid') === `${task.id}@todo-chatbot`);
  assert.ok(found, `${kind} of ${task.title}`);
  return found;
};

const instant = (t: ICAL.Time) => t.toJSDate().toISOString().slice(0, 19);
const seconds = (iso: string) => iso.slice(0, 19);

const time = (component: ICAL.Component, name: string) =>
  component.getFirstPropertyValue(name) as ICAL.Time;

/** The first `n` occurrences of `component`'s RRULE as instants (ISO, UTC). */
function occurrences(component: ICAL.Component, n: number): string[] {
  const expansion = new ICAL.RecurExpansion({
    component,
    dtstart: time(component, 'dtstart'),
  });
  const result: string[] = [];
  for (let next = expansion.next(); next && result.length < n; next = expansion.next())
    result.push(next.toJSDate().toISOString());
  return result;
}

/** Wall-clock text of a zoned time, as a calendar shows it: `2026-03-30 09:00`. */
const wall = (t: ICAL.Time) =>
  `${t.year}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')} ${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;

describe('calendar feed', () => {
  let t: TestApi;
  let call: ReturnType<typeof client>;
  let feedUrl: string;
  const tasks: Record<string, Task> = {};

  const add = async (key: string, body: CreateTaskRequest) => {
    const response = await call<Task>('POST', '/api/v1/tasks', body);
    assert.equal(response.status, 201, JSON.stringify(response.body));
    tasks[key] = response.body;
    return response.body;
  };
  const fetchFeed = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers });

  before(async () => {
    t = await startTestApi();
    call = client(t.baseUrl, (await t.signUp()).token);
    await call('PATCH', '/api/v1/users/me/notifications', { timezone: 'Europe/Berlin' });
    // The week Berlin moves to summer time (Sunday 29 March 2026, 02:00 → 03:00).
    await add('sync', {
      title: 'Weekly sync',
      description: 'Agenda in the doc',
      dueDate: '2026-03-23T09:00:00+01:00',
      priority: 'high',
      tags: ['work', 'team'],
      reminderOffset: 15,
      recurrence: { frequency: 'weekly', byWeekday: [0] },
    });
    await add('gym', {
      title: 'Gym',
      dueDate: '2026-03-27T07:30:00+01:00',
      priority: 'low',
      recurrence: { frequency: 'daily', maxOccurrences: 5 },
    });
    await add('rent', {
      title: 'Pay rent',
      dueDate: '2027-01-31T18:00:00+01:00',
      recurrence: { frequency: 'monthly', byMonthday: -1, endDate: '2027-06-30T23:59:00+02:00' },
    });
    await add('report', {
      title: 'Monthly report',
      dueDate: '2027-01-30T10:00:00+01:00',
      recurrence: { frequency: 'monthly', byMonthday: 30 },
    });
    await add('water', {
      title: 'Water plants',
      dueDate: '2026-12-01T08:00:00+01:00',
      recurrence: { frequency: 'daily', interval: 3, anchor: 'completion' },
    });
    await add('undated', { title: 'Someday' });
    const done = await add('done', {
      title: 'Filed taxes',
      dueDate: new Date(Date.now() - 2 * 86_400_000).toISOString(),
    });
    await call('POST', `/api/v1/tasks/${done.id}/complete`);
    tasks.done = (await call<Task>('GET', `/api/v1/tasks/${done.id}`)).body;
    const gone = await add('gone', { title: 'Deleted', dueDate: '2026-12-24T10:00:00+01:00' });
    await call('DELETE', `/api/v1/tasks/${gone.id}`);

    const made = await call<CreatedCalendarFeed>('POST', '/api/v1/users/me/calendar-feed');
    assert.equal(made.status, 201);
    feedUrl = made.body.url;
  });
  after(() => t.stop());

  it('serves an iCalendar of the tasks with a due date, as to-dos in the user’s zone', async () => {
    assert.match(feedUrl, new RegExp(`^${t.baseUrl}/cal/todo_cal_[A-Za-z0-9_-]{43}\\.ics$`));
    const response = await fetchFeed(feedUrl);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/calendar; charset=utf-8/);
    assert.equal(response.headers.get('cache-control'), 'private, no-cache');
    const text = await response.text();
    assert.ok(text.includes('\r\n'), 'lines end in CRLF');
    assert.match(text, /\r\nREFRESH-INTERVAL;VALUE=DURATION:PT15M\r\n/, 'polling hint, one VALUE');
    const calendar = parse(text);
    assert.equal(calendar.getFirstPropertyValue('version'), '2.0');
    assert.equal(calendar.getFirstPropertyValue('x-wr-timezone'), 'Europe/Berlin');
    const zones = calendar.getAllSubcomponents('vtimezone');
    assert.deepEqual(
      zones.map((z) => z.getFirstPropertyValue('tzid')),
      ['Europe/Berlin'],
    );
    assert.equal(calendar.getAllSubcomponents('vevent').length, 0);
    assert.deepEqual(
      calendar
        .getAllSubcomponents('vtodo')
        .map((c) => c.getFirstPropertyValue('summary'))
        .sort(),
      ['Filed taxes', 'Gym', 'Monthly report', 'Pay rent', 'Water plants', 'Weekly sync'],
      'undated and deleted tasks are left out',
    );

    const sync = byUid(calendar, 'vtodo', tasks.sync!);
    assert.equal(sync.getFirstPropertyValue('summary'), 'Weekly sync');
    assert.equal(sync.getFirstPropertyValue('description'), 'Agenda in the doc');
    assert.equal(sync.getFirstPropertyValue('priority'), 1);
    assert.deepEqual(sync.getFirstProperty('categories')?.getValues(), ['work', 'team']);
    assert.equal(sync.getFirstPropertyValue('status'), 'NEEDS-ACTION');
    assert.equal(sync.getFirstPropertyValue('sequence'), tasks.sync!.version);
    for (const name of ['dtstart', 'due']) {
      const value = time(sync, name);
      assert.equal(sync.getFirstProperty(name)?.getParameter('tzid'), 'Europe/Berlin');
      assert.equal(wall(value), '2026-03-23 09:00');
      assert.equal(value.toJSDate().toISOString(), tasks.sync!.dueDate);
    }
    // iCalendar times have whole seconds.
    assert.equal(instant(time(sync, 'dtstamp')), seconds(tasks.sync!.updatedAt));
    assert.equal(instant(time(sync, 'last-modified')), seconds(tasks.sync!.updatedAt));
    assert.equal(instant(time(sync, 'created')), seconds(tasks.sync!.createdAt));
    assert.equal(String(sync.getFirstPropertyValue('rrule')), 'FREQ=WEEKLY;BYDAY=MO');
    const [alarm, ...more] = sync.getAllSubcomponents('valarm');
    assert.ok(alarm);
    assert.equal(more.length, 0);
    assert.equal(alarm.getFirstPropertyValue('action'), 'DISPLAY');
    assert.equal(alarm.getFirstPropertyValue('description'), 'Weekly sync');
    assert.equal(String(alarm.getFirstPropertyValue('trigger')), '-PT15M');
  });

  it('keeps 09:00 at 09:00 through the week clocks change (RRULE against its VTIMEZONE)', async () => {
    const calendar = parse(await (await fetchFeed(feedUrl)).text());
    const sync = byUid(calendar, 'vtodo', tasks.sync!);
    assert.deepEqual(occurrences(sync, 3), [
      '2026-03-23T08:00:00.000Z', // CET, +01:00
      '2026-03-30T07:00:00.000Z', // CEST, +02:00: still 09:00 in Berlin
      '2026-04-06T07:00:00.000Z',
    ]);
    const gym = byUid(calendar, 'vtodo', tasks.gym!);
    assert.equal(String(gym.getFirstPropertyValue('rrule')), 'FREQ=DAILY;COUNT=5');
    assert.equal(gym.getFirstPropertyValue('priority'), 9);
    assert.deepEqual(occurrences(gym, 10), [
      '2026-03-27T06:30:00.000Z',
      '2026-03-28T06:30:00.000Z',
      '2026-03-29T05:30:00.000Z', // the day of the change itself
      '2026-03-30T05:30:00.000Z',
      '2026-03-31T05:30:00.000Z',
    ]);
  });

  it('writes a monthly last-day rule, and "the 30th" as the last day in February', async () => {
    const calendar = parse(await (await fetchFeed(feedUrl)).text());
    const rent = byUid(calendar, 'vtodo', tasks.rent!);
    assert.equal(
      String(rent.getFirstPropertyValue('rrule')),
      'FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20270630T215900Z',
    );
    assert.deepEqual(
      occurrences(rent, 12).map((iso) => iso.slice(0, 16)),
      [
        '2027-01-31T17:00',
        '2027-02-28T17:00',
        '2027-03-31T16:00', // summer time from 28 March: still 18:00 in Berlin
        '2027-04-30T16:00',
        '2027-05-31T16:00',
        '2027-06-30T16:00',
      ],
      'ends at UNTIL',
    );
    // "On the 30th" is the 30th, or the last day of a shorter month (RFC 5545's BYSETPOS=-1 of
    // 28..30). ical.js ignores BYSETPOS with BYMONTHDAY (kewisch/ical.js#960), so the parsed
    // rule is expanded with rrule, which follows the RFC as python-dateutil does.
    const report = byUid(calendar, 'vtodo', tasks.report!);
    const recur = report.getFirstPropertyValue('rrule') as ICAL.Recur;
    assert.equal(recur.freq, 'MONTHLY');
    assert.deepEqual(recur.parts, { BYMONTHDAY: [28, 29, 30], BYSETPOS: [-1] });
    const rule = RRule.fromString(
      `DTSTART;TZID=Europe/Berlin:${time(report, 'dtstart').toICALString()}\nRRULE:${recur.toString()}`,
    );
    assert.deepEqual(
      rule.all((_, i) => i < 4).map((d) => d.toISOString().slice(0, 10)),
      ['2027-01-30', '2027-02-28', '2027-03-30', '2027-04-30'],
    );
    // A series repeated from completion cannot be predicted: only its current instance.
    const water = byUid(calendar, 'vtodo', tasks.water!);
    assert.equal(water.getFirstProperty('rrule'), null);
  });

  it('shows a completed task as a completed to-do, without an alarm', async () => {
    const calendar = parse(await (await fetchFeed(feedUrl)).text());
    const done = byUid(calendar, 'vtodo', tasks.done!);
    assert.equal(done.getFirstPropertyValue('status'), 'COMPLETED');
    assert.equal(instant(time(done, 'completed')), seconds(tasks.done!.completedAt!));
    assert.equal(done.getAllSubcomponents('valarm').length, 0);
  });

  it('?format=event serves pending tasks as 30-minute events for calendars that ignore to-dos', async () => {
    const calendar = parse(await (await fetchFeed(`${feedUrl}?format=event`)).text());
    assert.equal(calendar.getAllSubcomponents('vtodo').length, 0);
    const events = calendar.getAllSubcomponents('vevent');
    assert.equal(
      events.some((e) => e.getFirstPropertyValue('summary') === 'Filed taxes'),
      false,
      'completed tasks are not events',
    );
    const sync = byUid(calendar, 'vevent', tasks.sync!);
    assert.equal(time(sync, 'dtstart').toJSDate().toISOString(), tasks.sync!.dueDate);
    assert.equal(String(sync.getFirstPropertyValue('duration')), 'PT30M');
    assert.equal(sync.getFirstPropertyValue('transp'), 'TRANSPARENT');
    assert.equal(String(sync.getFirstPropertyValue('rrule')), 'FREQ=WEEKLY;BYDAY=MO');
    assert.equal(
      String(sync.getAllSubcomponents('valarm')[0]?.getFirstPropertyValue('trigger')),
      '-PT15M',
    );
    assert.equal(sync.getFirstProperty('due'), null);
    assertError(
      { ...(await client(t.baseUrl)('GET', `${new URL(feedUrl).pathname}?format=pdf`)) },
      400,
      'VALIDATION_FAILED',
      ['format'],
    );
  });

  it('answers 304 to If-None-Match while nothing changed, and a new ETag after a change', async () => {
    const first = await fetchFeed(feedUrl);
    const etag = first.headers.get('etag');
    assert.match(etag ?? '', /^"[A-Za-z0-9_-]+"$/);
    await first.text();
    const again = await fetchFeed(feedUrl, { 'if-none-match': etag! });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
    const event = await fetchFeed(`${feedUrl}?format=event`, { 'if-none-match': etag! });
    assert.equal(event.status, 200, 'the event form is another representation');
    await event.text();

    await call('PATCH', `/api/v1/tasks/${tasks.gym!.id}`, { title: 'Gym (legs)' });
    const changed = await fetchFeed(feedUrl, { 'if-none-match': etag! });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get('etag'), etag);
    const calendar = parse(await changed.text());
    assert.equal(
      byUid(calendar, 'vtodo', tasks.gym!).getFirstPropertyValue('summary'),
      'Gym (legs)',
    );
  });

  it('shows when the feed was last fetched; regenerating or revoking ends the old URL at once', async () => {
    await (await fetchFeed(feedUrl)).text();
    const state = await call<CalendarFeed>('GET', '/api/v1/users/me/calendar-feed');
    assert.equal(state.body.active, true);
    assert.ok(state.body.lastUsedAt, 'last fetch recorded');

    const regenerated = await call<CreatedCalendarFeed>('POST', '/api/v1/users/me/calendar-feed');
    assert.notEqual(regenerated.body.url, feedUrl);
    assert.equal((await fetchFeed(feedUrl)).status, 404);
    assert.equal((await fetchFeed(regenerated.body.url)).status, 200);

    assert.equal((await call('DELETE', '/api/v1/users/me/calendar-feed')).status, 204);
    assert.equal((await fetchFeed(regenerated.body.url)).status, 404);
    assert.deepEqual((await call<CalendarFeed>('GET', '/api/v1/users/me/calendar-feed')).body, {
      active: false,
      createdAt: null,
      lastUsedAt: null,
    });
    assertError(await call('DELETE', '/api/v1/users/me/calendar-feed'), 404, 'NOT_FOUND');
    feedUrl = (await call<CreatedCalendarFeed>('POST', '/api/v1/users/me/calendar-feed')).body.url;
  });

  it('an unknown token or file name is a 404, like a path that never existed', async () => {
    const anon = client(t.baseUrl);
    assertError(await anon('GET', '/cal/todo_cal_nope.ics'), 404, 'NOT_FOUND');
    assertError(
      await anon('GET', `/cal/${new URL(feedUrl).pathname.slice(5, -4)}`),
      404,
      'NOT_FOUND',
    );
    assertError(await anon('GET', '/cal/x.ics'), 404, 'NOT_FOUND');
  });

  it('writes UTC times, without a VTIMEZONE, for a user in UTC', async () => {
    const other = client(t.baseUrl, (await t.signUp()).token);
    const task = (
      await other<Task>('POST', '/api/v1/tasks', {
        title: 'UTC task',
        dueDate: '2026-06-01T12:00:00Z',
      })
    ).body;
    const url = (await other<CreatedCalendarFeed>('POST', '/api/v1/users/me/calendar-feed')).body
      .url;
    const text = await (await fetchFeed(url)).text();
    const calendar = parse(text);
    assert.equal(calendar.getAllSubcomponents('vtimezone').length, 0);
    const todo = byUid(calendar, 'vtodo', task);
    assert.equal(todo.getFirstProperty('due')?.getParameter('tzid'), undefined);
    assert.match(text, /DUE:20260601T120000Z\r\n/);
    assert.equal(calendar.getAllSubcomponents('vtodo').length, 1, 'only this user’s tasks');
  });
});
