import assert from 'node:assert/strict';
import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  PUSH_SUBSCRIPTION_GONE_TYPE,
  TOPICS,
  pushSubscriptionGoneEventId,
  type PushConfig,
  type PushSubscriptionList,
  type PushSubscriptionResource,
} from '@todo/contracts';
import { assertError, client, deliverEvent, startTestApi, type TestApi } from './helpers.js';

/** What a browser's PushSubscription.toJSON() gives, with real keys. */
function browserSubscription(endpoint = `https://push.example.com/send/${randomUUID()}`) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    endpoint,
    expirationTime: null,
    keys: { p256dh: ecdh.getPublicKey('base64url'), auth: randomBytes(16).toString('base64url') },
  };
}

const VAPID = createECDH('prime256v1');
VAPID.generateKeys();
const PATH = '/api/v1/users/me/push-subscriptions';

describe('push subscriptions: one row per device, idempotent, validated', () => {
  let t: TestApi;
  let call: ReturnType<typeof client>;
  let other: ReturnType<typeof client>;
  let userId: string;

  before(async () => {
    t = await startTestApi({ VAPID_PUBLIC_KEY: VAPID.getPublicKey('base64url') });
    const user = await t.signUp();
    userId = user.userId;
    call = client(t.baseUrl, user.token);
    other = client(t.baseUrl, (await t.signUp()).token);
  });
  after(() => t.stop());

  it('gives the VAPID public key a browser subscribes with', async () => {
    const response = await call<PushConfig>('GET', '/api/v1/push/config');
    assert.equal(response.status, 200);
    assert.equal(response.body.vapidPublicKey, VAPID.getPublicKey('base64url'));
  });

  it('stores several devices, the same endpoint once, and lists only the owner’s', async () => {
    const phone = browserSubscription();
    const laptop = browserSubscription();
    const first = await call<PushSubscriptionResource>('POST', PATH, phone);
    assert.equal(first.status, 201);
    assert.equal(first.body.endpoint, phone.endpoint);
    // The same browser subscribing again (new keys after a reinstall): one row, keys refreshed.
    const again = await call<PushSubscriptionResource>('POST', PATH, {
      ...browserSubscription(phone.endpoint),
    });
    assert.equal(again.status, 201);
    assert.equal(again.body.id, first.body.id);
    assert.equal((await call('POST', PATH, laptop)).status, 201);
    const list = await call<PushSubscriptionList>('GET', PATH);
    assert.deepEqual(
      list.body.items.map((s) => s.endpoint).sort(),
      [phone.endpoint, laptop.endpoint].sort(),
    );
    assert.equal((await other<PushSubscriptionList>('GET', PATH)).body.items.length, 0);
  });

  it('removes a device by endpoint (idempotently) or by id (404 when unknown)', async () => {
    const a = browserSubscription();
    const b = browserSubscription();
    await call('POST', PATH, a);
    const created = await call<PushSubscriptionResource>('POST', PATH, b);
    const byEndpoint = `${PATH}?endpoint=${encodeURIComponent(a.endpoint)}`;
    assert.equal((await call('DELETE', byEndpoint)).status, 204);
    assert.equal((await call('DELETE', byEndpoint)).status, 204);
    // Another user cannot remove it by id.
    assertError(await other('DELETE', `${PATH}/${created.body.id}`), 404, 'NOT_FOUND');
    assert.equal((await call('DELETE', `${PATH}/${created.body.id}`)).status, 204);
    assertError(await call('DELETE', `${PATH}/${created.body.id}`), 404, 'NOT_FOUND');
    const left = (await call<PushSubscriptionList>('GET', PATH)).body.items.map((s) => s.endpoint);
    assert.ok(!left.includes(a.endpoint) && !left.includes(b.endpoint));
  });

  it('deletes a device the push service answered 410 for (the workers’ event), once', async () => {
    const device = browserSubscription();
    const created = await call<PushSubscriptionResource>('POST', PATH, device);
    const event = {
      specversion: '1.0',
      id: pushSubscriptionGoneEventId(created.body.id),
      source: 'todo-workers',
      type: PUSH_SUBSCRIPTION_GONE_TYPE,
      subject: `push-subscriptions/${created.body.id}`,
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      userid: userId,
      correlationid: randomUUID(),
      pubsubname: 'pubsub',
      topic: TOPICS.reminders,
      data: { userId, subscriptionId: created.body.id, endpoint: device.endpoint, status: 410 },
    };
    assert.equal(await deliverEvent(t.baseUrl, '/events/reminders', event), 'SUCCESS');
    assert.equal(await deliverEvent(t.baseUrl, '/events/reminders', event), 'SUCCESS');
    const left = (await call<PushSubscriptionList>('GET', PATH)).body.items;
    assert.ok(!left.some((s) => s.id === created.body.id));
  });

  describe('bad input: 400 naming the field, nothing stored', () => {
    const good = browserSubscription();
    const cases: [string, unknown, string][] = [
      ['no endpoint', { keys: good.keys }, 'endpoint'],
      ['endpoint not a URL', { ...good, endpoint: 'push me' }, 'endpoint'],
      ['ftp endpoint', { ...good, endpoint: 'ftp://push.example.com/x' }, 'endpoint'],
      ['http to another host', { ...good, endpoint: 'http://push.example.com/x' }, 'endpoint'],
      [
        'endpoint over 2048',
        { ...good, endpoint: `https://push.example.com/${'a'.repeat(2048)}` },
        'endpoint',
      ],
      ['no keys', { endpoint: good.endpoint }, 'keys'],
      ['no auth', { ...good, keys: { p256dh: good.keys.p256dh } }, 'keys.auth'],
      [
        'p256dh oversize',
        { ...good, keys: { ...good.keys, p256dh: good.keys.p256dh + 'AAAA' } },
        'keys.p256dh',
      ],
      [
        'p256dh huge',
        { ...good, keys: { ...good.keys, p256dh: 'B'.repeat(10_000) } },
        'keys.p256dh',
      ],
      [
        'p256dh compressed (33 bytes)',
        { ...good, keys: { ...good.keys, p256dh: randomBytes(33).toString('base64url') } },
        'keys.p256dh',
      ],
      [
        'p256dh not on the curve',
        {
          ...good,
          keys: {
            ...good.keys,
            p256dh: Buffer.concat([Buffer.from([4]), randomBytes(64)]).toString('base64url'),
          },
        },
        'keys.p256dh',
      ],
      [
        'p256dh not base64url',
        { ...good, keys: { ...good.keys, p256dh: '!'.repeat(87) } },
        'keys.p256dh',
      ],
      [
        'auth oversize',
        { ...good, keys: { ...good.keys, auth: randomBytes(32).toString('base64url') } },
        'keys.auth',
      ],
      ['auth a number', { ...good, keys: { ...good.keys, auth: 16 } }, 'keys.auth'],
      ['unknown field', { ...good, extra: 1 }, 'extra'],
    ];
    for (const [name, body, field] of cases)
      it(name, async () => {
        assertError(await call('POST', PATH, body), 400, 'VALIDATION_FAILED', [field]);
      });

    it('an unknown id or a bad endpoint query on DELETE', async () => {
      assertError(await call('DELETE', `${PATH}/not-a-uuid`), 400, 'VALIDATION_FAILED', ['id']);
      assertError(await call('DELETE', PATH), 400, 'VALIDATION_FAILED', ['endpoint']);
    });

    it('stored nothing', async () => {
      const endpoints = (await call<PushSubscriptionList>('GET', PATH)).body.items.map(
        (s) => s.endpoint,
      );
      assert.ok(!endpoints.includes(good.endpoint));
    });
  });

  it('accepts http on 127.0.0.1 outside production (test push services)', async () => {
    const local = browserSubscription('http://127.0.0.1:9/push/abc');
    assert.equal((await call('POST', PATH, local)).status, 201);
  });
});

describe('push subscriptions in production', () => {
  let t: TestApi;
  let call: ReturnType<typeof client>;

  before(async () => {
    // Production demands every secret, the mail's unsubscribe secret included.
    t = await startTestApi({
      NODE_ENV: 'production',
      BETTER_AUTH_SECRET: 'p'.repeat(40),
      UNSUBSCRIBE_SECRET: 'u'.repeat(40),
      // Account mail is real in production unless the log transport is asked for by name.
      MAIL_TRANSPORT: 'log',
      MAIL_FROM: '"Todo" <accounts@example.test>',
    });
    call = client(t.baseUrl, (await t.signUp()).token);
  });
  after(() => t.stop());

  it('refuses an endpoint that is not https, even on this machine', async () => {
    for (const endpoint of ['http://127.0.0.1:9/push/abc', 'http://push.example.com/x'])
      assertError(
        await call('POST', PATH, browserSubscription(endpoint)),
        400,
        'VALIDATION_FAILED',
        ['endpoint'],
      );
    assert.equal((await call('POST', PATH, browserSubscription())).status, 201);
  });

  it('answers null for the key when push is not configured', async () => {
    const response = await call<PushConfig>('GET', '/api/v1/push/config');
    assert.equal(response.body.vapidPublicKey, null);
  });
});
