import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { createSocketNode } from './server.js';

/** Process entry: validate config, start, and drain gracefully on SIGTERM/SIGINT. */
const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);

// The Redis adapter publishes without awaiting; while Redis is down those rejections
// would otherwise crash a node that is merely waiting for Redis to come back.
process.on('unhandledRejection', (reason) => {
  logger.error({ err: reason }, 'unhandled rejection');
});

const node = await createSocketNode(config, { logger }).catch((error: unknown) => {
  logger.fatal({ err: error }, 'socket node failed to start');
  process.exit(1);
});
await node.start();

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 20_000).unref();
    node
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
