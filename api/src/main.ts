import { createApi } from './entry-points/api.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';

/** Process entry: validate config, start, and drain gracefully on SIGTERM/SIGINT. */
const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);

const api = await createApi(config, { logger }).catch((error: unknown) => {
  logger.fatal({ err: error }, 'api failed to start');
  process.exit(1);
});
await api.start();

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 20_000).unref();
    api
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
