// Browser e2e of the API docs: Swagger UI at /api/v1/docs loads from this origin under the
// api's CSP, is authorised with a real JWT, and "try it out" on GET /api/v1/tasks answers 200
// with the user's task.
//   npm run test:e2e -w @todo/client
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import chrome from './chrome.cjs';
import { startStack } from './stack.mjs';

let stack;
let browser;
let page;
const problems = [];

describe('API docs: Swagger UI with "try it out"', { timeout: 600_000 }, () => {
  before(async () => {
    stack = await startStack({ log: (line) => console.log(line) });
    console.log(`stack up in ${stack.startupMs} ms at ${stack.url}`);
    browser = await chromium.launch({
      executablePath: chrome.chromeBin(),
      args: chrome.CHROME_FLAGS,
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // A blocked script, style or request is reported on the console as an error.
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  let jwt;
  const title = `Docs check ${Date.now()}`;

  test('a new user signs up in the app and gets a JWT', async () => {
    await page.goto(`${stack.url}/sign-up`);
    await page.getByLabel('Name').fill('Ada Lovelace');
    await page.getByLabel('Email').fill(`ada-docs-${Date.now()}@example.com`);
    await page.getByLabel('Password').fill('correct-horse-9');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/tasks');
    // The session cookie → a JWT, as any API client gets one; one task to see in the answer.
    jwt = await page.evaluate(async (title) => {
      const { token } = await (await fetch('/api/auth/token')).json();
      const created = await fetch('/api/v1/tasks', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title }),
      });
      if (created.status !== 201) throw new Error(`create answered ${created.status}`);
      return token;
    }, title);
    assert.match(jwt, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  test('the docs page renders Swagger UI from this origin with no CSP violation', async () => {
    const outside = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(stack.url)) outside.push(request.url());
    });
    const response = await page.goto(`${stack.url}/api/v1/docs`);
    assert.equal(response.status(), 200);
    assert.ok(response.headers()['content-security-policy'], 'served under a CSP');
    await page
      .locator('.swagger-ui .info .title')
      .filter({ hasText: 'Todo Chatbot API' })
      .waitFor();
    await page.locator('#operations-tasks-listTasks').waitFor();
    assert.deepEqual(outside, [], 'nothing is loaded from another origin');
    assert.deepEqual(problems, [], 'no script error or CSP violation');
  });

  test('Authorize with the JWT, then "try it out" on GET /api/v1/tasks answers 200 with the task', async () => {
    await page.getByRole('button', { name: 'Authorize' }).first().click();
    const dialog = page.locator('.modal-ux');
    // One form per security scheme; bearerAuth is the JWT one (sessionToken is for getAccessToken).
    const bearer = dialog.locator('form').filter({ hasText: 'bearerAuth' });
    await bearer.getByLabel('auth-bearer-value').fill(jwt);
    await bearer.getByRole('button', { name: 'Apply credentials' }).click();
    await bearer.getByRole('button', { name: 'Remove authorization' }).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).first().click();

    const operation = page.locator('#operations-tasks-listTasks');
    await operation.locator('.opblock-summary').first().click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    const sent = page.waitForRequest(
      (request) =>
        request.url().startsWith(`${stack.url}/api/v1/tasks`) && request.method() === 'GET',
    );
    await operation.getByRole('button', { name: 'Execute' }).click();
    const request = await sent;
    assert.equal(request.headers().authorization, `Bearer ${jwt}`, 'the JWT is sent');

    const status = operation
      .locator('.live-responses-table .response .response-col_status')
      .first();
    await status.waitFor();
    assert.equal((await status.innerText()).trim(), '200');
    const body = await operation
      .locator('.live-responses-table .response-col_description pre')
      .first()
      .innerText();
    const page1 = JSON.parse(body);
    assert.ok(
      page1.items.some((task) => task.title === title),
      `the answer lists the user's task: ${body.slice(0, 300)}`,
    );
    assert.deepEqual(problems, [], 'no script error or CSP violation');
  });
});
