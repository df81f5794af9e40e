// A process that drains on SIGTERM; the shutdown test reads its log lines.
import { Shutdown, createLogger } from '../../src/index.js';

const logger = createLogger({ service: 'signal-child', level: 'info' });
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
