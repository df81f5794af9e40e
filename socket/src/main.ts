import { createLogger } from '@todo/platform';
import { loadConfig } from './config.js';
import { createSocketNode } from './server.js';

/** Process entry: validate config, start, and drain gracefully on SIGTERM/SIGINT. */
const config = loadConfig();
const logger = createLogger({ service: 'socket', level: config.LOG_LEVEL });

// The Redis adapter publishes without awaiting; while Redis is down those rejections
// would otherwise crash a node that is merely waiting for Redis to come back.
process.on('unhandledRejection', (reason) => {
  logger.error({ err: reason }, 'unhandled rejection');
});

const node = await createSocketNode(config, { logger }).catch((error: unknown) => {
  logger.fatal({ err: error }, 'socket node failed to start');
  process.exit(1);
});
node.shutdown.listen();
await node.start();
