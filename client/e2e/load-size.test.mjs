// Browser e2e of what the sign-in page costs over the wire, served by the `npm start` gateway:
// a cold load (empty cache) stays within 200 kB and a warm reload within 20 kB. Bytes are the
// browser's own count (CDP Network.loadingFinished encodedDataLength: headers + compressed
// body; 0 for a response taken from cache).
//   npm run test:e2e -w @todo/client
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import chrome from './chrome.cjs';
import { startStack } from './stack.mjs';

const COLD_BUDGET = 200_000;
const WARM_BUDGET = 20_000;

let stack;
let browser;

/** Loads `navigate` in `page` and answers the bytes transferred, in total and per response. */
async function transferred(page, navigate) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const urls = new Map();
  const sizes = [];
  cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response));
  cdp.on('Network.loadingFinished', (e) => {
    const response = urls.get(e.requestId);
    sizes.push({
      url: response?.url ?? e.requestId,
      status: response?.status,
      encoding: response?.headers['content-encoding'] ?? response?.headers['Content-Encoding'],
      bytes: e.encodedDataLength,
      length: Number(response?.headers['content-length'] ?? response?.headers['Content-Length']),
    });
  });
  await navigate();
  await cdp.detach();
  return { total: sizes.reduce((sum, s) => sum + s.bytes, 0), sizes };
}

const report = (label, { total, sizes }) =>
  console.log(
    `${label}: ${total} bytes in ${sizes.length} responses\n` +
      sizes
        .map((s) => `  ${s.bytes}\t${s.status}\t${s.encoding ?? '-'}\t${new URL(s.url).pathname}`)
        .join('\n'),
  );

describe('the sign-in page over the wire', { timeout: 600_000 }, () => {
  before(async () => {
    stack = await startStack({ log: (line) => console.log(line) });
    browser = await chromium.launch({
      executablePath: chrome.chromeBin(),
      args: chrome.CHROME_FLAGS,
    });
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test(`a cold load stays within ${COLD_BUDGET} bytes and a warm reload within ${WARM_BUDGET}`, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cold = await transferred(page, async () => {
      await page.goto(`${stack.url}/sign-in`, { waitUntil: 'networkidle' });
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
    });
    report('cold load', cold);
    const scripts = cold.sizes.filter((s) => s.url.endsWith('.js'));
    assert.ok(scripts.length > 0, 'the bundles were loaded');
    // The gateway (and nginx) compress every file of 1 KB or more; a smaller one gains nothing.
    for (const s of scripts.filter((s) => !(s.length < 1024)))
      assert.match(String(s.encoding), /^(br|gzip)$/, `${s.url} compressed`);
    assert.ok(cold.total <= COLD_BUDGET, `cold load ${cold.total} bytes > ${COLD_BUDGET}`);

    const warm = await transferred(page, async () => {
      await page.reload({ waitUntil: 'networkidle' });
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
    });
    report('warm reload', warm);
    assert.ok(warm.total <= WARM_BUDGET, `warm reload ${warm.total} bytes > ${WARM_BUDGET}`);
    await context.close();
  });
});
