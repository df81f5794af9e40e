// Browser end-to-end for accounts (issue 20): sign up → verify the address from the mail the
// stack's own catcher received → forget the password → reset it from the mailed link → sign in
// with the new one. The mail is read where a developer reads it: /admin/mail (Basic login).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import chrome from './chrome.cjs';
import { linkFromMail } from './mail.mjs';
import { startStack } from './stack.mjs';

let stack;
let browser;
let page;
const problems = [];
const email = `ada-${Date.now()}@example.com`;

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

    await page.goto(await linkFromMail(stack, email, /Confirm your email address/));
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
    // The sign-in page has an "Email" field too: fill the reset page's, once it is shown
    // (rendering follows the click by a task; filling the old field left the new one empty).
    await page.getByRole('button', { name: 'Send the link' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByText(`If an account uses ${email}`).waitFor();

    await page.goto(await linkFromMail(stack, email, /Reset your Todo Chatbot password/));
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
