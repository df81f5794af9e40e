// Browser end-to-end for shared lists (issue 15): two people in two browser contexts. Ada makes
// a list and invites Bo, who has no account yet; Bo opens the mailed link, signs up through it,
// confirms the address and joins; each sees the other's changes live; Ada removes Bo and Bo's
// open tab drops the list. The settings dialog with its people is audited with axe-core.
//   node --test e2e/sharing.test.mjs   (after `npm run build -w @todo/client`)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import chrome from './chrome.cjs';
import { linkFromMail } from './mail.mjs';
import { startStack } from './stack.mjs';

const AXE = fileURLToPath(import.meta.resolve('axe-core/axe.min.js'));
const stamp = Date.now();
const ada = { name: 'Ada Lovelace', email: `ada-${stamp}@example.com` };
const bo = { name: 'Bo Chen', email: `bo-${stamp}@example.com` };
const PASSWORD = 'correct-horse-9';

let stack;
let browser;
let pageA;
let pageB;
const problems = [];

async function signUp(page, who) {
  await page.getByLabel('Name').fill(who.name);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
}

const row = (page, title) => page.locator('li.task', { hasText: title });
const sidebarList = (page, name) =>
  page.getByRole('navigation', { name: 'Lists' }).getByRole('link', { name });

async function openSettings(page, name) {
  await page.getByRole('button', { name: `Settings of ${name}` }).click();
  await page.getByRole('dialog').locator('[data-testid="members"] li').first().waitFor();
}

/** axe on the page as it is now; serious and critical violations fail. */
async function audit(t, page, name) {
  await page.waitForFunction(() =>
    document.getAnimations().every((animation) => animation.playState !== 'running'),
  );
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.length,
      target: v.nodes[0]?.target.join(' '),
    }));
  });
  for (const v of violations)
    t.diagnostic(`${name}: ${v.impact} ${v.id} ×${v.nodes} (${v.target})`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

describe('a list shared by two people, live', { timeout: 300_000 }, () => {
  before(async () => {
    stack = await startStack({ log: (line) => console.log(line) });
    browser = await chromium.launch({
      executablePath: chrome.chromeBin(),
      args: chrome.CHROME_FLAGS,
    });
    // Two contexts: two people, each with their own cookies and storage.
    pageA = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    pageB = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    for (const [name, page] of [
      ['A', pageA],
      ['B', pageB],
    ]) {
      page.on('pageerror', (error) => problems.push(`${name}: ${error.message}`));
    }
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
    if (problems.length) console.log(`# browser errors seen:\n# ${problems.join('\n# ')}`);
  });

  test('Ada makes a list and invites Bo, who has no account yet', async (t) => {
    await pageA.goto(`${stack.url}/sign-up`);
    await signUp(pageA, ada);
    await pageA.waitForURL('**/tasks');
    await pageA.getByTestId('new-list').click();
    await pageA.getByTestId('list-name').fill('Groceries');
    await pageA.getByRole('button', { name: 'Create', exact: true }).click();
    await pageA.waitForURL(/list=/);
    await openSettings(pageA, 'Groceries');
    await pageA.getByTestId('invite-email').fill(bo.email);
    await pageA.getByRole('button', { name: 'Invite', exact: true }).click();
    await pageA.getByTestId('invites').getByText(bo.email).waitFor();
    const serious = await audit(t, pageA, 'list settings');
    assert.deepEqual(serious, [], 'no serious accessibility violations in the settings dialog');
    await pageA.keyboard.press('Escape');
    await pageA.getByRole('dialog').waitFor({ state: 'detached' });
  });

  test('Bo opens the link, signs up through it, confirms the address and joins', async () => {
    await pageB.goto(await linkFromMail(stack, bo.email, /You are invited to the list/));
    await pageB.getByTestId('invite-signed-out').waitFor();
    await pageB.getByRole('link', { name: 'Create an account' }).click();
    await signUp(pageB, bo);
    // Back on the invite: joining needs the confirmed address.
    await pageB.getByText('Confirm your email address first').waitFor();
    await pageB.goto(await linkFromMail(stack, bo.email, /Confirm your email address/));
    await pageB.waitForURL('**/email-verified');
    await pageB.getByTestId('open-invite').click();
    await pageB.waitForURL(/\/tasks\?list=/);
    await pageB.getByTestId('list-heading').filter({ hasText: 'Groceries' }).waitFor();
    await sidebarList(pageB, /Groceries/).waitFor();
  });

  test('each sees the other’s changes live', async (t) => {
    await pageA.getByTestId('quick-add').fill('Oat milk');
    await pageA.getByTestId('quick-add').press('Enter');
    let started = Date.now();
    await row(pageB, 'Oat milk').waitFor({ timeout: 5_000 });
    t.diagnostic(`Ada's task reached Bo's tab in ${Date.now() - started} ms`);

    await pageB.getByTestId('quick-add').fill('Rye bread');
    await pageB.getByTestId('quick-add').press('Enter');
    started = Date.now();
    await row(pageA, 'Rye bread').waitFor({ timeout: 5_000 });
    t.diagnostic(`Bo's task reached Ada's tab in ${Date.now() - started} ms`);
    // Ada's sidebar marks the list shared once Bo is in it.
    await pageA.getByTestId('shared-mark').waitFor();
  });

  test('Ada removes Bo: Bo’s open tab drops the list within a second', async (t) => {
    await openSettings(pageA, 'Groceries');
    await pageA.getByRole('button', { name: `Remove ${bo.name}` }).click();
    await pageA
      .getByRole('dialog', { name: /Remove/ })
      .getByRole('button', { name: 'Remove' })
      .click();
    const started = Date.now();
    await sidebarList(pageB, /Groceries/).waitFor({ state: 'detached', timeout: 5_000 });
    const ms = Date.now() - started;
    // The goal is a second; measured, not asserted (a loaded CI machine must not fail it).
    t.diagnostic(`Bo's tab dropped the list ${ms} ms after the removal was confirmed`);
    await pageB.getByText('You no longer have access to Groceries').first().waitFor();
    await pageB.waitForURL((url) => !url.search.includes('list='));
    await row(pageB, 'Oat milk').waitFor({ state: 'detached' });
    assert.deepEqual(problems, []);
  });
});
