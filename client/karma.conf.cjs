// Karma for `ng test`: one headless run in Debian's Chromium (CHROME_BIN, default /usr/bin/chromium).
// No sandbox (CI containers run as root), no background networking: the machine has no internet.
const { chromeBin, CHROME_FLAGS } = require('./e2e/chrome.cjs');
process.env.CHROME_BIN = chromeBin();
// The browser runs in a zone no spec uses as the user's: specs that show times in the user's
// saved zone would pass by accident if the two were the same.
process.env.TZ = 'America/Los_Angeles';

module.exports = function (config) {
  config.set({
    basePath: '',
    frameworks: ['jasmine'],
    plugins: [require('karma-jasmine'), require('karma-chrome-launcher')],
    client: { jasmine: { random: true }, clearContext: false },
    reporters: ['dots'],
    browsers: ['ChromeHeadlessCI'],
    customLaunchers: {
      ChromeHeadlessCI: {
        base: 'ChromeHeadless',
        // ChromeHeadless adds --headless itself.
        flags: CHROME_FLAGS.filter((flag) => flag !== '--headless'),
      },
    },
    singleRun: true,
    autoWatch: false,
    browserNoActivityTimeout: 120000,
    captureTimeout: 120000,
  });
};
