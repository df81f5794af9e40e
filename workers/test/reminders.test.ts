import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Notification, Task } from '@todo/contracts';
import type { FireReminderJob } from '../src/queues/job-data.js';
import { findJob, startStack, waitFor, type Stack, type UserClient } from './helpers.js';

const MINUTE = 60_000;

describe('reminders: one delayed job per task at due − offset', () => {
  let stack: Stack;
  let user: UserClient;

  before(async () => {
    stack = await startStack('reminders', { NOTIFICATION_BATCH_WINDOW_MS: '200' });
    user = await stack.signUp();
  });

  after(async () => {
    await stack?.stop();
  });

  const jobsOf = async (taskId: string, states: Parameters<typeof findJob>[1]) =>
    (await stack.workers.queues.reminders.getJobs(states, 0, 1000)).filter(
      (j) => j?.data.taskId === taskId,
    );

  const firedJob = (taskId: string, timeoutMs = 20_000) =>
    waitFor(
      `the reminder of ${taskId} to fire`,
      () =>
        findJob<FireReminderJob>(
          stack.workers.queues.reminders,
          ['completed', 'failed'],
          (d) => d.taskId === taskId,
        ),
      timeoutMs,
    );

  const notificationFor = (taskId: string) =>
    waitFor(`a notification for ${taskId}`, async () =>
      (await user.notifications()).items.find((n: Notification) => n.taskIds.includes(taskId)),
    );

  it('a task due in ~70 s with a 1-minute offset fires within 1 s of its reminder time', async (t) => {
    const task = await user.createTask({
      title: 'Leave for the station',
      dueDate: new Date(Date.now() + 70_000).toISOString(),
      reminderOffset: 1,
    });
    assert.ok(task.reminderAt);
    const job = await firedJob(task.id);
    assert.equal(job.returnvalue, 'fired');
    const lateness = (job.processedOn ?? 0) - Date.parse(task.reminderAt);
    t.diagnostic(`reminder fire lateness: ${lateness} ms`);
    assert.ok(lateness >= 0 && lateness < 1000, `fired ${lateness} ms after its time`);
    const notification = await notificationFor(task.id);
    t.diagnostic(
      `reminder to inbox: ${Date.parse(notification.createdAt) - Date.parse(task.reminderAt)} ms (batch window 200 ms)`,
    );
    assert.equal(notification.title, 'Reminder: Leave for the station');
    assert.deepEqual(notification.channels, ['email', 'push']);
  });

  it('moving the due date moves the reminder', async (t) => {
    const task = await user.createTask({
      title: 'Dentist',
      dueDate: new Date(Date.now() + 60 * MINUTE).toISOString(),
      reminderOffset: 1,
    });
    const first = await waitFor(
      'the first delayed job',
      async () => (await jobsOf(task.id, ['delayed']))[0],
    );
    assert.equal(first.data.scheduledFor, task.reminderAt);
    const moved = await user.call<Task>('PATCH', `/tasks/${task.id}`, {
      dueDate: new Date(Date.now() + MINUTE + 4000).toISOString(),
    });
    const job = await firedJob(task.id);
    assert.equal(job.data.scheduledFor, moved.reminderAt);
    assert.equal(job.returnvalue, 'fired');
    const lateness = (job.processedOn ?? 0) - Date.parse(moved.reminderAt ?? '');
    t.diagnostic(`moved reminder fire lateness: ${lateness} ms`);
    assert.ok(lateness < 1000);
    const all = await jobsOf(task.id, ['delayed', 'waiting', 'active', 'completed', 'failed']);
    assert.deepEqual(
      all.map((j) => j.id),
      [job.id],
      'the old job is gone',
    );
  });

  it('completing, deleting or disabling cancels it; a task without a reminder gets none', async () => {
    // Far enough ahead that the three changes below land first on a loaded machine (at 3 s
    // one of them fired first in a suite run at load 8 on two cores).
    const soon = () => new Date(Date.now() + MINUTE + 8000).toISOString();
    const completed = await user.createTask({
      title: 'Completed early',
      dueDate: soon(),
      reminderOffset: 1,
    });
    const deleted = await user.createTask({
      title: 'Deleted early',
      dueDate: soon(),
      reminderOffset: 1,
    });
    const disabled = await user.createTask({
      title: 'Reminder off',
      dueDate: soon(),
      reminderOffset: 1,
    });
    const none = await user.createTask({
      title: 'No reminder',
      dueDate: soon(),
      reminderOffset: null,
    });
    for (const task of [completed, deleted, disabled])
      await waitFor(
        'its delayed job',
        async () => (await jobsOf(task.id, ['delayed'])).length === 1,
      );
    await user.call('POST', `/tasks/${completed.id}/complete`);
    await user.call('DELETE', `/tasks/${deleted.id}`);
    await user.call('PATCH', `/tasks/${disabled.id}/reminder`, { enabled: false });
    for (const task of [completed, deleted, disabled])
      await waitFor(
        'its job removed',
        async () => (await jobsOf(task.id, ['delayed', 'waiting'])).length === 0,
      );
    assert.equal((await jobsOf(none.id, ['delayed', 'waiting'])).length, 0);

    // A control reminder due after all of them: once it is delivered, none of them was.
    const control = await user.createTask({
      title: 'Control',
      dueDate: new Date(Date.now() + MINUTE + 9000).toISOString(),
      reminderOffset: 1,
    });
    await notificationFor(control.id);
    const delivered = (await user.notifications()).items.flatMap((n) => n.taskIds);
    for (const task of [completed, deleted, disabled, none]) {
      assert.ok(!delivered.includes(task.id), `${task.title} was notified`);
      assert.equal((await jobsOf(task.id, ['completed', 'failed'])).length, 0);
    }
  });
});
