import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Job } from 'bullmq';
import type { ChannelDelivery, Notification, NotificationPreferences } from '@todo/contracts';
import { signUpUser, startMailCatcher, type CaughtMail, type MailCatcher } from '@todo/ops/testing';
import type { DeliverBatchJob, ReminderIntakeJob } from '../src/queues/job-data.js';
import {
  findJob,
  RecordingSenders,
  startStack,
  UserClient,
  waitFor,
  type Stack,
} from './helpers.js';

const MINUTE = 60_000;

/** "HH:MM" of `instant` in `timeZone`. */
const clock = (instant: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(instant);

/** A header's raw value as sent (mailparser also parses some, e.g. List-* into objects). */
const header = (mail: CaughtMail, name: string): string => {
  const line = mail.parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line ?? '';
  return line
    .slice(line.indexOf(':') + 1)
    .replace(/\r?\n\s+/g, ' ')
    .trim();
};

describe('email: real SMTP (in-process smtp-server), parsed with mailparser', () => {
  let stack: Stack;
  let catcher: MailCatcher;
  // Push is the other engineer's channel: recorded here, so only mail is real.
  const push = new RecordingSenders();

  before(async () => {
    catcher = await startMailCatcher();
    stack = await startStack(
      'email',
      {
        SMTP_URL: catcher.smtpUrl,
        MAIL_FROM: '"Todo Chatbot" <reminders@example.test>',
        NOTIFICATION_BATCH_WINDOW_MS: '20000',
      },
      { senders: { push: push.senders().push } },
    );
  });

  beforeEach(() => {
    catcher.refuse = null;
  });

  after(async () => {
    await stack?.stop();
    await catcher?.stop();
  });

  /** Tasks whose reminders come due together a few seconds from now. */
  async function remindersSoon(user: UserClient, titles: string[], channels = ['email']) {
    const dueDate = new Date(Date.now() + MINUTE + 3000).toISOString();
    return Promise.all(
      titles.map((title) =>
        user.createTask({ title, dueDate, reminderOffset: 1, reminderChannels: channels }),
      ),
    );
  }

  const mailTo = (user: UserClient) =>
    catcher.next((m) => m.envelope.to.includes(user.user.email), 20_000);

  /** The user's inbox row once its channel statuses are no longer pending. */
  const settledRow = (user: UserClient) =>
    waitFor('the inbox row with its channel statuses', async () => {
      const [row] = (await user.notifications()).items as Notification[];
      return row && row.deliveries.length && row.deliveries.every((d) => d.status !== 'pending')
        ? row
        : null;
    });

  const statusOf = (row: Notification, channel: string): ChannelDelivery | undefined =>
    row.deliveries.find((d) => d.channel === channel);

  it('one reminder: one mail to the account, both bodies, the link, one-click unsubscribe', async () => {
    const user = await stack.signUp();
    await user.call('PATCH', '/users/me/notifications', { timezone: 'Asia/Kolkata' });
    const [task] = await remindersSoon(user, ['Pay the <electricity> bill']);
    const mail = await mailTo(user);
    assert.deepEqual(mail.envelope.to, [user.user.email]);
    assert.equal(mail.parsed.subject, 'Reminder: Pay the <electricity> bill');
    assert.match(header(mail, 'from'), /reminders@example\.test/);
    // The due time in the user's zone, in both bodies; the title escaped in the HTML.
    const due = clock(new Date(task!.dueDate!), 'Asia/Kolkata');
    assert.match(
      mail.parsed.text ?? '',
      new RegExp(`"Pay the <electricity> bill" is due .*${due} \\(Asia/Kolkata\\)`),
    );
    const html = String(mail.parsed.html);
    assert.match(html, /Pay the &lt;electricity&gt; bill/);
    assert.match(html, new RegExp(`${due} \\(Asia/Kolkata\\)`));
    // A link back to the app, and the unsubscribe link in both bodies and the headers.
    assert.ok(html.includes(`href="${stack.api.baseUrl}/tasks"`), 'HTML links to the app');
    assert.ok(
      (mail.parsed.text ?? '').includes(`${stack.api.baseUrl}/tasks`),
      'text links to the app',
    );
    const unsubscribe = /^<(.+)>$/.exec(header(mail, 'list-unsubscribe').trim())?.[1] ?? '';
    assert.ok(unsubscribe.startsWith(`${stack.api.baseUrl}/api/email/unsubscribe/`), unsubscribe);
    assert.equal(header(mail, 'list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
    assert.ok((mail.parsed.text ?? '').includes(unsubscribe));
    // The inbox row says email was sent.
    const row = await settledRow(user);
    assert.equal(statusOf(row, 'email')?.status, 'sent');
    assert.equal(statusOf(row, 'email')?.reason, null);
  });

  it('an address not yet verified gets no reminder mail; the inbox row says why', async () => {
    // Signed up, link not clicked (stack.signUp() verifies; this user does not).
    const user = new UserClient(stack.api.baseUrl, await signUpUser(stack.api.baseUrl));
    await remindersSoon(user, ['Renew the passport']);
    const row = await settledRow(user);
    assert.equal(statusOf(row, 'email')?.status, 'skipped');
    assert.equal(statusOf(row, 'email')?.reason, 'address not verified');
    assert.equal(catcher.messages.filter((m) => m.envelope.to.includes(user.user.email)).length, 0);
  });

  it('a batch of reminders is one mail listing each', async () => {
    const user = await stack.signUp();
    await remindersSoon(user, ['Water the plants', 'Call the bank', 'Book the dentist']);
    const mail = await mailTo(user);
    assert.equal(mail.parsed.subject, '3 reminders from Todo Chatbot');
    for (const title of ['Water the plants', 'Call the bank', 'Book the dentist']) {
      assert.ok(mail.parsed.text?.includes(title), `text lists ${title}`);
      assert.ok(String(mail.parsed.html).includes(title), `HTML lists ${title}`);
    }
    await settledRow(user);
    assert.equal(catcher.messages.filter((m) => m.envelope.to.includes(user.user.email)).length, 1);
  });

  it('quiet hours defer the mail to their end', async () => {
    const user = await stack.signUp();
    const timezone = 'Europe/Berlin';
    const now = new Date();
    await user.call('PATCH', '/users/me/notifications', {
      timezone,
      quietHoursStart: clock(new Date(now.getTime() - 60 * MINUTE), timezone),
      quietHoursEnd: clock(new Date(now.getTime() + 120 * MINUTE), timezone),
    });
    const [task] = await remindersSoon(user, ['Not at night']);
    const deferred = await waitFor('the deferred intake job', () =>
      findJob<ReminderIntakeJob>(
        stack.workers.queues.notifications,
        ['delayed'],
        (d) => 'reminder' in d && d.reminder.taskId === task?.id,
      ),
    );
    assert.ok(
      Math.abs(deferred.timestamp + deferred.delay - (now.getTime() + 120 * MINUTE)) < 61_000,
    );
    assert.equal(catcher.messages.filter((m) => m.envelope.to.includes(user.user.email)).length, 0);
    // At the end of the quiet period (cut short here), the mail goes.
    await user.call('PATCH', '/users/me/notifications', {
      quietHoursStart: null,
      quietHoursEnd: null,
    });
    await waitFor('the cleared quiet hours to reach the workers', async () => {
      const kept = await stack.workers.preferences.get(user.userId);
      return kept !== null && kept.quietHoursStart === null;
    });
    await deferred.promote();
    const mail = await mailTo(user);
    assert.equal(mail.parsed.subject, 'Reminder: Not at night');
  });

  it('an SMTP 4xx is retried with backoff until the server takes it', async () => {
    const user = await stack.signUp();
    let refusals = 0;
    catcher.refuse = (to) =>
      to === user.user.email && refusals++ < 2
        ? { code: 451, message: '4.7.1 Greylisted, try again later' }
        : null;
    await remindersSoon(user, ['Greylisted']);
    const mail = await mailTo(user);
    assert.equal(mail.parsed.subject, 'Reminder: Greylisted');
    assert.equal(refusals, 3); // two refused, the third accepted
    const job = (await waitFor('the completed delivery job', () =>
      findJob<DeliverBatchJob>(
        stack.workers.queues.notifications,
        ['completed'],
        (d) => d.userId === user.userId,
      ),
    )) as Job<DeliverBatchJob>;
    assert.equal(job.attemptsMade, 3);
    assert.equal(statusOf(await settledRow(user), 'email')?.status, 'sent');
  });

  it('an SMTP 5xx ends the delivery in the failed set at once; the inbox row says why', async () => {
    const user = await stack.signUp();
    catcher.refuse = (to) =>
      to === user.user.email ? { code: 550, message: '5.1.1 No such user here' } : null;
    await remindersSoon(user, ['Nobody home'], ['email', 'push']);
    const failed = await waitFor('the delivery job in the failed set', () =>
      findJob<DeliverBatchJob>(
        stack.workers.queues.notifications,
        ['failed'],
        (d) => d.userId === user.userId,
      ),
    );
    assert.equal(failed.attemptsMade, 1, 'no retry of a permanent refusal');
    assert.match(failed.failedReason ?? '', /550/);
    const row = await settledRow(user);
    assert.equal(statusOf(row, 'email')?.status, 'failed');
    assert.match(statusOf(row, 'email')?.reason ?? '', /550.*No such user/);
    // The other channel was not held back by the failed mail.
    assert.equal(statusOf(row, 'push')?.status, 'sent');
  });

  it('one-click unsubscribe (RFC 8058) turns email off; the next reminder says so', async () => {
    const user = await stack.signUp();
    await remindersSoon(user, ['Before unsubscribing']);
    const mail = await mailTo(user);
    const url = /^<(.+)>$/.exec(header(mail, 'list-unsubscribe').trim())?.[1] ?? '';
    // GET (a person clicking, or a scanner) changes nothing and offers a button.
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<form method="post"><button/);
    assert.equal(
      (await user.call<NotificationPreferences>('GET', '/users/me/notifications')).emailEnabled,
      true,
    );
    // The mail client's one-click POST.
    const post = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    assert.equal(post.status, 200);
    assert.equal(
      (await user.call<NotificationPreferences>('GET', '/users/me/notifications')).emailEnabled,
      false,
    );
    // preferences.updated reached the workers: the next reminder's email is skipped, with why.
    await waitFor(
      'email off to reach the workers',
      async () => (await stack.workers.preferences.get(user.userId))?.emailEnabled === false,
    );
    await remindersSoon(user, ['After unsubscribing']);
    const row = await waitFor('the second inbox row', async () => {
      const { items } = await user.notifications();
      return items.length === 2 ? items[0] : null;
    });
    assert.deepEqual(
      row?.deliveries.map((d) => [d.channel, d.status, d.reason]),
      [['email', 'skipped', 'email is off in Settings']],
    );
  });

  it('a forged or malformed unsubscribe token is a 400 naming the token', async () => {
    for (const token of ['bm9ib2R5.c2lnbmF0dXJl', 'not a token']) {
      const response = await fetch(
        `${stack.api.baseUrl}/api/email/unsubscribe/${encodeURIComponent(token)}`,
        {
          method: 'POST',
        },
      );
      assert.equal(response.status, 400);
      const body = (await response.json()) as { details?: { field: string }[] };
      assert.ok(
        body.details?.some((d) => d.field === 'token'),
        JSON.stringify(body),
      );
    }
  });

  it('"send me a test notification" delivers on every enabled channel, with each status in the inbox', async () => {
    const user = await stack.signUp();
    const accepted = await user.call<{ requestId: string }>('POST', '/notifications/test');
    assert.match(accepted.requestId, /^[0-9a-f-]{36}$/);
    const mail = await mailTo(user);
    assert.equal(mail.parsed.subject, 'Test notification from Todo Chatbot');
    assert.ok(header(mail, 'list-unsubscribe').includes('/api/email/unsubscribe/'));
    const row = await settledRow(user);
    assert.equal(row.title, 'Test notification');
    assert.deepEqual(row.taskIds, []);
    assert.deepEqual(
      row.deliveries.map((d) => [d.channel, d.status]),
      [
        ['email', 'sent'],
        ['push', 'sent'],
      ],
    );
    // Push off: the next test skips it and says why; email still goes.
    await user.call('PATCH', '/users/me/notifications', { pushEnabled: false });
    await user.call('POST', '/notifications/test');
    const second = await waitFor('the second test row', async () => {
      const { items } = await user.notifications();
      const [newest] = items;
      return items.length === 2 && newest?.deliveries.every((d) => d.status !== 'pending')
        ? newest
        : null;
    });
    assert.deepEqual(
      second.deliveries.map((d) => [d.channel, d.status, d.reason]),
      [
        ['email', 'sent', null],
        ['push', 'skipped', 'push is off in Settings'],
      ],
    );
  });
});
