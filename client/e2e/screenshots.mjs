// Screenshots of the main screens for the README: `npm run screenshots -w @todo/client`.
// Starts its own stack (like the e2e), seeds a realistic account, writes docs/screenshots/*.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import chrome from './chrome.cjs';
import { root, startStack } from './stack.mjs';

const out = join(root, 'docs/screenshots');
mkdirSync(out, { recursive: true });
const stack = await startStack({ log: (line) => console.log(line) });
const browser = await chromium.launch({
  executablePath: chrome.chromeBin(),
  args: chrome.CHROME_FLAGS,
});

const at = (days, hour, minute = 0) => {
  const d = new Date();
  d.setDate(d.getDate() + days);
  d.setHours(hour, minute, 0, 0);
  return d.toISOString();
};
const nextMonday = () => {
  const d = new Date();
  d.setDate(d.getDate() + ((8 - d.getDay()) % 7 || 7));
  d.setHours(9, 0, 0, 0);
  return d.toISOString();
};

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const shot = async (name, target = page) => {
    await target.waitForTimeout(400);
    await target.screenshot({ path: join(out, `${name}.png`) });
    console.log(`wrote docs/screenshots/${name}.png`);
  };

  await page.goto(`${stack.url}/sign-in`);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await shot('sign-in');

  await page.goto(`${stack.url}/sign-up`);
  await page.getByLabel('Name').fill('Ada Lovelace');
  await page.getByLabel('Email').fill('ada@example.com');
  await page.getByLabel('Password').fill('correct-horse-9');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/tasks');

  // Seed through the public REST API with the page's own session.
  const user = await page.evaluate(
    async (tasks) => {
      const { token } = await (await fetch('/api/auth/token')).json();
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const ids = {};
      for (const task of tasks) {
        const res = await fetch('/api/v1/tasks', {
          method: 'POST',
          headers,
          body: JSON.stringify(task.body),
        });
        const created = await res.json();
        ids[task.body.title] = created.id;
        if (task.complete)
          await fetch(`/api/v1/tasks/${created.id}/complete`, { method: 'POST', headers });
      }
      const session = await (await fetch('/api/auth/get-session')).json();
      return { id: session.user.id, ids };
    },
    [
      {
        body: {
          title: 'Team sync',
          description: 'Agenda in the shared doc.',
          dueDate: nextMonday(),
          priority: 'high',
          tags: ['work'],
          reminderOffset: 15,
          recurrence: { frequency: 'weekly', byWeekday: [0] },
        },
      },
      {
        body: {
          title: 'Pay the electricity bill',
          dueDate: at(1, 18),
          priority: 'medium',
          tags: ['home', 'bills'],
          reminderOffset: 60,
        },
      },
      {
        body: {
          title: 'Water the plants',
          dueDate: at(0, 19),
          priority: 'low',
          tags: ['home'],
          reminderOffset: 10,
          recurrence: { frequency: 'daily', maxOccurrences: 30 },
        },
      },
      {
        body: {
          title: 'Pay rent',
          dueDate: at(3, 9),
          priority: 'high',
          tags: ['home', 'bills'],
          recurrence: { frequency: 'monthly', byMonthday: -1 },
        },
      },
      {
        body: { title: 'Renew passport', dueDate: at(-1, 12), priority: 'high', tags: ['errands'] },
      },
      {
        body: {
          title: 'Read “Designing Data-Intensive Applications”',
          priority: 'low',
          tags: ['reading'],
        },
      },
      {
        body: { title: 'Book the dentist', dueDate: at(-2, 10), tags: ['health'] },
        complete: true,
      },
    ],
  );

  // Two inbox entries the way they really arrive: reminders firing a few seconds from now
  // (due in a minute and a bit, reminded a minute before), delivered by the workers.
  await page.evaluate(async () => {
    const { token } = await (await fetch('/api/auth/token')).json();
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    for (const [i, title] of ['Renew passport', 'Call the bank'].entries()) {
      await fetch('/api/v1/tasks', {
        method: 'POST',
        headers,
        body: JSON.stringify({
          title,
          dueDate: new Date(Date.now() + 63_000 + i * 3_000).toISOString(),
          reminderOffset: 1,
          tags: ['errands'],
        }),
      });
    }
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const page = await (await fetch('/api/v1/notifications', { headers })).json();
      if (page.items.length >= 2) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('the two reminders did not reach the inbox');
  });

  await page.goto(`${stack.url}/tasks`);
  await page.waitForSelector('app-connection-status [data-state="connected"]');
  await page.locator('li.task').nth(4).waitFor();
  await shot('tasks');

  // Quick add as you type: the chips and the remaining title.
  await page.getByLabel('Add a task').fill('Call mom every sunday at 6pm #family !!');
  await page.getByTestId('quick-add-chips').locator('.chip').nth(2).waitFor();
  await page.screenshot({
    path: join(out, 'quick-add-chips.png'),
    clip: { x: 220, y: 64, width: 1060, height: 200 },
  });
  console.log('wrote docs/screenshots/quick-add-chips.png');
  await page.getByLabel('Add a task').fill('');

  await page.getByRole('button', { name: 'Edit Team sync' }).first().click();
  await page.getByRole('dialog').waitFor();
  await page.getByTestId('recurrence-preview').scrollIntoViewIfNeeded();
  await shot('edit-dialog');
  // The Repeat section alone: an open-ended weekly series, its end "Never".
  const repeat = page.locator('app-recurrence-editor fieldset');
  await repeat.scrollIntoViewIfNeeded();
  await page.waitForTimeout(400);
  await repeat.screenshot({ path: join(out, 'edit-dialog-repeat.png') });
  console.log('wrote docs/screenshots/edit-dialog-repeat.png');
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });

  await page.goto(`${stack.url}/tasks/${user.ids['Water the plants']}/series`);
  await page.locator('.instances li').first().waitFor();
  await shot('series');

  // The chat as it looks after a reload: the last conversation restored, with its action chips.
  await page.goto(`${stack.url}/tasks`);
  await page.getByRole('button', { name: 'Chat with the assistant' }).click();
  const say = async (text, replies) => {
    await page.getByRole('textbox', { name: 'Message' }).fill(text);
    await page.getByRole('button', { name: 'Send message' }).click();
    await page
      .locator('.message.assistant:not(.greeting), .message.system')
      .nth(replies - 1)
      .waitFor({ timeout: 15_000 });
  };
  await say('remind me to call Sam tomorrow at 10', 1);
  await say('make it every Friday', 2);
  await page.reload();
  await page.getByRole('button', { name: 'Chat with the assistant' }).click();
  await page.locator('.message.user').nth(1).waitFor({ timeout: 15_000 });
  await shot('chat');

  await page.goto(`${stack.url}/inbox`);
  await page.getByRole('heading', { name: 'Notifications' }).waitFor();
  await shot('inbox');

  await page.goto(`${stack.url}/settings`);
  await page.getByRole('button', { name: 'Save settings' }).waitFor();
  await shot('settings');

  // Settings → Connections: a new token shown once, and a fresh calendar feed URL.
  await page.getByLabel('Token name').fill('Claude Desktop');
  await page.getByRole('combobox', { name: 'Access' }).click();
  await page.getByRole('option', { name: 'Read and write' }).click();
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.getByTestId('new-token').waitFor();
  await page.getByRole('button', { name: 'Create calendar feed' }).click();
  await page.getByTestId('feed-url').waitFor();
  const connections = page.locator('app-connections-settings');
  await connections.scrollIntoViewIfNeeded();
  await page.waitForTimeout(400);
  await connections.screenshot({ path: join(out, 'settings-connections.png') });
  console.log('wrote docs/screenshots/settings-connections.png');

  // A real reminder: due in 65 s with a 1-minute offset, so it fires in ~5 s.
  await page.goto(`${stack.url}/tasks`);
  await page.waitForSelector('app-connection-status [data-state="connected"]');
  await page.evaluate(
    async (dueDate) => {
      const { token } = await (await fetch('/api/auth/token')).json();
      await fetch('/api/v1/tasks', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          title: 'Call the plumber',
          dueDate,
          reminderOffset: 1,
          tags: ['home'],
        }),
      });
    },
    new Date(Date.now() + 65_000).toISOString(),
  );
  await page.locator('.toast-notification').waitFor({ timeout: 30_000 });
  await shot('reminder-toast');

  // Travel: the user chose New York; this device is elsewhere, so a one-line banner asks.
  await page.evaluate(async () => {
    const { token } = await (await fetch('/api/auth/token')).json();
    await fetch('/api/v1/users/me/notifications', {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ timezone: 'America/New_York' }),
    });
  });
  const traveller = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    timezoneId: 'Europe/Lisbon',
    storageState: await context.storageState(),
  });
  const abroad = await traveller.newPage();
  await abroad.goto(`${stack.url}/tasks`);
  await abroad.getByTestId('zone-banner').waitFor();
  await abroad.locator('li.task').nth(3).waitFor();
  await shot('zone-banner', abroad);

  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    storageState: await context.storageState(),
  });
  const mobile = await phone.newPage();
  await mobile.goto(`${stack.url}/tasks`);
  await mobile.locator('li.task').nth(3).waitFor();
  await shot('phone-tasks', mobile);
} finally {
  await browser.close();
  await stack.stop();
}
