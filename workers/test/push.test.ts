import assert from 'node:assert/strict';
import { createECDH } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import {
  PUSH_SUBSCRIPTION_VIEW,
  type PushPayload,
  type PushSubscriptionList,
  type Task,
} from '@todo/contracts';
import type { DeliverBatchJob } from '../src/queues/job-data.js';
import { findJob, readerUrl, startStack, waitFor, type Stack, type UserClient } from './helpers.js';
import { LocalPushService, type Device } from './push-service.js';

const vapid = createECDH('prime256v1');
vapid.generateKeys();
const VAPID_PUBLIC_KEY = vapid.getPublicKey('base64url');
const MINUTE = 60_000;

describe('Web Push: signed, encrypted for the device, gone devices removed, failures retried', () => {
  let stack: Stack;
  const service = new LocalPushService();

  before(async () => {
    await service.start();
    stack = await startStack(
      'push',
      {
        VAPID_PUBLIC_KEY,
        VAPID_PRIVATE_KEY: vapid.getPrivateKey('base64url'),
        VAPID_SUBJECT: 'mailto:ops@todo.example',
        JOB_ATTEMPTS: '4',
        JOB_BACKOFF_MS: '200',
      },
      {},
      { VAPID_PUBLIC_KEY },
      readerUrl,
    );
  });
  after(async () => {
    await stack?.stop();
    await service.stop();
  });

  async function subscribe(user: UserClient, ...devices: Device[]) {
    for (const device of devices)
      await user.call('POST', '/users/me/push-subscriptions', device.subscription);
  }

  /** A task whose push reminder comes due a few seconds from now. */
  const pushReminderSoon = (user: UserClient, title: string) =>
    user.createTask({
      title,
      dueDate: new Date(Date.now() + MINUTE + 3000).toISOString(),
      reminderOffset: 1,
      reminderChannels: ['push'],
    });

  it('the workers’ reader role reads the devices’ view, not the table behind it', async () => {
    const reader = new pg.Client({ connectionString: await readerUrl(stack.databaseUrl) });
    await reader.connect();
    try {
      await reader.query(`SELECT * FROM ${PUSH_SUBSCRIPTION_VIEW} LIMIT 1`);
      await assert.rejects(
        reader.query('SELECT * FROM push_subscriptions LIMIT 1'),
        /permission denied/,
      );
    } finally {
      await reader.end();
    }
  });

  it('a reminder reaches each device as a request a browser can verify and decrypt', async () => {
    const user = await stack.signUp();
    const phone = service.device(`phone-${user.userId.slice(0, 8)}`);
    const laptop = service.device(`laptop-${user.userId.slice(0, 8)}`);
    await subscribe(user, phone, laptop);
    const task: Task = await pushReminderSoon(user, 'Call the dentist');
    await service.until(
      'both devices',
      () => service.of(phone.name).length > 0 && service.of(laptop.name).length > 0,
    );
    for (const device of [phone, laptop]) {
      const [request] = service.of(device.name);
      assert.ok(request);
      // The JWT verified against this key; it is the server's VAPID key, for this origin.
      assert.equal(request.vapidKey, VAPID_PUBLIC_KEY);
      assert.equal(request.claims.aud, service.origin);
      assert.equal(request.claims.sub, 'mailto:ops@todo.example');
      assert.equal(request.headers['content-encoding'], 'aes128gcm');
      assert.equal(request.headers.urgency, 'high');
      assert.ok(Number(request.headers.ttl) > 0);
      // Decrypted with the device's private key: what the browser shows, and where a click goes.
      const { notification } = request.payload as PushPayload;
      assert.equal(notification.title, 'Reminder: Call the dentist');
      assert.equal(notification.data.url, `/tasks?task=${task.id}`);
      assert.equal(notification.data.onActionClick.default.url, `/tasks?task=${task.id}`);
      assert.deepEqual(notification.data.taskIds, [task.id]);
    }
  });

  it('a device answered 410 is deleted; the others still get it', async () => {
    const user = await stack.signUp();
    const gone = service.device(`gone-${user.userId.slice(0, 8)}`);
    const kept = service.device(`kept-${user.userId.slice(0, 8)}`);
    await subscribe(user, gone, kept);
    service.answer(gone.name, 410);
    await pushReminderSoon(user, 'Renew the passport');
    // Devices are pushed to one after the other, in no set order: wait for both outcomes.
    await service.until('the kept device’s push', () => service.of(kept.name).length > 0);
    const endpoints = await waitFor('the gone device to be deleted', async () => {
      const { items } = await user.call<PushSubscriptionList>(
        'GET',
        '/users/me/push-subscriptions',
      );
      return items.length === 1 ? items.map((s) => s.endpoint) : null;
    });
    assert.deepEqual(endpoints, [kept.subscription.endpoint]);
    assert.equal(service.of(kept.name).length, 1);
    // Deleted, not retried: the push service saw the gone device once.
    assert.equal(service.of(gone.name).length, 1);
  });

  it('a 500 retries with backoff; a device that accepted is not pushed twice', async () => {
    const user = await stack.signUp();
    const flaky = service.device(`flaky-${user.userId.slice(0, 8)}`);
    const steady = service.device(`steady-${user.userId.slice(0, 8)}`);
    await subscribe(user, flaky, steady);
    service.answer(flaky.name, 500, 503);
    await pushReminderSoon(user, 'Water the plants');
    await service.until('the third try', () => service.of(flaky.name).length === 3);
    assert.deepEqual(
      service.of(flaky.name).map((r) => r.status),
      [500, 503, 201],
    );
    const job = await waitFor('the delivery job to complete', () =>
      findJob<DeliverBatchJob>(
        stack.workers.queues.notifications,
        ['completed'],
        (d) => d.userId === user.userId && 'batchId' in d,
      ),
    );
    assert.equal(job.attemptsMade, 3);
    assert.equal(service.of(steady.name).length, 1);
  });

  it('a push service that keeps failing ends the delivery in the failed set (Bull Board)', async () => {
    const user = await stack.signUp();
    const broken = service.device(`broken-${user.userId.slice(0, 8)}`);
    await subscribe(user, broken);
    service.answer(broken.name, 500, 500, 500, 500);
    await pushReminderSoon(user, 'Pay the rent');
    const job = await waitFor('the delivery job to fail for good', () =>
      findJob<DeliverBatchJob>(
        stack.workers.queues.notifications,
        ['failed'],
        (d) => d.userId === user.userId && 'batchId' in d,
      ),
    );
    assert.equal(job.attemptsMade, 4);
    assert.match(job.failedReason, /push service answered 500/);
    // The inbox row went out before the push was tried: the user still sees the reminder.
    assert.equal((await user.notifications()).items.length, 1);
  });
});
