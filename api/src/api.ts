import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JSONWebKeySet } from 'jose';
import pg from 'pg';
import { createApp } from './app.js';
import { authOptions, createAuth, migrateAuth } from './auth/better-auth.js';
import { JwtVerifier } from './auth/jwt-verifier.js';
import type { ApiConfig } from './config.js';
import { migrate } from './db/migrate.js';
import { createSequelize } from './db/sequelize.js';
import { DaprEventPublisher } from './events/dapr-publisher.js';
import { DirectEventPublisher } from './events/direct-publisher.js';
import type { EventPublisher } from './events/event-publisher.js';
import { OutboxRelay } from './events/outbox-relay.js';
import { createMetrics } from './http/metrics.js';
import { createLogger, type Logger } from './logger.js';
import { RetentionJanitor } from './maintenance/retention-janitor.js';
import { initModels } from './models/index.js';
import { createChatService, createServices } from './services/index.js';

export interface ApiOptions {
  /** Replaces the configured transport (tests use this to fail or record publishes). */
  publisher?: EventPublisher;
  logger?: Logger;
}

/** Composition root: builds every part of the api from its configuration. */
export async function createApi(config: ApiConfig, options: ApiOptions = {}) {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const sequelize = createSequelize(config.DATABASE_URL, logger);
  initModels(sequelize);
  const authPool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 10 });
  // An idle client losing its server (restart, failover, shutdown) must not crash the process.
  authPool.on('error', (error) =>
    logger.warn({ err: error }, 'idle auth database connection lost'),
  );
  const auth = createAuth(config, authPool);

  if (config.MIGRATE_ON_START)
    await migrate(sequelize, logger, () => migrateAuth(authOptions(config, authPool)));

  const metrics = createMetrics();
  const publisher =
    options.publisher ??
    (config.EVENT_TRANSPORT === 'dapr'
      ? new DaprEventPublisher(config.PUBSUB_NAME, config.DAPR_HOST, config.DAPR_HTTP_PORT)
      : new DirectEventPublisher(
          config.DIRECT_SUBSCRIBERS,
          config.PUBSUB_NAME,
          logger,
          config.APP_API_TOKEN,
        ));
  const relay = new OutboxRelay(sequelize, publisher, logger, metrics, {
    databaseUrl: config.DATABASE_URL,
    pollMs: config.OUTBOX_POLL_MS,
    maxBackoffMs: config.OUTBOX_MAX_BACKOFF_MS,
  });
  const verifier = new JwtVerifier(
    async () => (await auth.api.getJwks()) as unknown as JSONWebKeySet,
    config.BETTER_AUTH_URL,
  );
  const services = createServices(sequelize, logger, {
    changeFeedRetentionDays: config.CHANGE_FEED_RETENTION_DAYS,
  });
  const janitor = new RetentionJanitor(
    sequelize,
    logger,
    metrics,
    {
      outboxHours: config.OUTBOX_RETENTION_HOURS,
      changeFeedDays: config.CHANGE_FEED_RETENTION_DAYS,
      processedEventsDays: config.PROCESSED_EVENTS_RETENTION_DAYS,
      batchSize: 5000,
    },
    config.RETENTION_INTERVAL_MS,
  );
  const chat = createChatService(services, config, logger);
  const app = createApp({
    config,
    logger,
    sequelize,
    auth,
    verifier,
    publisher,
    metrics,
    services,
    chat,
  });

  let server: Server | null = null;

  return {
    app,
    auth,
    relay,
    janitor,
    sequelize,
    services,
    logger,
    /** Listens on `port` (0 = any free one) and starts the relay; resolves with the bound port. */
    async start(port = config.PORT, host = config.HOST): Promise<number> {
      server = app.listen(port, host);
      await once(server, 'listening');
      await relay.start();
      janitor.start();
      const bound = (server.address() as AddressInfo).port;
      logger.info({ port: bound, transport: publisher.name }, 'api listening');
      return bound;
    },
    /** Graceful stop: no new connections, in-flight requests finish, then the relay and pools close. */
    async stop(): Promise<void> {
      if (server) {
        const closing = new Promise<void>((resolve) => server!.close(() => resolve()));
        server.closeIdleConnections();
        await closing;
      }
      await janitor.stop();
      await relay.stop();
      await publisher.close();
      await sequelize.close();
      await authPool.end();
      logger.info('api stopped');
    },
  };
}

export type Api = Awaited<ReturnType<typeof createApi>>;
