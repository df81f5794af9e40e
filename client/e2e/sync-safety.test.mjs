// Browser end-to-end: no edit lost offline or in a conflict, and undo that undoes (issue 21,
// items 1-3). The real stack (`npm start`'s launcher), Debian's Chromium via playwright-core;
// two pages of one browser context are two tabs of the same signed-in user.
//   npm run test:e2e -w @todo/client      (CHROME_BIN overrides /usr/bin/chromium)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import chrome from './chrome.cjs';
import { startStack } from './stack.mjs';

let stack;
let browser;
let context;
let tabA;
let tabB;
const problems = [];

const taskRow = (page, title) => page.locator('li.task', { hasText: title });

async function waitLive(page) {
  await page.waitForSelector('app-connection-status [data-state="connected"]', { timeout: 15_000 });
}

/** The API as the signed-in page sees it (its session cookie → a JWT). */
async function api(page, method, path) {
  return page.evaluate(
    async ([method, path]) => {
      const { token } = await (await fetch('/api/auth/token')).json();
      const response = await fetch(path, { method, headers: { authorization: `Bearer ${token}` } });
      return { status: response.status, body: await response.json().catch(() => null) };
    },
    [method, path],
  );
}

/** Every live task with this title, straight from the server. */
async function serverTasks(page, title) {
  const { body } = await api(page, 'GET', '/api/v1/tasks?status=all&limit=200');
  return body.items.filter((task) => task.title === title);
}

async function quickAdd(page, title) {
  await page.bringToFront();
  await page.getByLabel('Add a task').fill(title);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
}

async function openTask(page, title) {
  await taskRow(page, title).locator('button.title').click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  return dialog;
}

/** Waits for a dialog to close; if it does not, says what it shows (an error, a question). */
async function closed(dialog, timeout = 15_000) {
  try {
    await dialog.waitFor({ state: 'detached', timeout });
  } catch (error) {
    const text = await dialog.innerText().catch(() => '(gone)');
    throw new Error(`the dialog stayed open, showing:\n${text.slice(0, 600)}`, { cause: error });
  }
}

async function snackAction(page, text, action) {
  const bar = page.locator('mat-snack-bar-container', { hasText: text });
  await bar.waitFor({ timeout: 10_000 });
  await bar.getByRole('button', { name: action }).click();
}

describe('sync safety: offline outbox, conflict merge, undo', { timeout: 600_000 }, () => {
  before(async () => {
    stack = await startStack({ log: (line) => console.log(`${line}`) });
    console.log(`stack up in ${stack.startupMs} ms at ${stack.url}`);
    browser = await chromium.launch({
      executablePath: chrome.chromeBin(),
      args: chrome.CHROME_FLAGS,
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    tabA = await context.newPage();
    tabB = await context.newPage();
    for (const [name, page] of [
      ['A', tabA],
      ['B', tabB],
    ]) {
      page.on('pageerror', (error) => problems.push(`tab ${name}: ${error.message}`));
    }
    await tabA.goto(`${stack.url}/sign-up`);
    await tabA.getByLabel('Name').fill('Grace Hopper');
    await tabA.getByLabel('Email').fill(`grace-${Date.now()}@example.com`);
    await tabA.getByLabel('Password').fill('correct-horse-9');
    await tabA.getByRole('button', { name: 'Create account' }).click();
    await tabA.waitForURL('**/tasks');
    await waitLive(tabA);
    await tabB.goto(`${stack.url}/tasks`);
    await waitLive(tabB);
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
    if (problems.length) console.log(`browser errors seen:\n# ${problems.join('\n# ')}`);
  });

  test('a task added offline is kept as "pending sync" and exists once in both tabs after reconnecting', async (t) => {
    const title = `Buy stamps offline ${Date.now()}`;
    await context.setOffline(true);
    await tabA.waitForSelector('app-connection-status [data-state="offline"]', { timeout: 10_000 });
    await quickAdd(tabA, title);
    const row = taskRow(tabA, title);
    await row.getByText('Pending sync').waitFor({ timeout: 5_000 });
    await tabA
      .locator('mat-snack-bar-container', { hasText: 'when the connection is back' })
      .waitFor();
    assert.equal(await taskRow(tabB, title).count(), 0);

    const started = Date.now();
    await context.setOffline(false);
    await taskRow(tabB, title).waitFor({ timeout: 15_000 });
    await row.getByText('Pending sync').waitFor({ state: 'detached', timeout: 15_000 });
    t.diagnostic(`back online → the offline task in tab B: ${Date.now() - started} ms`);
    await waitLive(tabA);
    assert.equal(await taskRow(tabA, title).count(), 1);
    assert.equal(await taskRow(tabB, title).count(), 1);
    assert.equal((await serverTasks(tabA, title)).length, 1);
    // And after a reload, still once.
    await tabB.reload();
    await taskRow(tabB, title).waitFor();
    assert.equal(await taskRow(tabB, title).count(), 1);
    await waitLive(tabB);
  });

  test('an add whose answer is lost on the way back is retried under its key: still one task', async () => {
    const title = `Lost answer ${Date.now()}`;
    let dropped = 0;
    // The request reaches the server, which creates the task; the browser never hears back.
    await tabA.route('**/api/v1/tasks', async (route) => {
      if (route.request().method() === 'POST' && dropped === 0) {
        dropped += 1;
        await route.fetch();
        await route.abort('connectionreset');
        return;
      }
      await route.continue();
    });
    try {
      await quickAdd(tabA, title);
      await taskRow(tabB, title).waitFor({ timeout: 15_000 });
      // The outbox sends it again by itself (backoff) and gets the same task back.
      await taskRow(tabA, title)
        .getByText('Pending sync')
        .waitFor({ state: 'detached', timeout: 20_000 });
    } finally {
      await tabA.unroute('**/api/v1/tasks');
    }
    assert.equal(dropped, 1);
    assert.equal(await taskRow(tabA, title).count(), 1);
    assert.equal(await taskRow(tabB, title).count(), 1);
    assert.equal((await serverTasks(tabA, title)).length, 1);
  });

  test('two tabs edit different fields of one task: both edits survive', async () => {
    const title = `Bike service ${Date.now()}`;
    await quickAdd(tabA, title);
    await taskRow(tabB, title).waitFor({ timeout: 15_000 });
    // Tab A opens the task first; tab B then describes it and saves.
    const dialogA = await openTask(tabA, title);
    await tabB.bringToFront();
    const dialogB = await openTask(tabB, title);
    await dialogB.getByLabel('Description').fill('front and rear');
    await dialogB.getByRole('button', { name: 'Save' }).click();
    await closed(dialogB);
    // Tab A changed only the title, on the version before B's save.
    await tabA.bringToFront();
    await dialogA.getByLabel('Title').fill(`${title} (brakes)`);
    await dialogA.getByRole('button', { name: 'Save' }).click();
    await closed(dialogA);
    for (const page of [tabA, tabB]) {
      const row = taskRow(page, `${title} (brakes)`);
      await row.waitFor({ timeout: 10_000 });
      await row.getByText('front and rear').waitFor({ timeout: 10_000 });
    }
    const [saved] = await serverTasks(tabA, `${title} (brakes)`);
    assert.equal(saved.description, 'front and rear');
  });

  test('two tabs change the same field: tab A sees both values and chooses', async () => {
    const title = `Dentist ${Date.now()}`;
    await quickAdd(tabA, title);
    await taskRow(tabB, title).waitFor({ timeout: 15_000 });
    const dialogA = await openTask(tabA, title);
    await tabB.bringToFront();
    const dialogB = await openTask(tabB, title);
    await dialogB.getByLabel('Title').fill(`${title} at 10`);
    await dialogB.getByRole('button', { name: 'Save' }).click();
    await closed(dialogB);
    await tabA.bringToFront();
    await dialogA.getByLabel('Title').fill(`${title} at 11`);
    await dialogA.getByRole('button', { name: 'Save' }).click();
    const choice = dialogA.locator('[data-conflict="title"]');
    await choice.waitFor({ timeout: 10_000 });
    assert.match(await choice.innerText(), new RegExp(`Keep mine:\\s+${title} at 11`));
    assert.match(await choice.innerText(), new RegExp(`Use theirs:\\s+${title} at 10`));
    await choice.getByLabel(/Keep mine/).check();
    await dialogA.getByRole('button', { name: 'Save' }).click();
    await closed(dialogA);
    await taskRow(tabB, `${title} at 11`).waitFor({ timeout: 10_000 });
    assert.equal((await serverTasks(tabA, `${title} at 11`)).length, 1);
  });

  test('Undo of a repeating completion leaves one pending instance, in both tabs', async (t) => {
    const title = `Water the ferns ${Date.now()}`;
    await tabA.bringToFront();
    await tabA.getByRole('button', { name: 'More details…' }).click();
    const dialog = tabA.getByRole('dialog');
    await dialog.getByLabel('Title').fill(title);
    await dialog.getByRole('combobox', { name: 'Repeats' }).click();
    await tabA.getByRole('option', { name: 'Daily', exact: true }).click();
    await dialog.getByRole('button', { name: 'Create task' }).click();
    await dialog.waitFor({ state: 'detached' });
    await taskRow(tabB, title).waitFor({ timeout: 15_000 });
    const firstId = await taskRow(tabA, title).getAttribute('data-task-id');

    await tabA.locator(`li.task[data-task-id="${firstId}"] input[type="checkbox"]`).click();
    // Wait for the next instance the completion creates, so Undo has something to take back.
    const next = tabB.locator(`li.task:not([data-task-id="${firstId}"])`, { hasText: title });
    await next.waitFor({ timeout: 30_000 });
    const nextId = await next.getAttribute('data-task-id');
    const started = Date.now();
    await snackAction(tabA, 'Completed', 'Undo');
    for (const page of [tabA, tabB]) {
      await page
        .locator(`li.task[data-task-id="${nextId}"]`)
        .waitFor({ state: 'detached', timeout: 10_000 });
      await page.locator(`li.task[data-task-id="${firstId}"]`).waitFor({ timeout: 10_000 });
      assert.equal(await taskRow(page, title).count(), 1);
    }
    t.diagnostic(`Undo → the next instance gone from tab B: ${Date.now() - started} ms`);
    const { body } = await api(tabA, 'GET', `/api/v1/tasks/${firstId}/instances`);
    assert.deepEqual(
      body.items.map((task) => [task.id, task.status]),
      [[firstId, 'pending']],
    );
    assert.equal((await api(tabA, 'GET', `/api/v1/tasks/${nextId}`)).status, 404);
  });

  test('delete, then Undo within 10 s, brings the task back in both tabs', async () => {
    const title = `Pay the rent ${Date.now()}`;
    await quickAdd(tabA, title);
    await taskRow(tabB, title).waitFor({ timeout: 15_000 });
    const id = await taskRow(tabA, title).getAttribute('data-task-id');
    await tabA.getByRole('button', { name: `Delete ${title}` }).click();
    await taskRow(tabB, title).waitFor({ state: 'detached', timeout: 10_000 });
    await snackAction(tabA, `Deleted “${title}”`, 'Undo');
    for (const page of [tabA, tabB]) await taskRow(page, title).waitFor({ timeout: 10_000 });
    const back = await api(tabA, 'GET', `/api/v1/tasks/${id}`);
    assert.equal(back.status, 200);
    assert.equal(back.body.status, 'pending');
    assert.deepEqual(problems, []);
  });
});
