// A process that drains on SIGTERM; the shutdown test reads its log lines.
import { pino } from 'pino';
import { Shutdown, createLogger } from '../../src/index.js';

// Synchronous writes: the test reads the order of the steps from the order of the lines, and
// pino's default asynchronous stdout was seen to deliver them out of order on a loaded host.
const logger = createLogger({
  service: 'signal-child',
  level: 'info',
  destination: pino.destination({ fd: 1, sync: true }),
});
const keepAlive = setInterval(() => {}, 60_000);
new Shutdown({ name: 'signal-child', logger, timeoutMs: 5000 })
  .add('first', () => logger.info('first step'))
  .add('second', async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    clearInterval(keepAlive);
    logger.info('second step');
  })
  .listen();
logger.info('ready');
