// Browser end-to-end for accounts (issue 20): sign up → verify the address from the mail the
// stack's own catcher received → forget the password → reset it from the mailed link → sign in
// with the new one. The mail is read where a developer reads it: /admin/mail (Basic login).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import chrome from './chrome.cjs';
import { startStack } from './stack.mjs';

let stack;
let browser;
let page;
const problems = [];
const email = `ada-${Date.now()}@example.com`;

const decode = (html) =>
  html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** The link in the newest mail to `to` whose subject matches, as the mail catcher shows it. */
async function linkFromMail(to, subject) {
  const { bullBoardPassword } = JSON.parse(
    readFileSync(join(stack.dataDir, 'dev-secrets.json'), 'utf8'),
  );
  const headers = {
    authorization: `Basic ${Buffer.from(`admin:${bullBoardPassword}`).toString('base64')}`,
  };
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const list = await (await fetch(`${stack.url}/admin/mail`, { headers })).text();
    // Rows are newest first: <td>to</td><td><a href="/admin/mail/<id>">subject</a></td>
    const row = [
      ...list.matchAll(/<td>([^<]*)<\/td><td><a href="(\/admin\/mail\/[0-9a-f-]+)">([^<]*)<\/a>/g),
    ].find(([, rcpt, , subj]) => decode(rcpt).includes(to) && subject.test(decode(subj)));
    if (row) {
      const mail = await (await fetch(`${stack.url}${row[2]}`, { headers })).text();
      const text = decode(/<h2>Plain text<\/h2><pre>([\s\S]*?)<\/pre>/.exec(mail)?.[1] ?? '');
      const link = /https?:\/\/\S+/.exec(text)?.[0];
      assert.ok(link, `a link in the mail: ${text}`);
      return link;
    }
    // The mail leaves after the answer (ADR 260): ask the catcher again shortly.
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no mail "${subject}" to ${to} within 15 s`);
}

describe('accounts: verify, forget, reset, sign in', { timeout: 300_000 }, () => {
  before(async () => {
    stack = await startStack({ log: (line) => console.log(line) });
    browser = await chromium.launch({
      executablePath: chrome.chromeBin(),
      args: chrome.CHROME_FLAGS,
    });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.on('pageerror', (error) => problems.push(error.message));
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
    if (problems.length) console.log(`browser errors seen:\n# ${problems.join('\n# ')}`);
  });

  test('a new account works at once and is verified from the mailed link', async () => {
    await page.goto(`${stack.url}/sign-up`);
    await page.getByLabel('Name').fill('Ada');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct-horse-9');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/tasks');
    await page.getByTestId('verify-banner').waitFor();

    await page.goto(await linkFromMail(email, /Confirm your email address/));
    await page.waitForURL('**/email-verified');
    await page.getByRole('heading', { name: 'Address confirmed' }).waitFor();
    await page.getByRole('link', { name: 'Open Todo Chatbot' }).click();
    await page.waitForURL('**/tasks');
    await page.getByTestId('verify-banner').waitFor({ state: 'detached' });
  });

  test('a forgotten password is reset from the mailed link; the new one signs in', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in');
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByText(`If an account uses ${email}`).waitFor();

    await page.goto(await linkFromMail(email, /Reset your Todo Chatbot password/));
    await page.getByLabel('New password').fill('a-brand-new-secret');
    await page.getByLabel('Repeat it').fill('a-brand-new-secret');
    await page.getByRole('button', { name: 'Set the password' }).click();
    await page.getByText('Your password is changed').waitFor();

    await page.getByRole('link', { name: 'Sign in', exact: true }).first().click();
    await page.waitForURL('**/sign-in');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct-horse-9');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That email and password do not match an account.').waitFor();
    await page.getByLabel('Password').fill('a-brand-new-secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/tasks');
    assert.deepEqual(problems, []);
  });
});
