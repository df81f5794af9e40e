// Browser e2e of Web Push: Settings → "Notify me on this device" in Chromium, with the
// notification permission granted in the browser context, registers Angular's service worker
// and a subscription that reaches the api; a reminder then leaves the workers as a push
// request that this test, standing in for the push service, verifies (VAPID JWT) and
// decrypts with the subscription's keys, as the browser would.
//
// Chromium's own pushManager.subscribe() needs its vendor's push service on the internet,
// which this machine cannot reach (headless Chromium here answers "AbortError: Registration
// failed - permission denied" even with the permission granted). The test calls the real one
// first; only if that fails does it replace PushManager.prototype.subscribe (that third party
// alone) with one that answers a subscription whose endpoint is the local push service below.
// The diagnostics say which path ran and why.
//   npm run test:e2e -w @todo/client
import assert from 'node:assert/strict';
import { createECDH, createPublicKey, randomBytes, verify } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import ece from 'http_ece';
import { chromium } from 'playwright-core';
import chrome from './chrome.cjs';
import { startStack } from './stack.mjs';

let stack;
let browser;
let page;
let pushService;
const requests = [];
const problems = [];
// The device's keys: what a browser keeps to decrypt its pushes.
const device = createECDH('prime256v1');
device.generateKeys();
const deviceAuth = randomBytes(16).toString('base64url');

/** The VAPID JWT's claims when its ES256 signature verifies with the uncompressed key `k`. */
function verifiedClaims(jwt, k) {
  const [header, claims, signature] = jwt.split('.');
  const point = Buffer.from(k, 'base64url');
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33).toString('base64url'),
    },
    format: 'jwk',
  });
  const ok = verify(
    'sha256',
    Buffer.from(`${header}.${claims}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  return ok ? JSON.parse(Buffer.from(claims, 'base64url').toString()) : null;
}

/** A push service on loopback: records each request, verified and decrypted. */
async function startPushService() {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const [, jwt, k] = /^vapid t=(\S+), k=(\S+)$/.exec(req.headers.authorization ?? '') ?? [];
      const claims = jwt ? verifiedClaims(jwt, k) : null;
      let payload = null;
      try {
        payload = JSON.parse(
          ece
            .decrypt(Buffer.concat(chunks), {
              version: 'aes128gcm',
              privateKey: device,
              authSecret: deviceAuth,
            })
            .toString(),
        );
      } catch {
        // recorded as undecryptable: the assertion below names it
      }
      requests.push({ url: req.url, claims, vapidKey: k, payload });
      res.writeHead(claims && payload ? 201 : 400).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

describe('Web Push from Settings', { timeout: 600_000 }, () => {
  before(async () => {
    pushService = await startPushService();
    stack = await startStack({ log: (line) => console.log(line) });
    browser = await chromium.launch({
      executablePath: chrome.chromeBin(),
      args: chrome.CHROME_FLAGS,
    });
    const context = await browser.newContext();
    await context.grantPermissions(['notifications'], { origin: stack.url });
    page = await context.newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    // Runs before the app: keeps the real subscribe, falls back only when it cannot reach
    // the vendor's push service.
    await page.addInitScript(
      ({ endpoint, p256dh, auth }) => {
        const real = PushManager.prototype.subscribe;
        PushManager.prototype.subscribe = async function (options) {
          try {
            const subscription = await real.call(this, options);
            window.__pushPath = 'real';
            return subscription;
          } catch (error) {
            window.__pushPath = `local push service (the real subscribe failed: ${error})`;
            window.__applicationServerKey = btoa(
              String.fromCharCode(...new Uint8Array(options.applicationServerKey)),
            );
            return {
              endpoint,
              expirationTime: null,
              options,
              getKey: () => null,
              toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh, auth } }),
              unsubscribe: async () => true,
            };
          }
        };
      },
      {
        endpoint: `${pushService.origin}/push/e2e-device`,
        p256dh: device.getPublicKey('base64url'),
        auth: deviceAuth,
      },
    );
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
    pushService?.server.close();
    if (problems.length) console.log(`browser errors seen:\n# ${problems.join('\n# ')}`);
  });

  /** The api as this signed-in page sees it (its session's JWT). */
  const api = (method, path, body) =>
    page.evaluate(
      async ({ method, path, body }) => {
        const { token } = await (await fetch('/api/auth/token')).json();
        const response = await fetch(`/api/v1${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          body: body ? JSON.stringify(body) : undefined,
        });
        return { status: response.status, body: await response.json().catch(() => null) };
      },
      { method, path, body },
    );

  test('turning push on registers the service worker and stores the subscription', async (t) => {
    await page.goto(`${stack.url}/sign-up`);
    await page.getByLabel('Name').fill('Pat Push');
    await page.getByLabel('Email').fill(`pat-${Date.now()}@example.com`);
    await page.getByLabel('Password').fill('correct-horse-9');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/tasks');
    await page.goto(`${stack.url}/settings`);
    await page.getByText('Browser permission: allowed').waitFor();
    // No worker before the user asks for push: the app's serving is untouched until then.
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller), null);

    const stored = page.waitForResponse(
      (r) =>
        r.url().endsWith('/api/v1/users/me/push-subscriptions') && r.request().method() === 'POST',
    );
    await page.getByRole('switch', { name: 'Notify me on this device' }).click();
    const response = await stored;
    assert.equal(response.status(), 201);
    await page.getByText('Reminders are pushed to this browser').waitFor();
    const path = await page.evaluate(() => window.__pushPath);
    t.diagnostic(`pushManager.subscribe: ${path}`);
    console.log(`pushManager.subscribe: ${path}`);

    // Angular's worker controls the page, and it subscribed with the server's VAPID key.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const scriptUrl = await page.evaluate(() => navigator.serviceWorker.controller.scriptURL);
    assert.match(scriptUrl, /\/ngsw-worker\.js$/);
    const { body: config } = await api('GET', '/push/config');
    if (path !== 'real') {
      const used = await page.evaluate(() => window.__applicationServerKey);
      assert.equal(Buffer.from(used, 'base64').toString('base64url'), config.vapidPublicKey);
    }
    const { body: list } = await api('GET', '/users/me/push-subscriptions');
    assert.equal(list.items.length, 1);
    assert.equal(list.items[0].endpoint, (await response.json()).endpoint);
  });

  test('a reminder reaches that subscription as a push the device can decrypt', async () => {
    const subscription = (await api('GET', '/users/me/push-subscriptions')).body.items[0];
    if (!subscription.endpoint.startsWith(pushService.origin)) return; // a real vendor endpoint
    const { body: task } = await api('POST', '/tasks', {
      title: 'Stretch your legs',
      dueDate: new Date(Date.now() + 60_000 + 3000).toISOString(),
      reminderOffset: 1,
      reminderChannels: ['push'],
    });
    const deadline = Date.now() + 60_000;
    while (!requests.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const [request] = requests;
    assert.ok(request, 'the push service got a request');
    assert.equal(request.claims?.aud, pushService.origin);
    assert.equal(request.vapidKey, (await api('GET', '/push/config')).body.vapidPublicKey);
    assert.equal(request.payload?.notification.title, 'Reminder: Stretch your legs');
    assert.equal(request.payload.notification.data.url, `/tasks?task=${task.id}`);
  });

  test('the service worker leaves the app’s serving alone: a reload still works', async () => {
    await page.reload();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    // Served through the worker now (it caches nothing: ngsw-config.json has no asset groups).
    assert.notEqual(await page.evaluate(() => navigator.serviceWorker.controller), null);
    // The gateway still answers the page's own requests compressed and cached (ADR 190).
    const bundle = await page.evaluate(
      () =>
        performance.getEntriesByType('resource').find((e) => /main-[A-Z0-9]{8}\.js$/.test(e.name))
          ?.name ?? null,
    );
    if (bundle) {
      const head = await fetch(bundle, { headers: { 'accept-encoding': 'br' } });
      assert.equal(head.headers.get('content-encoding'), 'br');
      assert.match(head.headers.get('cache-control') ?? '', /immutable/);
    }
    assert.deepEqual(problems, []);
  });
});
