import { createLogger } from '@todo/platform';
import { loadConfig } from './config.js';
import { createWorkers } from './server.js';

/** Process entry: validate config, start, and drain gracefully on SIGTERM/SIGINT. */
const config = loadConfig();
const logger = createLogger({ service: 'workers', level: config.LOG_LEVEL });
const workers = createWorkers(config, { logger });
workers.shutdown.listen();

await workers.start().catch((error: unknown) => {
  logger.fatal({ err: error }, 'workers failed to start');
  process.exit(1);
});
