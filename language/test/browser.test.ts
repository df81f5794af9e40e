import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';

/**
 * The package as the web app gets it: bundled for the browser (no Node APIs may be left) and
 * run in Chromium, where the quick-add box will call it.
 */
const CHROMIUM = [
  process.env.CHROME_BIN,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
].find((path): path is string => !!path && existsSync(path));

describe('in a browser', () => {
  let browser: Browser;
  let bundle: string;

  before(async () => {
    const result = await build({
      entryPoints: [new URL('../src/index.ts', import.meta.url).pathname],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      conditions: ['source'],
      write: false,
      logLevel: 'silent',
    });
    bundle = result.outputFiles[0]!.text;
    assert.ok(CHROMIUM, 'no Chromium found: install chromium or set CHROME_BIN');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  after(() => browser?.close());

  it('bundles for the browser and parses the quick-add example in Chromium', async () => {
    const page = await browser.newPage();
    const result = await page.evaluate(async (source) => {
      const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
      const language = await import(url);
      return language.parseQuickAdd('Call mom every sunday at 6pm #family p1', {
        now: new Date('2026-11-29T10:00:00Z'),
        timeZone: 'Europe/Berlin',
      });
    }, bundle);
    assert.equal(result.title, 'Call mom');
    assert.equal(result.fields.dueDate, '2026-11-29T17:00:00.000Z');
    assert.deepEqual(result.fields.recurrence, {
      frequency: 'weekly',
      interval: 1,
      byWeekday: [6],
    });
    assert.deepEqual([result.fields.priority, result.fields.tags], ['high', ['family']]);
  });
});
