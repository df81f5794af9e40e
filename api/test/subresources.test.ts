import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type {
  Notification,
  NotificationPage,
  NotificationPreferences,
  RecurrencePattern,
  Reminder,
  Task,
} from '@todo/contracts';
import { assertError, client, startTestApi, type TestApi } from './helpers.js';

describe('recurrence, reminder, preferences and notifications', () => {
  let t: TestApi;
  let call: ReturnType<typeof client>;
  let userId: string;

  before(async () => {
    t = await startTestApi();
    const user = await t.signUp();
    userId = user.userId;
    call = client(t.baseUrl, user.token);
  });
  after(() => t.stop());

  it('sets, reads, replaces and removes a recurrence pattern', async () => {
    const { body: task } = await call<Task>('POST', '/api/v1/tasks', {
      title: 'Standup',
      dueDate: '2030-01-07T09:00:00Z',
    });
    assertError(await call('GET', `/api/v1/tasks/${task.id}/recurrence`), 404, 'NOT_FOUND');
    const put = await call<RecurrencePattern>('PUT', `/api/v1/tasks/${task.id}/recurrence`, {
      frequency: 'weekly',
      byWeekday: [4, 0, 2],
      endDate: '2030-06-30T00:00:00Z',
    });
    assert.equal(put.status, 200);
    assert.deepEqual(put.body, {
      frequency: 'weekly',
      interval: 1,
      byWeekday: [0, 2, 4],
      endDate: '2030-06-30T00:00:00.000Z',
      anchor: 'due',
    });
    assert.deepEqual((await call('GET', `/api/v1/tasks/${task.id}/recurrence`)).body, put.body);
    const reread = (await call<Task>('GET', `/api/v1/tasks/${task.id}`)).body;
    assert.equal(reread.seriesId, task.id);
    assert.equal(reread.occurrenceIndex, 1);
    const monthly = await call<RecurrencePattern>('PUT', `/api/v1/tasks/${task.id}/recurrence`, {
      frequency: 'monthly',
      maxOccurrences: 12,
    });
    // "monthly" takes its day from the due date, so the series keeps it.
    assert.equal(monthly.body.byMonthday, 7);
    assert.equal((await call('DELETE', `/api/v1/tasks/${task.id}/recurrence`)).status, 204);
    assertError(await call('GET', `/api/v1/tasks/${task.id}/recurrence`), 404, 'NOT_FOUND');
    assertError(await call('DELETE', `/api/v1/tasks/${task.id}/recurrence`), 404, 'NOT_FOUND');
  });

  it('accepts a custom RRULE and rejects one that does not parse', async () => {
    const { body: task } = await call<Task>('POST', '/api/v1/tasks', { title: 'Gym' });
    const ok = await call<RecurrencePattern>('PUT', `/api/v1/tasks/${task.id}/recurrence`, {
      frequency: 'custom',
      rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH',
      maxOccurrences: 10,
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.rrule, 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH');
    const bad = await call('PUT', `/api/v1/tasks/${task.id}/recurrence`, {
      frequency: 'custom',
      rrule: 'FREQ=SOMETIMES',
      maxOccurrences: 10,
    });
    assertError(bad, 400, 'VALIDATION_FAILED', ['rrule']);
  });

  it('lists the instances of a series, created idempotently by the internal endpoint', async () => {
    const due = new Date(Date.now() + 3_600_000).toISOString();
    const { body: first } = await call<Task>('POST', '/api/v1/tasks', {
      title: 'Stretch',
      dueDate: due,
      recurrence: { frequency: 'daily', maxOccurrences: 2 },
    });
    await call('POST', `/api/v1/tasks/${first.id}/complete`);
    const internal = client(t.baseUrl, 'dev-internal-token-0123456789');
    const results = await Promise.all(
      ['evt-1', 'evt-1', 'evt-2'].map((eventId) =>
        internal<{ created: boolean; task: Task | null }>(
          'POST',
          `/internal/v1/tasks/${first.id}/next-instance`,
          { eventId },
        ),
      ),
    );
    assert.equal(
      results.filter((r) => r.body.created).length,
      1,
      'exactly one delivery creates the instance',
    );
    const ids = new Set(results.map((r) => r.body.task?.id));
    assert.equal(ids.size, 1, 'every delivery reports the same instance');
    const { body: instances } = await call<{ items: Task[] }>(
      'GET',
      `/api/v1/tasks/${first.id}/instances`,
    );
    assert.deepEqual(
      instances.items.map((x) => x.occurrenceIndex),
      [1, 2],
    );
    const second = instances.items[1]!;
    assert.equal(second.parentTaskId, first.id);
    assert.equal(second.title, 'Stretch');
    assert.equal(second.dueDate, new Date(new Date(due).getTime() + 86_400_000).toISOString());
    // The second of two occurrences ends the series.
    await call('POST', `/api/v1/tasks/${second.id}/complete`);
    const end = await internal<{ created: boolean; reason: string }>(
      'POST',
      `/internal/v1/tasks/${second.id}/next-instance`,
      { eventId: 'evt-3' },
    );
    assert.deepEqual([end.body.created, end.body.reason], [false, 'series-ended']);
  });

  it('deleting a recurring task ends its series', async () => {
    const { body: task } = await call<Task>('POST', '/api/v1/tasks', {
      title: 'Newsletter',
      dueDate: '2030-01-01T09:00:00Z',
      recurrence: { frequency: 'weekly', maxOccurrences: 5 },
    });
    await call('POST', `/api/v1/tasks/${task.id}/complete`);
    await call('DELETE', `/api/v1/tasks/${task.id}`);
    const internal = client(t.baseUrl, 'dev-internal-token-0123456789');
    const res = await internal<{ created: boolean }>(
      'POST',
      `/internal/v1/tasks/${task.id}/next-instance`,
      { eventId: 'evt-del' },
    );
    assert.equal(res.body.created, false);
  });

  it('reads and changes a reminder', async () => {
    const { body: task } = await call<Task>('POST', '/api/v1/tasks', {
      title: 'Dentist',
      dueDate: '2030-05-05T10:00:00Z',
      reminderOffset: 60,
    });
    const reminder = await call<Reminder>('GET', `/api/v1/tasks/${task.id}/reminder`);
    assert.deepEqual(reminder.body, {
      enabled: true,
      offsetMinutes: 60,
      channels: ['email', 'push'],
      scheduledFor: '2030-05-05T09:00:00.000Z',
    });
    const changed = await call<Reminder>('PATCH', `/api/v1/tasks/${task.id}/reminder`, {
      offsetMinutes: 1440,
      channels: ['email'],
    });
    assert.deepEqual(changed.body, {
      enabled: true,
      offsetMinutes: 1440,
      channels: ['email'],
      scheduledFor: '2030-05-04T10:00:00.000Z',
    });
    const off = await call<Reminder>('PATCH', `/api/v1/tasks/${task.id}/reminder`, {
      enabled: false,
    });
    assert.equal(off.body.scheduledFor, null);
    const reread = (await call<Task>('GET', `/api/v1/tasks/${task.id}`)).body;
    assert.equal(reread.reminderEnabled, false);
    assert.equal(reread.reminderAt, null);
    assertError(
      await call('PATCH', `/api/v1/tasks/${task.id}/reminder`, { channels: ['sms'] }),
      400,
      'VALIDATION_FAILED',
      ['channels.0'],
    );
  });

  it('keeps notification preferences, with defaults until changed', async () => {
    const defaults = await call<NotificationPreferences>('GET', '/api/v1/users/me/notifications');
    assert.deepEqual(defaults.body, {
      emailEnabled: true,
      pushEnabled: true,
      quietHoursStart: null,
      quietHoursEnd: null,
      timezone: 'UTC',
      timezoneChosen: false,
      defaultReminderOffset: 15,
    });
    const patched = await call<NotificationPreferences>('PATCH', '/api/v1/users/me/notifications', {
      pushEnabled: false,
      quietHoursStart: '22:00',
      quietHoursEnd: '07:00',
      timezone: 'Europe/Berlin',
      defaultReminderOffset: 30,
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.timezone, 'Europe/Berlin');
    assert.equal(patched.body.timezoneChosen, true, 'a zone sent on its own is a choice');
    assert.deepEqual((await call('GET', '/api/v1/users/me/notifications')).body, patched.body);
    const { body: task } = await call<Task>('POST', '/api/v1/tasks', {
      title: 'Uses default offset',
      dueDate: '2030-01-01T09:00:00Z',
    });
    assert.equal(task.reminderOffset, 30);
    assertError(
      await call('PATCH', '/api/v1/users/me/notifications', {
        timezone: 'Mars/Olympus',
        quietHoursStart: '25:00',
      }),
      400,
      'VALIDATION_FAILED',
      ['timezone', 'quietHoursStart'],
    );
  });

  it('keeps an inbox: stored once per idempotency key, listed newest first, marked read', async () => {
    const internal = client(t.baseUrl, 'dev-internal-token-0123456789');
    const input = {
      userId,
      title: 'Reminder',
      body: 'Dentist at 10:00',
      taskIds: [],
      channels: ['push'],
      idempotencyKey: 'batch-1',
    };
    const first = await internal<Notification>('POST', '/internal/v1/notifications', input);
    const again = await internal<Notification>('POST', '/internal/v1/notifications', input);
    assert.equal(first.status, 201);
    assert.equal(again.status, 200);
    assert.equal(again.body.id, first.body.id);
    const inbox = await call<NotificationPage>('GET', '/api/v1/notifications');
    assert.equal(inbox.body.items.length, 1);
    assert.equal(inbox.body.unreadCount, 1);
    const read = await call<Notification>('POST', `/api/v1/notifications/${first.body.id}/read`);
    assert.ok(read.body.readAt);
    assert.equal(
      (await call<NotificationPage>('GET', '/api/v1/notifications')).body.unreadCount,
      0,
    );
    assertError(
      await call('POST', '/api/v1/notifications/00000000-0000-4000-8000-000000000000/read'),
      404,
      'NOT_FOUND',
    );
  });

  it('lets our services read any task, deleted ones too, and 404s an unknown one', async () => {
    const { body: task } = await call<Task>('POST', '/api/v1/tasks', { title: 'Seen by workers' });
    await call('DELETE', `/api/v1/tasks/${task.id}`);
    const internal = client(t.baseUrl, 'dev-internal-token-0123456789');
    const read = await internal<Task>('GET', `/internal/v1/tasks/${task.id}`);
    assert.equal(read.status, 200);
    assert.deepEqual(
      [read.body.id, read.body.userId, read.body.status],
      [task.id, userId, 'deleted'],
    );
    assertError(
      await internal('GET', '/internal/v1/tasks/00000000-0000-4000-8000-000000000000'),
      404,
      'NOT_FOUND',
    );
    assertError(await internal('GET', '/internal/v1/tasks/not-a-uuid'), 400, 'VALIDATION_FAILED', [
      'id',
    ]);
  });

  it('refuses internal endpoints without the service token', async () => {
    const res = await client(t.baseUrl, 'wrong')(
      'GET',
      '/internal/v1/users/x/notification-preferences',
    );
    assertError(res, 403, 'FORBIDDEN');
  });
});
