// Browser end-to-end: the real stack (`npm start`'s launcher) driven through Debian's Chromium
// with playwright-core. Two pages of one browser context = two tabs of the same signed-in user.
//   npm run test:e2e -w @todo/client      (CHROME_BIN overrides /usr/bin/chromium)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import chrome from './chrome.cjs';
import { startStack } from './stack.mjs';

const AXE = fileURLToPath(import.meta.resolve('axe-core/axe.min.js'));
const CHROME = chrome.chromeBin();
const FLAGS = chrome.CHROME_FLAGS;

let stack;
let browser;
let tabA;
let tabB;
const problems = [];

/** ISO local `YYYY-MM-DDTHH:mm` for datetime-local inputs. */
function localInput(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

const taskRow = (page, title) => page.locator('li.task', { hasText: title });
const status = (page) => page.locator('app-connection-status .status');

async function waitLive(page) {
  await page.waitForSelector('app-connection-status [data-state="connected"]', { timeout: 15_000 });
}

async function pick(page, label, option) {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** Opens the "More details…" dialog, fills it, saves. */
async function createInDialog(page, { title, due, repeat, reminder }) {
  await page.getByRole('button', { name: 'More details…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Title').fill(title);
  if (due) await dialog.getByLabel('Due date and time').fill(localInput(due));
  if (reminder) await pick(page, 'Remind me', reminder);
  if (repeat) await pick(page, 'Repeats', repeat);
  await dialog.getByRole('button', { name: 'Create task' }).click();
  await dialog.waitFor({ state: 'detached', timeout: 10_000 });
}

describe('two tabs of one user, live', { timeout: 600_000 }, () => {
  before(async () => {
    stack = await startStack({ log: (line) => console.log(`${line}`) });
    console.log(`stack up in ${stack.startupMs} ms at ${stack.url} (${stack.services.join(', ')})`);
    browser = await chromium.launch({ executablePath: CHROME, args: FLAGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    tabA = await context.newPage();
    tabB = await context.newPage();
    for (const [name, page] of [
      ['A', tabA],
      ['B', tabB],
    ]) {
      page.on('pageerror', (error) => problems.push(`tab ${name}: ${error.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`tab ${name} console: ${m.text()}`);
      });
    }
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
    if (problems.length) console.log(`browser errors seen:\n# ${problems.join('\n# ')}`);
  });

  test('sign up, and a second tab is signed in too', async () => {
    await tabA.goto(`${stack.url}/sign-up`);
    await tabA.getByLabel('Name').fill('Ada Lovelace');
    await tabA.getByLabel('Email').fill(`ada-${Date.now()}@example.com`);
    await tabA.getByLabel('Password').fill('correct-horse-9');
    await tabA.getByRole('button', { name: 'Create account' }).click();
    await tabA.waitForURL('**/tasks');
    await waitLive(tabA);
    await tabB.goto(`${stack.url}/tasks`);
    await waitLive(tabB);
    assert.equal(await status(tabB).innerText(), 'Live');
  });

  // The 2 s goal is a speed goal, measured (not asserted) here: on a loaded CI machine one slow
  // write must not fail the suite. Its numbers live in the diagnostics and ops/bench.
  test('a task created in tab A appears in tab B without reload', async (t) => {
    const title = `Buy oat milk ${Date.now()}`;
    await tabA.bringToFront(); // the user types in the tab they look at
    await tabA.getByLabel('Add a task').fill(title);
    const started = Date.now();
    await tabA.getByRole('button', { name: 'Add', exact: true }).click();
    await taskRow(tabB, title).waitFor({ timeout: 15_000 });
    const latency = Date.now() - started;
    t.diagnostic(`tab A click → visible in tab B: ${latency} ms`);
    console.log(`latency A→B: ${latency} ms`);
  });

  test('the main screens have no serious accessibility violations (axe-core, WCAG 2 A/AA)', async (t) => {
    const page = tabA;
    const audit = async (name) => {
      // Contrast is only meaningful once opening animations (dialog fade/scale) have ended.
      await page.waitForFunction(() =>
        document.getAnimations().every((animation) => animation.playState !== 'running'),
      );
      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        });
        window.__axePasses = result.passes.length;
        return result.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          nodes: v.nodes.length,
          target: v.nodes[0]?.target.join(' '),
        }));
      });
      const passes = await page.evaluate(() => window.__axePasses);
      t.diagnostic(`${name}: ${passes} axe rules pass, ${violations.length} violated`);
      for (const v of violations)
        t.diagnostic(`${name}: ${v.impact} ${v.id} ×${v.nodes} (${v.target})`);
      return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    };
    const serious = [];
    await page.goto(`${stack.url}/tasks`);
    await taskRow(page, 'Buy oat milk').first().waitFor();
    serious.push(...(await audit('tasks')));
    await page.getByRole('button', { name: 'More details…' }).click();
    await page.getByRole('dialog').waitFor();
    serious.push(...(await audit('edit dialog')));
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Chat with the assistant' }).click();
    await page.getByRole('textbox', { name: 'Message' }).waitFor();
    serious.push(...(await audit('chat drawer')));
    for (const path of ['inbox', 'settings']) {
      await page.goto(`${stack.url}/${path}`);
      await page.locator('h1').waitFor();
      serious.push(...(await audit(path)));
    }
    await page.goto(`${stack.url}/tasks`);
    await waitLive(page);
    assert.deepEqual(serious, []);
  });

  test('keyboard only: add, open, close and complete a task', async () => {
    const page = tabA;
    await page.bringToFront();
    const title = `Keyboard task ${Date.now()}`;
    await page.getByLabel('Add a task').focus();
    await page.keyboard.type(title);
    await page.keyboard.press('Enter');
    const row = taskRow(page, title);
    await row.waitFor();
    const focusedText = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        return `${el?.tagName} ${el?.getAttribute('aria-label') ?? el?.textContent?.trim()}`;
      });
    const tabTo = async (wanted) => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        if ((await focusedText()).includes(wanted)) return;
      }
      throw new Error(`Tab never reached "${wanted}"`);
    };
    await tabTo(`BUTTON ${title}`);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    assert.equal(await page.getByRole('dialog').getByLabel('Title').inputValue(), title);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    assert.match(await focusedText(), new RegExp(`BUTTON ${title}`), 'focus returns to the task');
    await page.keyboard.press('Shift+Tab');
    assert.match(await focusedText(), /INPUT Complete: Keyboard task/);
    await page.keyboard.press('Space');
    await row.waitFor({ state: 'detached' });
  });

  test('completing a daily recurring task in A brings its next instance to B', async (t) => {
    const title = `Water the plants ${Date.now()}`;
    await createInDialog(tabA, {
      title,
      due: new Date(Date.now() + 3600_000),
      repeat: 'Daily',
    });
    await taskRow(tabB, title).waitFor({ timeout: 15_000 });
    const firstId = await taskRow(tabB, title).getAttribute('data-task-id');
    await tabA.bringToFront();
    const started = Date.now();
    // One click (check() would re-click whatever row has this title once the next one appears).
    await tabA.locator(`li.task[data-task-id="${firstId}"] input[type="checkbox"]`).click();
    try {
      await tabB
        .locator(`li.task:not([data-task-id="${firstId}"])`, { hasText: title })
        .waitFor({ timeout: 30_000 });
    } catch (error) {
      const shown = await tabB
        .locator('li.task')
        .evaluateAll((rows) =>
          rows.map(
            (r) => `${r.getAttribute('data-task-id')} ${r.textContent?.trim().slice(0, 40)}`,
          ),
        );
      throw new Error(`no next instance in tab B after 30 s; it shows:\n${shown.join('\n')}`, {
        cause: error,
      });
    }
    t.diagnostic(`completion in A → next instance in B: ${Date.now() - started} ms`);
    // The completed one has left tab B's "To do" list.
    await tabB.locator(`li.task[data-task-id="${firstId}"]`).waitFor({ state: 'detached' });
    assert.equal(await taskRow(tabB, title).count(), 1);
  });

  test('a reminder one minute before a task due in ~70 s shows a toast', async (t) => {
    const title = `Call the plumber ${Date.now()}`;
    // datetime-local has minute precision: the first whole minute at least 70 s away.
    const due = new Date(Math.ceil((Date.now() + 70_000) / 60_000) * 60_000);
    await createInDialog(tabA, { title, due, reminder: '1 minute before' });
    const fireAt = due.getTime() - 60_000;
    t.diagnostic(`reminder due in ${Math.round((fireAt - Date.now()) / 1000)} s`);
    const toast = tabA.locator('.toast-notification', { hasText: title });
    await toast.waitFor({ timeout: fireAt - Date.now() + 30_000 });
    t.diagnostic(`toast ${Date.now() - fireAt} ms after the reminder time`);
    // Tab B gets the same push on its own socket, not necessarily before tab A shows the toast.
    const unread = tabB.locator('[data-testid="inbox-button"][aria-label*="unread"]');
    await unread.waitFor({ timeout: 15_000 });
    assert.match((await unread.getAttribute('aria-label')) ?? '', /unread/);
  });

  test('tab B offline, then back: it catches up on a change made meanwhile', async (t) => {
    const cdp = await tabB.context().newCDPSession(tabB);
    const network = (offline) =>
      cdp.send('Network.emulateNetworkConditions', {
        offline,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: -1,
      });
    await cdp.send('Network.enable');
    await network(true);
    await tabB.waitForSelector('app-connection-status [data-state="offline"]', { timeout: 10_000 });
    const title = `Made while B was away ${Date.now()}`;
    await tabA.getByLabel('Add a task').fill(title);
    await tabA.getByRole('button', { name: 'Add', exact: true }).click();
    await taskRow(tabA, title).waitFor();
    await tabB.waitForTimeout(1000);
    assert.equal(await taskRow(tabB, title).count(), 0, 'an offline tab must not get it live');
    const started = Date.now();
    await network(false);
    await waitLive(tabB);
    await taskRow(tabB, title).waitFor({ timeout: 10_000 });
    t.diagnostic(`back online → caught up in ${Date.now() - started} ms`);
  });

  test('chat: the conversation survives a reload, and "it" still means the same task', async () => {
    const page = tabA;
    await page.bringToFront();
    // Letters only, so the interpreter cannot read the unique part as a date or a number.
    const word = Date.now()
      .toString(36)
      .replace(/\d/g, (d) => 'abcdefghij'[Number(d)]);
    const title = `water the ferns ${word}`;
    const chat = page.locator('app-shell app-chat-panel');
    const log = chat.getByRole('log', { name: 'Conversation' });
    const say = async (text, reply) => {
      await chat.getByRole('textbox', { name: 'Message' }).fill(text);
      await chat.getByRole('button', { name: 'Send message' }).click();
      await log.locator('.message.assistant', { hasText: reply }).waitFor({ timeout: 15_000 });
    };
    await page.getByRole('button', { name: 'Chat with the assistant' }).click();
    await say(`add ${title}`, `Added “${title}”`);
    await say('make it every Friday', 'repeats every Friday');

    await page.reload();
    await waitLive(page);
    await page.getByRole('button', { name: 'Chat with the assistant' }).click();
    await log.locator('.message.user', { hasText: 'make it every Friday' }).waitFor();
    const transcript = await log.locator('.message:not(.greeting) > p').allInnerTexts();
    assert.equal(transcript.length, 4, transcript.join(' | '));
    assert.equal(transcript[0], `add ${title}`);
    assert.match(transcript[1], new RegExp(`Added “${title}”`));
    assert.equal(transcript[2], 'make it every Friday');
    assert.match(transcript[3], /repeats every Friday/);
    assert.match(
      await log.getByRole('list', { name: 'Actions taken' }).first().innerText(),
      new RegExp(`Created “${title}”`),
      'the action chips come back too',
    );
    // The restored conversation goes on: "it" is still the ferns.
    await say('remind me an hour before', `I'll remind you about “${title}”`);
    await chat.getByRole('button', { name: 'Close chat' }).click();
  });

  test('signing out in tab A signs tab B out too', async () => {
    await tabA.bringToFront();
    await tabA.getByRole('button', { name: 'Sign out' }).click();
    await tabA.waitForURL('**/sign-in');
    await tabB.waitForURL('**/sign-in', { timeout: 15_000 });
    assert.match(await tabB.locator('.notice').innerText(), /signed out in another tab/);
  });
});
