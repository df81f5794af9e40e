import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Job } from 'bullmq';
import {
  reminderJobId,
  type AcceptInviteResult,
  type CreatedListInvite,
  type List,
  type Task,
} from '@todo/contracts';
import { startMailCatcher, type MailCatcher } from '@todo/ops/testing';
import type { DeliverBatchJob, FireReminderJob } from '../src/queues/job-data.js';
import {
  readerUrl,
  startStack,
  waitFor,
  wipeRedis,
  type Stack,
  type UserClient,
} from './helpers.js';

const MINUTE = 60_000;
/** Reminders of one person due within this of each other are one notification (ADR 170). */
const WINDOW_MS = 20_000;

/**
 * A task's reminder on a shared list goes to its assignee, else to every member who opted in,
 * each read from PostgreSQL when it fires and delivered by their own preferences, once each
 * (ADR 376). Real api, PostgreSQL, Redis, BullMQ and SMTP (in-process catcher).
 */
describe('reminders on a shared list: the assignee, else the members who opted in', () => {
  let stack: Stack;
  let catcher: MailCatcher;

  before(async () => {
    catcher = await startMailCatcher();
    stack = await startStack(
      'shared-reminders',
      {
        SMTP_URL: catcher.smtpUrl,
        MAIL_FROM: '"Todo Chatbot" <reminders@example.test>',
        NOTIFICATION_BATCH_WINDOW_MS: String(WINDOW_MS),
        // The rebuild after a Redis wipe is driven by the test (one also runs at start).
        RECONCILE_INTERVAL_MS: '600000',
      },
      {},
      {},
      readerUrl,
    );
  });

  after(async () => {
    await stack?.stop();
    await catcher?.stop();
  });

  /** A list of `owner`'s that each of `members` joined (as editors) from an invite. */
  async function sharedList(owner: UserClient, ...members: UserClient[]): Promise<List> {
    const list = await owner.call<List>('POST', '/lists', { name: 'Household' });
    for (const member of members) await join(owner, list, member);
    return list;
  }

  async function join(owner: UserClient, list: List, member: UserClient): Promise<void> {
    const invite = await owner.call<CreatedListInvite>('POST', `/lists/${list.id}/invites`, {
      email: member.user.email,
      role: 'editor',
    });
    const token = invite.acceptUrl.split('/invites/')[1]!;
    const joined = await member.call<AcceptInviteResult>('POST', '/invites/accept', { token });
    assert.equal(joined.member.reminders, false);
  }

  const optIn = (member: UserClient, list: List, reminders = true) =>
    member.call('PATCH', `/lists/${list.id}/members/me`, { reminders });

  /** A task of the list whose email reminder comes due a few seconds from now. */
  const reminderSoon = (as: UserClient, list: List, extra: Record<string, unknown> = {}) =>
    as.createTask({
      title: 'Take the bins out',
      listId: list.id,
      dueDate: new Date(Date.now() + MINUTE + 3000).toISOString(),
      reminderOffset: 1,
      reminderChannels: ['email'],
      ...extra,
    });

  /** A task of the list whose email reminder comes at `at` (ms). */
  const remindAt = (as: UserClient, list: List | null, at: number, title: string) =>
    as.createTask({
      title,
      ...(list ? { listId: list.id } : {}),
      dueDate: new Date(at + MINUTE).toISOString(),
      reminderOffset: 1,
      reminderChannels: ['email'],
    });

  /** The task's fire job once it ran (it admits every recipient before it completes). */
  const fired = (task: Task) =>
    waitFor(
      'the reminder to fire',
      async () => {
        // The state first: a job read while active would keep no return value.
        const { reminders } = stack.workers.queues;
        const id = reminderJobId(task.id, new Date(task.reminderAt!));
        if ((await reminders.getJobState(id)) !== 'completed') return null;
        return (await reminders.getJob(id)) as Job<FireReminderJob> | undefined;
      },
      20_000,
    );

  /** Every delivery job for `user` (one per notification batch of theirs). */
  const deliveriesTo = async (user: UserClient) =>
    (
      (await stack.workers.queues.notifications.getJobs(
        ['completed', 'waiting', 'active', 'delayed', 'failed'],
        0,
        1000,
      )) as Job<DeliverBatchJob>[]
    ).filter((job) => job?.name === 'deliver' && job.data.userId === user.userId);

  /** `user`'s one delivery, once it sent its mail. */
  const delivered = (user: UserClient, timeoutMs?: number) =>
    waitFor(
      `the delivery to ${user.user.email}`,
      async () => {
        const [job, ...more] = await deliveriesTo(user);
        assert.equal(more.length, 0, 'one delivery per recipient');
        return job && (await job.getState()) === 'completed' ? job : null;
      },
      timeoutMs,
    );

  const inboxOf = async (user: UserClient, task: Task) =>
    (await user.notifications()).items.filter((n) => n.taskIds.includes(task.id));
  const mailsTo = (user: UserClient) =>
    catcher.messages.filter((m) => m.envelope.to.includes(user.user.email));

  /**
   * `user` got `tasks` in one notification: one delivery, one inbox row naming them all (one
   * `reminder.fired`), one mail listing every title.
   */
  async function gotOneDigest(user: UserClient, tasks: Task[]): Promise<void> {
    await delivered(user);
    const rows = (await user.notifications()).items.filter((n) =>
      tasks.some((task) => n.taskIds.includes(task.id)),
    );
    assert.equal(rows.length, 1, `one notification for ${user.user.email}`);
    assert.deepEqual([...rows[0]!.taskIds].sort(), tasks.map((task) => task.id).sort());
    const [mail, ...more] = mailsTo(user);
    assert.equal(more.length, 0, `one mail to ${user.user.email}`);
    for (const task of tasks) assert.ok(mail?.parsed.text?.includes(task.title), task.title);
  }

  /** Nothing of the task reached `user`: no inbox row, no batch (so no mail, no push). */
  async function gotNothing(user: UserClient, task: Task): Promise<void> {
    assert.deepEqual(await inboxOf(user, task), [], `${user.user.email} has no notification`);
    assert.equal((await deliveriesTo(user)).length, 0, `${user.user.email} has no delivery`);
    assert.equal(mailsTo(user).length, 0);
  }

  it('goes to the assignee only, not to the members who opted in', async () => {
    const [ada, bob, cy] = [await stack.signUp(), await stack.signUp(), await stack.signUp()];
    const list = await sharedList(ada, bob, cy);
    await optIn(cy, list);
    const task = await reminderSoon(ada, list, { assigneeId: bob.userId });
    assert.equal((await fired(task)).returnvalue, 'fired');
    await delivered(bob);
    const [row] = await inboxOf(bob, task);
    assert.equal(row?.title, 'Reminder: Take the bins out');
    assert.equal(mailsTo(bob).length, 1);
    // The owner of record (opted in as the list's creator) and cy (opted in) get nothing.
    await gotNothing(ada, task);
    await gotNothing(cy, task);
  });

  it('goes to each member who opted in, by their own preferences, once each under redelivery', async () => {
    const [ada, bob, cy, dan] = [
      await stack.signUp(),
      await stack.signUp(),
      await stack.signUp(),
      await stack.signUp(),
    ];
    const list = await sharedList(ada, bob, cy, dan);
    await optIn(bob, list);
    await optIn(cy, list);
    // cy wants no mail at all: in-app only, whatever the task asks for.
    await cy.call('PATCH', '/users/me/notifications', { emailEnabled: false });
    const task = await reminderSoon(ada, list);
    const fireJob = await fired(task);
    await Promise.all([delivered(ada), delivered(bob), delivered(cy)]);
    for (const user of [ada, bob, cy]) assert.equal((await inboxOf(user, task)).length, 1);
    assert.deepEqual(
      [mailsTo(ada).length, mailsTo(bob).length, mailsTo(cy).length],
      [1, 1, 0],
      'mail to ada and bob, none to cy (email off)',
    );
    const [cyRow] = await inboxOf(cy, task);
    assert.equal(cyRow?.deliveries.find((d) => d.channel === 'email')?.status, 'skipped');
    await gotNothing(dan, task);
    // Redelivered: the fire job runs again after it completed; every recipient answers as the
    // first time, so nothing is stored or sent twice.
    const attempts = fireJob.attemptsMade;
    await fireJob.retry('completed');
    await waitFor('the fire job to run again', async () => {
      const job = await stack.workers.queues.reminders.getJob(fireJob.id!);
      return job && (await job.getState()) === 'completed' && job.attemptsMade !== attempts
        ? job
        : null;
    });
    await Promise.all([delivered(ada), delivered(bob), delivered(cy)]);
    for (const user of [ada, bob, cy]) assert.equal((await inboxOf(user, task)).length, 1);
    assert.deepEqual([mailsTo(ada).length, mailsTo(bob).length, mailsTo(cy).length], [1, 1, 0]);
  });

  it('reads the recipients when it fires: a member removed meanwhile gets nothing, one who joined and opted in gets it', async () => {
    const [ada, bob, cy] = [await stack.signUp(), await stack.signUp(), await stack.signUp()];
    const list = await sharedList(ada, bob);
    await optIn(bob, list);
    const task = await reminderSoon(ada, list);
    // Scheduled while bob was in the list: he leaves, cy joins and opts in, before it fires.
    await ada.call('DELETE', `/lists/${list.id}/members/${bob.userId}`);
    await join(ada, list, cy);
    await optIn(cy, list);
    const fireJob = await fired(task);
    await Promise.all([delivered(ada), delivered(cy)]);
    assert.equal((await inboxOf(cy, task)).length, 1);
    assert.equal(mailsTo(cy).length, 1);
    await gotNothing(bob, task);
    // What Bull Board shows of the reminder: ids and the owner's own task, no member's address.
    const shown = JSON.stringify(fireJob.data);
    for (const member of [bob, cy]) assert.ok(!shown.includes(member.user.email), shown);
    assert.equal(fireJob.data.taskId, task.id);
  });

  it('two shared reminders due within the window reach a member who opted in as one digest, as they reach the owner', async () => {
    const [ada, bob] = [await stack.signUp(), await stack.signUp()];
    const list = await sharedList(ada, bob);
    await optIn(bob, list);
    const at = Date.now() + 4000;
    const bins = await remindAt(ada, list, at, 'Take the bins out');
    const plants = await remindAt(ada, list, at + 2000, 'Water the plants');
    assert.equal((await fired(bins)).returnvalue, 'fired');
    assert.equal((await fired(plants)).returnvalue, 'fired');
    // bob is not the tasks' owner of record: his batch waited for the second all the same.
    await gotOneDigest(bob, [bins, plants]);
    await gotOneDigest(ada, [bins, plants]);
  });

  it('goes by who is a recipient when it fires: a member removed meanwhile gets none of the digest, and their own reminder is not held back for it', async () => {
    const [ada, bob, cy] = [await stack.signUp(), await stack.signUp(), await stack.signUp()];
    const list = await sharedList(ada, bob, cy);
    await optIn(bob, list);
    await optIn(cy, list);
    const at = Date.now() + 5000;
    // bob's own reminder comes first; the two shared ones, expected for him when they were
    // scheduled, within its window.
    const dentist = await remindAt(bob, null, at, 'Call the dentist');
    const bins = await remindAt(ada, list, at + 2000, 'Take the bins out');
    const plants = await remindAt(ada, list, at + 3000, 'Water the plants');
    await ada.call('DELETE', `/lists/${list.id}/members/${bob.userId}`);
    await Promise.all([fired(dentist), fired(bins), fired(plants)]);
    await gotOneDigest(cy, [bins, plants]);
    assert.deepEqual(await inboxOf(bob, bins), []);
    assert.deepEqual(await inboxOf(bob, plants), []);
    // His own went out once the shared ones fired without him, not when its window closed.
    const own = await delivered(bob, 2 * WINDOW_MS);
    assert.ok(
      own.processedOn! < own.timestamp + WINDOW_MS,
      `delivered ${own.processedOn! - own.timestamp} ms after it formed (window ${WINDOW_MS} ms)`,
    );
    await gotOneDigest(bob, [dentist]);
    assert.ok(!mailsTo(bob)[0]?.parsed.text?.includes('Take the bins out'));
  });

  it("after Redis lost its data, the rebuild puts the reminders back in each recipient's due set: still one digest", async (t) => {
    const [ada, bob] = [await stack.signUp(), await stack.signUp()];
    const list = await sharedList(ada, bob);
    await optIn(bob, list);
    const at = Date.now() + 6000;
    const bins = await remindAt(ada, list, at, 'Take the bins out');
    const plants = await remindAt(ada, list, at + 2000, 'Water the plants');
    const jobIds = [bins, plants].map((task) => reminderJobId(task.id, new Date(task.reminderAt!)));
    const scheduled = async () => {
      const delayed = await stack.workers.queues.reminders.getJobs(['delayed'], 0, 1000);
      return jobIds.every((id) => delayed.some((job) => job?.id === id));
    };
    await waitFor('both reminders scheduled', scheduled);
    t.diagnostic(`Redis keys removed: ${await wipeRedis(stack)}`);
    assert.ok(await stack.workers.reconciler!.runOnce('test'), 'the pass ran');
    assert.ok(await scheduled(), 'both rebuilt from the database');
    await Promise.all([fired(bins), fired(plants)]);
    await gotOneDigest(bob, [bins, plants]);
    await gotOneDigest(ada, [bins, plants]);
  });
});
