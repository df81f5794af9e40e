// Which Chromium to drive: CHROME_BIN, else Debian's /usr/bin/chromium, else other usual places
// (e.g. Google Chrome on GitHub's Ubuntu runners). Never downloads a browser.
const { existsSync } = require('node:fs');

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

function chromeBin() {
  if (process.env.CHROME_BIN) return process.env.CHROME_BIN;
  const found = CANDIDATES.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      'No Chromium found: sudo apt-get install -y chromium (or set CHROME_BIN to a Chrome binary)',
    );
  }
  return found;
}

/** Flags for a headless browser in a container with no internet. */
const CHROME_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

module.exports = { chromeBin, CHROME_FLAGS };
