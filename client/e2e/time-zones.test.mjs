// Browser e2e of time zones: a new user anywhere sees the time they typed, everywhere, without
// opening Settings. Browser contexts run in America/New_York, Asia/Kolkata (a half-hour offset)
// and Europe/Berlin (a DST week) while this process and the server run in whatever zone the
// machine has.
//   npm run test:e2e -w @todo/client
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TZDate } from '@date-fns/tz';
import { chromium } from 'playwright-core';
import chrome from './chrome.cjs';
import { startStack } from './stack.mjs';

let stack;
let browser;
const problems = [];

const pad = (n) => String(n).padStart(2, '0');
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');

/** Tomorrow at 18:00 on the wall clock of `zone`: the instant, the input value, the words. */
function tomorrowAt6pm(zone) {
  const now = new TZDate(Date.now(), zone);
  const at = new TZDate(now.getFullYear(), now.getMonth(), now.getDate() + 1, 18, 0, zone);
  return {
    iso: new Date(at.getTime()).toISOString(),
    input: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T18:00`,
    // The list's pattern: "Mon 30 Nov, 18:00".
    words: `${WEEKDAYS[at.getDay()].slice(0, 3)} ${at.getDate()} ${MONTHS[at.getMonth()]}, 18:00`,
    weekday: WEEKDAYS[at.getDay()],
    /** The same instant on a UTC clock (what an account stuck in UTC would be told). */
    utcTime: new Date(at.getTime()).toISOString().slice(11, 16),
  };
}

/** A REST call with the page's own session (cookie → JWT), as the app makes it. */
async function api(page, method, path, body) {
  return page.evaluate(
    async ([method, path, body]) => {
      const { token } = await (await fetch('/api/auth/token')).json();
      const res = await fetch(`/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    [method, path, body],
  );
}

async function until(what, check, timeout = 15_000) {
  const started = Date.now();
  let last;
  while (Date.now() - started < timeout) {
    last = await check();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The row of the task with exactly this title ("call mom" is not "Call mom"). */
const taskRow = (page, title) =>
  page.locator('li.task', { has: page.getByRole('button', { name: title, exact: true }) });

async function pick(page, label, option) {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function signUp(zone) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    timezoneId: zone,
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`${zone}: ${error.message}`));
  await page.goto(`${stack.url}/sign-up`);
  await page.getByLabel('Name').fill('Grace Hopper');
  await page.getByLabel('Email').fill(`grace-${zone.replace('/', '-')}-${Date.now()}@example.com`);
  await page.getByLabel('Password').fill('correct-horse-9');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/tasks');
  return page;
}

async function openDialog(page, title) {
  await taskRow(page, title).getByRole('button', { name: title, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  return dialog;
}

async function closeDialog(page) {
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
}

describe('times in the zone of the device', { timeout: 600_000 }, () => {
  before(async () => {
    stack = await startStack({ log: (line) => console.log(line) });
    console.log(`stack up in ${stack.startupMs} ms at ${stack.url}`);
    browser = await chromium.launch({
      executablePath: chrome.chromeBin(),
      args: chrome.CHROME_FLAGS,
    });
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
    if (problems.length) console.log(`browser errors seen:\n# ${problems.join('\n# ')}`);
  });

  for (const zone of ['America/New_York', 'Asia/Kolkata']) {
    describe(zone, () => {
      let page;
      const at = tomorrowAt6pm(zone);

      test('sign-up saves the device zone, without opening Settings', async () => {
        page = await signUp(zone);
        const prefs = await until('the zone to be adopted', async () => {
          const { body } = await api(page, 'GET', '/users/me/notifications');
          return body.timezone === zone ? body : null;
        });
        assert.equal(prefs.timezoneChosen, false, 'adopted, not chosen');
        assert.equal(await page.getByTestId('zone-banner').count(), 0);
      });

      test('a weekly task at 18:00 from the edit dialog: 18:00 in the list, the dialog and the API, no end', async () => {
        const title = 'Dinner with Sam';
        await page.getByRole('button', { name: 'More details…' }).click();
        const dialog = page.getByRole('dialog');
        await dialog.getByLabel('Title').fill(title);
        await dialog.getByLabel('Due date and time').fill(at.input);
        await pick(page, 'Repeats', 'Weekly');
        assert.ok(
          await dialog.getByRole('radio', { name: 'Never' }).isChecked(),
          'Never is the default',
        );
        await dialog.getByRole('checkbox', { name: at.weekday }).check();
        await dialog.getByRole('button', { name: 'Create task' }).click();
        await dialog.waitFor({ state: 'detached' });

        const row = taskRow(page, title);
        await row.waitFor();
        assert.match(await row.locator('.meta').innerText(), new RegExp(`Due ${at.words}`));
        assert.equal((await row.locator('a.series').innerText()).trim(), `Every ${at.weekday}`);

        const { body } = await api(page, 'GET', `/tasks?q=${encodeURIComponent(title)}`);
        const task = body.items[0];
        assert.equal(task.dueDate, at.iso);
        assert.equal(task.recurrence.endDate ?? null, null);
        assert.equal(task.recurrence.maxOccurrences ?? null, null);

        const edit = await openDialog(page, title);
        assert.equal(await edit.getByLabel('Due date and time').inputValue(), at.input);
        assert.ok(await edit.getByRole('radio', { name: 'Never' }).isChecked());
        assert.equal(
          (await edit.getByTestId('recurrence-preview').innerText()).trim(),
          `Every ${at.weekday}`,
        );
        await closeDialog(page);
      });

      test('chat "remind me to call mom tomorrow at 6pm": the reply, the list and the dialog say 18:00', async () => {
        await page.getByRole('button', { name: 'Chat with the assistant' }).click();
        const chat = page.locator('app-chat-panel');
        await chat
          .getByRole('textbox', { name: 'Message' })
          .fill('remind me to call mom tomorrow at 6pm');
        await chat.getByRole('button', { name: 'Send message' }).click();
        const reply = chat.locator('.message.assistant:not(.greeting)').last();
        await reply.waitFor({ timeout: 15_000 });
        const said = await reply.innerText();
        assert.match(said, /18:00/);
        assert.doesNotMatch(said, new RegExp(at.utcTime), 'not the UTC wall time');
        await chat.getByRole('button', { name: 'Close chat' }).click();

        const row = taskRow(page, 'call mom');
        await row.waitFor();
        assert.match(await row.locator('.meta').innerText(), new RegExp(`Due ${at.words}`));
        const { body } = await api(page, 'GET', '/tasks?q=call%20mom');
        assert.equal(body.items[0].dueDate, at.iso);
        const edit = await openDialog(page, 'call mom');
        assert.equal(await edit.getByLabel('Due date and time').inputValue(), at.input);
        await closeDialog(page);
      });

      test('quick add "Call mom every sunday at 6pm": chips as you type, Enter, the fields through the API', async () => {
        const box = page.getByLabel('Add a task');
        await box.fill('Call mom every sunday at 6pm');
        const chips = page.getByTestId('quick-add-chips');
        await chips.locator('.chip', { hasText: 'Every Sunday' }).waitFor();
        assert.match(await chips.innerText(), /Due Sun \d+ \w+, 18:00/);
        assert.match(await chips.locator('.title-preview').innerText(), /Title: Call mom$/);
        await box.press('Enter');
        const row = taskRow(page, 'Call mom');
        await row.waitFor();
        assert.equal((await row.locator('a.series').innerText()).trim(), 'Every Sunday');
        assert.match(await row.locator('.meta').innerText(), /Due Sun \d+ \w+, 18:00/);

        const { body } = await api(page, 'GET', '/tasks?q=Call%20mom');
        const task = body.items.find((t) => t.title === 'Call mom');
        assert.ok(task, 'created with the remaining title');
        assert.deepEqual(
          [
            task.recurrence.frequency,
            task.recurrence.byWeekday,
            task.recurrence.endDate ?? null,
            task.recurrence.maxOccurrences ?? null,
          ],
          ['weekly', [6], null, null],
        );
        const wall = new TZDate(Date.parse(task.dueDate), zone);
        assert.deepEqual(
          [wall.getDay(), wall.getHours(), wall.getMinutes()],
          [0, 18, 0],
          task.dueDate,
        );
        assert.ok(Date.parse(task.dueDate) > Date.now(), 'the first one is not in the past');

        // And the issue's own example: a Monday 09:00 series, open-ended.
        await box.fill('Team standup every monday 9am');
        await chips.locator('.chip', { hasText: 'Every Monday' }).waitFor();
        await box.press('Enter');
        const standup = taskRow(page, 'Team standup');
        await standup.waitFor();
        assert.match(await standup.locator('.meta').innerText(), /Due Mon \d+ \w+, 09:00/);
        assert.equal((await standup.locator('a.series').innerText()).trim(), 'Every Monday');
      });

      if (zone === 'Asia/Kolkata') {
        test('travel: a chosen zone unlike the device asks once; Keep is remembered, Switch saves', async () => {
          // The user chose Paris (say, on another device); this device is in Kolkata.
          assert.equal(
            (await api(page, 'PATCH', '/users/me/notifications', { timezone: 'Europe/Paris' }))
              .status,
            200,
          );
          await page.reload();
          const banner = page.getByTestId('zone-banner');
          await banner.waitFor();
          assert.match(
            (await banner.innerText()).replace(/\s+/g, ' '),
            /Your device is in Asia\/Kolkata; times are shown in Europe\/Paris\./,
          );
          // 18:00 in Kolkata is 13:30 in Paris: the list follows the saved zone.
          await taskRow(page, 'call mom').locator('.meta', { hasText: '13:30' }).waitFor();

          await banner.getByRole('button', { name: 'Keep Europe/Paris' }).click();
          await banner.waitFor({ state: 'detached' });
          await page.reload();
          await taskRow(page, 'call mom').waitFor();
          assert.equal(await page.getByTestId('zone-banner').count(), 0, 'kept: not asked again');
          const kept = (await api(page, 'GET', '/users/me/notifications')).body;
          assert.deepEqual([kept.timezone, kept.timezoneChosen], ['Europe/Paris', true]);

          // Another chosen zone is another question; Switch makes the device's zone the choice.
          await api(page, 'PATCH', '/users/me/notifications', { timezone: 'Europe/Lisbon' });
          await page.reload();
          await page
            .getByTestId('zone-banner')
            .getByRole('button', { name: 'Switch to Asia/Kolkata' })
            .click();
          await page.getByTestId('zone-banner').waitFor({ state: 'detached' });
          const switched = (await api(page, 'GET', '/users/me/notifications')).body;
          assert.deepEqual([switched.timezone, switched.timezoneChosen], ['Asia/Kolkata', true]);
          await taskRow(page, 'call mom').locator('.meta', { hasText: at.words }).waitFor();
        });
      }
    });
  }

  test('Europe/Berlin, DST week: a weekly 09:00 series created the week before the last Sunday of March stays at 09:00', async () => {
    const page = await signUp('Europe/Berlin');
    await until('the zone to be adopted', async () => {
      const { body } = await api(page, 'GET', '/users/me/notifications');
      return body.timezone === 'Europe/Berlin';
    });
    // Monday 22 March 2027, 09:00 CET (UTC+1); clocks go forward on Sunday 28 March.
    const created = await api(page, 'POST', '/tasks', {
      title: 'Weekly review',
      dueDate: '2027-03-22T08:00:00.000Z',
      recurrence: { frequency: 'weekly', byWeekday: [0] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const row = taskRow(page, 'Weekly review');
    await row.locator('.meta', { hasText: 'Due Mon 22 Mar, 09:00' }).waitFor();
    assert.equal((await row.locator('a.series').innerText()).trim(), 'Every Monday');

    const done = await api(page, 'POST', `/tasks/${created.body.id}/complete`);
    // Monday 29 March 2027, 09:00 CEST (UTC+2).
    assert.equal(done.body.nextInstance?.scheduledFor, '2027-03-29T07:00:00.000Z');
    await row.locator('.meta', { hasText: 'Due Mon 29 Mar, 09:00' }).waitFor({ timeout: 30_000 });
    const next = (await api(page, 'GET', '/tasks?q=Weekly%20review')).body.items[0];
    assert.equal(next.dueDate, '2027-03-29T07:00:00.000Z');

    await page.goto(`${stack.url}/tasks/${next.id}/series`);
    const instances = page.getByRole('list', { name: 'Instances' });
    await instances.locator('li', { hasText: 'Mon 29 Mar 2027, 09:00' }).waitFor();
    assert.match(await instances.innerText(), /Mon 22 Mar 2027, 09:00/);
    assert.equal((await page.locator('.pattern').innerText()).trim(), 'Every Monday');
  });
});
