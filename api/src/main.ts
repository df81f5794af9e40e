import { createLogger } from '@todo/platform';
import { loadConfig } from './config.js';
import { createApi } from './entry-points/api.js';

/** Process entry: validate config, start, and drain gracefully on SIGTERM/SIGINT. */
const config = loadConfig();
const logger = createLogger({ service: 'api', level: config.LOG_LEVEL });

const api = await createApi(config, { logger }).catch((error: unknown) => {
  logger.fatal({ err: error }, 'api failed to start');
  process.exit(1);
});
api.shutdown.listen();
await api.start();
