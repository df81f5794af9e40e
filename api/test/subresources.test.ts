import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  NOTIFICATION_CREATED_TYPE,
  REMINDER_FIRED_TYPE,
  TOPICS,
  type Notification,
  type NotificationPage,
  type NotificationPreferences,
  type RecurrencePattern,
  type Reminder,
  type Task,
  type ReminderFiredEvent,
} from '@todo/contracts';
import {
  advanceSeries,
  assertError,
  client,
  deliverEvent,
  occurrenceDue,
  startTestApi,
  type TestApi,
} from './helpers.js';

/** The `reminder.fired` the workers publish when a batch of `tasks`' reminders went out. */
const reminderFired = (userId: string, tasks: Task[], batch: string): ReminderFiredEvent => ({
  specversion: '1.0',
  id: `reminder-fired-${batch}`,
  source: 'todo-workers',
  type: REMINDER_FIRED_TYPE,
  subject: `notifications/${batch}`,
  time: new Date().toISOString(),
  datacontenttype: 'application/json',
  userid: userId,
  correlationid: `test-${batch}`,
  data: {
    userId,
    title: 'Reminder',
    body: 'Dentist at 10:00',
    channels: ['push'],
    reminders: tasks.map((task) => ({ taskId: task.id, scheduledFor: task.reminderAt! })),
    idempotencyKey: batch,
  },
});

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

  it('occurrence.due delivered three times at once creates exactly one next instance', async () => {
    const due = new Date(Date.now() + 3_600_000).toISOString();
    const { body: first } = await call<Task>('POST', '/api/v1/tasks', {
      title: 'Stretch',
      dueDate: due,
      recurrence: { frequency: 'daily', maxOccurrences: 2 },
    });
    const { body: done } = await call<{ task: Task }>('POST', `/api/v1/tasks/${first.id}/complete`);
    const event = occurrenceDue(done.task);
    const answers = await Promise.all(
      [1, 2, 3].map(() => deliverEvent(t.baseUrl, '/events/occurrences', event)),
    );
    assert.deepEqual(answers, ['SUCCESS', 'SUCCESS', 'SUCCESS']);
    // A retried job publishing the same completion under another event id changes nothing either.
    const again = { ...event, id: `${event.id}-republished` };
    assert.equal(await deliverEvent(t.baseUrl, '/events/occurrences', again), 'SUCCESS');
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
    const end = await advanceSeries(t.baseUrl, call, second.id);
    assert.equal(end.created, false);
  });

  it('drops an occurrence.due naming another user than its envelope', async () => {
    const { body: task } = await call<Task>('POST', '/api/v1/tasks', {
      title: 'Forged',
      dueDate: '2030-01-01T09:00:00Z',
      recurrence: { frequency: 'daily' },
    });
    const { body: done } = await call<{ task: Task }>('POST', `/api/v1/tasks/${task.id}/complete`);
    const forged = { ...occurrenceDue(done.task), userid: 'someone-else' };
    assert.equal(await deliverEvent(t.baseUrl, '/events/occurrences', forged), 'DROP');
    const { body: instances } = await call<{ items: Task[] }>(
      'GET',
      `/api/v1/tasks/${task.id}/instances`,
    );
    assert.equal(instances.items.length, 1);
  });

  it('deleting a recurring task ends its series', async () => {
    const { body: task } = await call<Task>('POST', '/api/v1/tasks', {
      title: 'Newsletter',
      dueDate: '2030-01-01T09:00:00Z',
      recurrence: { frequency: 'weekly', maxOccurrences: 5 },
    });
    await call('POST', `/api/v1/tasks/${task.id}/complete`);
    const { body: completed } = await call<Task>('GET', `/api/v1/tasks/${task.id}`);
    await call('DELETE', `/api/v1/tasks/${task.id}`);
    // The workers' occurrence.due arrives after the delete: nothing is created.
    const late = occurrenceDue(completed);
    assert.equal(await deliverEvent(t.baseUrl, '/events/occurrences', late), 'SUCCESS');
    const all = await call<{ items: Task[] }>('GET', '/api/v1/tasks?status=all&q=Newsletter');
    assert.equal(all.body.items.length, 0);
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

  it('keeps an inbox: reminder.fired stored once however often delivered, listed, marked read', async () => {
    const dueDate = new Date(Date.now() + 3_600_000);
    const { body: task } = await call<Task>('POST', '/api/v1/tasks', {
      title: 'Dentist',
      dueDate: dueDate.toISOString(),
      reminderOffset: 15,
    });
    const fired = reminderFired(userId, [task], 'batch-1');
    const answers = await Promise.all(
      [1, 2, 3].map(() => deliverEvent(t.baseUrl, '/events/reminders', fired)),
    );
    assert.deepEqual(answers, ['SUCCESS', 'SUCCESS', 'SUCCESS']);
    // The reminder again in another batch (the reconciler rebuilt its job): no second row.
    assert.equal(
      await deliverEvent(t.baseUrl, '/events/reminders', reminderFired(userId, [task], 'batch-2')),
      'SUCCESS',
    );
    // A reminder for a time the task no longer has (it was moved): nothing stored.
    const moved = { ...task, reminderAt: new Date(dueDate.getTime() - 60_000).toISOString() };
    assert.equal(
      await deliverEvent(t.baseUrl, '/events/reminders', reminderFired(userId, [moved], 'batch-3')),
      'SUCCESS',
    );
    await t.api.relay.flush();
    const pushed = t.publisher.published.filter(
      (p) => p.topic === TOPICS.notifications && p.partitionKey === userId,
    );
    assert.equal(pushed.length, 1, 'one notification.created for the socket nodes');
    assert.equal(pushed[0]!.event.type, NOTIFICATION_CREATED_TYPE);
    const first = { body: pushed[0]!.event.data as Notification };
    assert.deepEqual(first.body.taskIds, [task.id]);
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
});
