import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { createWorkers } from './server.js';

/** Process entry: validate config, start, and drain gracefully on SIGTERM/SIGINT. */
const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
const workers = createWorkers(config, { logger });

await workers.start().catch((error: unknown) => {
  logger.fatal({ err: error }, 'workers failed to start');
  process.exit(1);
});

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Active jobs get this long to finish; anything cut off is retried (stalled) elsewhere.
    const force = setTimeout(() => process.exit(1), 25_000).unref();
    workers
      .stop()
      .then(() => {
        clearTimeout(force);
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  });
}
