import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Job } from 'bullmq';
import { reminderJobId, type Notification, type Task } from '@todo/contracts';
import type {
  DeliverBatchJob,
  FireReminderJob,
  ReminderIntakeJob,
} from '../src/queues/job-data.js';
import {
  findJob,
  RecordingSenders,
  startStack,
  waitFor,
  type Stack,
  type UserClient,
} from './helpers.js';

const MINUTE = 60_000;
/**
 * A batching window far longer than any of these tests waits for a notification: a delivery
 * that waited it out could not arrive before its `waitFor` gives up, so each delivery below
 * shows the reminder went out at its time (ADR 170).
 */
const WINDOW_MS = 20_000;

/** "HH:MM" of `instant` in `timeZone`. */
const clock = (instant: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(instant);

describe('notifications: preferences, quiet hours, batching, delivery', () => {
  let stack: Stack;
  const senders = new RecordingSenders();

  before(async () => {
    // One job at a time, so a batch's delivery job (queued behind the reminders that were
    // already waiting when its window closed) cannot overtake them: see the batching test.
    stack = await startStack(
      'notify',
      { WORKER_CONCURRENCY: '1', NOTIFICATION_BATCH_WINDOW_MS: String(WINDOW_MS) },
      { senders: senders.senders() },
    );
  });

  after(async () => {
    await stack?.stop();
  });

  /** Tasks whose reminders all come due at the same moment, a few seconds from now. */
  async function remindersSoon(
    user: UserClient,
    titles: string[],
    extra: Record<string, unknown> = {},
  ) {
    const dueDate = new Date(Date.now() + MINUTE + 3500).toISOString();
    return Promise.all(
      titles.map((title) => user.createTask({ title, dueDate, reminderOffset: 1, ...extra })),
    );
  }

  const notificationsOf = async (user: UserClient, count: number) =>
    waitFor(`${count} notification(s)`, async () => {
      const { items } = await user.notifications();
      return items.length >= count ? items : null;
    });

  /** The user's completed delivery job: channels are sent after the inbox write, so wait for it. */
  const deliveredBatch = (user: UserClient) =>
    waitFor('the delivery job', () =>
      findJob<DeliverBatchJob>(
        stack.workers.queues.notifications,
        ['completed'],
        (d) => d.userId === user.userId && 'batchId' in d,
      ),
    );

  it('5 simultaneous reminders of one user become one notification, published once', async () => {
    const user = await stack.signUp();
    // The five come due together but travel api → outbox → bridge one by one; on a loaded
    // machine they fired more than a batch window apart and split 3 + 2. Holding the
    // reminders queue until all five fire jobs are due makes them simultaneous where the
    // batching happens (the fire job takes its reminder into the batch, ADR 280).
    const queue = stack.workers.queues.reminders;
    const tasks = await remindersSoon(user, ['one', 'two', 'three', 'four', 'five']);
    const mine = async (states: ('delayed' | 'waiting')[]) =>
      ((await queue.getJobs(states, 0, 1000)) as Job<FireReminderJob>[]).filter(
        (j) => j?.data.userId === user.userId,
      );
    await waitFor(
      'the 5 reminders to be scheduled',
      async () => (await mine(['delayed'])).length === 5,
    );
    await queue.pause();
    try {
      for (const job of await mine(['delayed'])) await job.promote();
      await waitFor(
        'the 5 reminders to be due',
        async () => (await mine(['waiting'])).length === 5,
      );
    } finally {
      await queue.resume();
    }
    const [notification] = (await notificationsOf(user, 1)) as [Notification];
    assert.deepEqual([...notification.taskIds].sort(), tasks.map((t: Task) => t.id).sort());
    assert.equal(notification.title, '5 reminders');
    assert.match(notification.body, /one[\s\S]*five|five[\s\S]*one/);
    // The whole batch was one delivery job; nothing else arrives for this user.
    const deliverJob = await deliveredBatch(user);
    assert.equal((deliverJob.returnvalue as unknown as { taskIds: string[] }).taskIds.length, 5);
    assert.equal((await user.notifications()).items.length, 1);
    const deliveries = senders.of(user.userId);
    assert.deepEqual(deliveries.map((d) => d.channel).sort(), ['email', 'push']);
    for (const delivery of deliveries) assert.equal(delivery.taskIds.length, 5);
    // It left as one reminder.fired event naming all five; the api stored it once (above).
    assert.equal(
      (deliverJob.returnvalue as unknown as { eventId: string }).eventId,
      `reminder-fired-${deliverJob.data.batchId}`,
    );
  });

  it('a lone reminder is delivered at its time, without waiting for the window', async () => {
    const user = await stack.signUp();
    const [task] = await remindersSoon(user, ['Right on time']);
    const deliverJob = await deliveredBatch(user);
    const reminderAt = new Date(task?.reminderAt ?? '').getTime();
    // The delivery job was due at once, and ran long before a window after the reminder.
    assert.equal(deliverJob.opts.delay ?? 0, 0);
    assert.ok((deliverJob.processedOn ?? Infinity) < reminderAt + WINDOW_MS);
    const [notification] = (await notificationsOf(user, 1)) as [Notification];
    assert.deepEqual(notification.taskIds, [task?.id]);
    assert.equal(notification.title, 'Reminder: Right on time');
    // The fire job took it into its batch itself: no intake job in between (ADR 280).
    const fireJob = await stack.workers.queues.reminders.getJob(
      reminderJobId(task!.id, new Date(reminderAt)),
    );
    assert.equal(fireJob?.returnvalue, 'fired');
    const intakeJobs = await stack.workers.queues.notifications.getJobs(['completed', 'waiting']);
    assert.equal(intakeJobs.filter((j) => j?.id === `intake-${fireJob?.id}`).length, 0);
    // The fire job redelivered (run again after it completed) publishes and sends nothing new.
    await fireJob!.retry('completed');
    await waitFor('the fire job to run again', async () =>
      (await fireJob!.getState()) === 'completed' ? true : null,
    );
    await waitFor('its delivery job to settle', async () =>
      (await deliverJob.getState()) === 'completed' ? true : null,
    );
    assert.equal((await user.notifications()).items.length, 1);
    assert.deepEqual(
      senders
        .of(user.userId)
        .map((d) => d.channel)
        .sort(),
      ['email', 'push'],
    );
  });

  it('5 reminders due within the window of each other become one notification', async () => {
    const user = await stack.signUp();
    // 100 ms apart (400 ms first to last): each one knows the later ones are due, so the
    // batch waits for the fifth, and that one delivers it without waiting out the window.
    const first = Date.now() + MINUTE + 4000;
    const titles = ['t0', 't1', 't2', 't3', 't4'];
    const tasks = await Promise.all(
      titles.map((title, i) =>
        user.createTask({
          title,
          dueDate: new Date(first + i * 100).toISOString(),
          reminderOffset: 1,
        }),
      ),
    );
    const deliverJob = await deliveredBatch(user);
    assert.deepEqual(
      [...(deliverJob.returnvalue as unknown as { taskIds: string[] }).taskIds].sort(),
      tasks.map((t) => t.id).sort(),
    );
    assert.ok((deliverJob.processedOn ?? Infinity) < first - MINUTE + WINDOW_MS);
    const notifications = (await notificationsOf(user, 1)) as Notification[];
    assert.equal(notifications.length, 1);
    assert.equal(notifications[0]?.title, '5 reminders');
  });

  it('email-only preferences send only email', async () => {
    const user = await stack.signUp();
    await user.call('PATCH', '/users/me/notifications', { pushEnabled: false });
    const [task] = await remindersSoon(user, ['Email me']);
    const [notification] = (await notificationsOf(user, 1)) as [Notification];
    assert.deepEqual(notification.taskIds, [task?.id]);
    assert.deepEqual(notification.channels, ['email']);
    await deliveredBatch(user);
    assert.deepEqual(
      senders.of(user.userId).map((d) => d.channel),
      ['email'],
    );
  });

  it('quiet hours defer the reminder to their end instead of dropping it', async () => {
    const user = await stack.signUp();
    const timezone = 'Asia/Tokyo';
    const now = new Date();
    const quiet = {
      timezone,
      quietHoursStart: clock(new Date(now.getTime() - 60 * MINUTE), timezone),
      quietHoursEnd: clock(new Date(now.getTime() + 120 * MINUTE), timezone),
    };
    await user.call('PATCH', '/users/me/notifications', quiet);
    const [task] = await remindersSoon(user, ['Quiet please']);
    const deferred = await waitFor('the deferred intake job', () =>
      findJob<ReminderIntakeJob>(
        stack.workers.queues.notifications,
        ['delayed'],
        (d) => 'reminder' in d && d.reminder.taskId === task?.id,
      ),
    );
    // Deferred to the end of the quiet period (to the minute), and nothing was sent.
    const resumeAt = deferred.timestamp + deferred.delay;
    const expected = now.getTime() + 120 * MINUTE;
    assert.ok(
      Math.abs(resumeAt - expected) < 61_000,
      `resumes at ${new Date(resumeAt).toISOString()}`,
    );
    assert.equal((await user.notifications()).items.length, 0);
    assert.equal(senders.of(user.userId).length, 0);
    // The quiet period ends (here: the user clears it and the delay is cut short).
    await user.call('PATCH', '/users/me/notifications', {
      quietHoursStart: null,
      quietHoursEnd: null,
    });
    // The change reaches the workers as an event (preferences.updated), not by asking the api.
    await waitFor('the cleared quiet hours to reach the workers', async () => {
      const kept = await stack.workers.preferences.get(user.userId);
      return kept !== null && kept.quietHoursStart === null;
    });
    await deferred.promote();
    const [notification] = (await notificationsOf(user, 1)) as [Notification];
    assert.deepEqual(notification.taskIds, [task?.id]);
  });

  it('a failing delivery retries with backoff and ends in the failed set', async () => {
    const user = await stack.signUp();
    senders.failFor.add(user.userId);
    await remindersSoon(user, ['SMTP is down']);
    const failed = await waitFor('the delivery job to fail for good', () =>
      findJob<DeliverBatchJob>(
        stack.workers.queues.notifications,
        ['failed'],
        (d) => d.userId === user.userId,
      ),
    );
    assert.equal(failed.attemptsMade, 3);
    assert.match(failed.failedReason ?? '', /simulated SMTP outage/);
    // Three email attempts and one push: a failing channel does not hold the other back,
    // and a retry does not send again what was sent.
    assert.equal(senders.attempts.get(user.userId), 4);
    assert.deepEqual(
      senders.of(user.userId).map((d) => d.channel),
      ['push'],
    );
    assert.deepEqual(failed.opts.backoff, { type: 'exponential', delay: 100 });
    // The inbox write is idempotent per batch: three attempts, one stored notification.
    assert.equal((await user.notifications()).items.length, 1);
  });
});
