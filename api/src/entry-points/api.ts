import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JSONWebKeySet } from 'jose';
import pg from 'pg';
import { Shutdown, closeServer, createLogger, createMailer, type Logger } from '@todo/platform';
import { createApp } from './http/app.js';
import { authOptions, createAuth, migrateAuth, type Auth } from './http/auth/better-auth.js';
import { JwtVerifier } from './http/auth/jwt-verifier.js';
import { SessionLiveness } from './http/auth/session-liveness.js';
import type { ApiConfig } from '../config.js';
import { migrate } from '../data-access/migrate.js';
import { createRedis } from '../data-access/redis.js';
import { createSequelize } from '../data-access/sequelize.js';
import { DaprEventPublisher } from '../data-access/events/dapr-publisher.js';
import { DirectEventPublisher } from '../data-access/events/direct-publisher.js';
import type { EventPublisher } from '../data-access/events/event-publisher.js';
import { OutboxRelay } from '../data-access/events/outbox-relay.js';
import { SocketSessions } from '../data-access/socket-sessions.js';
import { createMetrics } from '../metrics.js';
import { RetentionJanitor } from '../data-access/retention-janitor.js';
import { initModels } from '../data-access/models/index.js';
import { createChatService } from '../domain/chat/index.js';
import { createServices } from '../domain/services.js';
import { AccountMailer } from '../domain/account/account-mail.js';

export interface ApiOptions {
  /** Replaces the configured transport (tests use this to fail or record publishes). */
  publisher?: EventPublisher;
  logger?: Logger;
}

/** Composition root: builds every part of the api from its configuration. */
export async function createApi(config: ApiConfig, options: ApiOptions = {}) {
  const logger = options.logger ?? createLogger({ service: 'api', level: config.LOG_LEVEL });
  const timeouts = {
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    acquireTimeoutMs: config.DB_ACQUIRE_TIMEOUT_MS,
  };
  const sequelize = createSequelize(config.DATABASE_URL, logger, timeouts);
  initModels(sequelize);
  const authPool = new pg.Pool({
    connectionString: config.DATABASE_URL,
    max: 10,
    connectionTimeoutMillis: timeouts.acquireTimeoutMs,
    statement_timeout: timeouts.statementTimeoutMs,
    query_timeout: timeouts.statementTimeoutMs + 1000,
  });
  // An idle client losing its server (restart, failover, shutdown) must not crash the process.
  authPool.on('error', (error) =>
    logger.warn({ err: error }, 'idle auth database connection lost'),
  );
  const redis = config.REDIS_URL ? createRedis(config.REDIS_URL, logger) : null;
  const socketSessions = redis
    ? new SocketSessions(redis, logger, config.SOCKET_ADAPTER_KEY)
    : null;
  // The session table is the revocation set; `auth` (below) exists before any lookup runs.
  const sessions = new SessionLiveness(async (sessionId) => {
    const context = await auth.$context;
    return context.adapter.findOne<{ expiresAt: Date }>({
      model: 'session',
      where: [{ field: 'id', value: sessionId }],
    });
  }, config.SESSION_CHECK_CACHE_MS);
  // Account mail (verification, reset, notices) through the same transport as reminder mail.
  if (config.MAIL_TRANSPORT === 'log')
    logger.warn('MAIL_TRANSPORT=log: account mail is written to the log, not sent');
  const accountMail = new AccountMailer(
    createMailer({
      smtpUrl: config.MAIL_TRANSPORT === 'smtp' ? config.SMTP_URL : undefined,
      from: config.MAIL_FROM,
      logger,
    }),
    logger,
  );
  const auth: Auth = createAuth(config, authPool, {
    onSessionEnded: async (sessionId) => {
      sessions.ended(sessionId);
      await socketSessions?.revoke(sessionId);
    },
    // The owner is told by mail (the mail hook); the attempt is logged as well.
    onExistingUserSignUp: (user) =>
      logger.info({ userId: user.id }, 'sign-up attempted with the address of an existing account'),
    sendMail: (to, mail) => accountMail.send(to, mail),
    onAddressChanged: (userId) => services.accounts.addressChanged(userId),
    onUserDeleting: (userId) => services.accounts.erase(userId),
  });

  if (config.MIGRATE_ON_START) {
    // Without the request path's timeouts: waiting for another replica's migration lock, or
    // building an index, may rightly take longer than a request may.
    const migrationDb = createSequelize(config.DATABASE_URL, logger);
    const migrationPool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 2 });
    try {
      await migrate(migrationDb, logger, () => migrateAuth(authOptions(config, migrationPool)));
    } finally {
      await migrationDb.close();
      await migrationPool.end();
    }
  }

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
    sharing: {
      appUrl: config.BETTER_AUTH_URL,
      mailInvite: (to, invite) => accountMail.send(to, { kind: 'list-invite', ...invite }),
      ...(socketSessions
        ? {
            joined: (userId, listId) => socketSessions.joinList(userId, listId),
            left: (userId, listId) => socketSessions.leaveList(userId, listId),
          }
        : {}),
    },
  });
  const janitor = new RetentionJanitor(
    sequelize,
    logger,
    metrics,
    {
      outboxHours: config.OUTBOX_RETENTION_HOURS,
      changeFeedDays: config.CHANGE_FEED_RETENTION_DAYS,
      processedEventsDays: config.PROCESSED_EVENTS_RETENTION_DAYS,
      activityDays: config.ACTIVITY_RETENTION_DAYS,
      batchSize: 5000,
    },
    config.RETENTION_INTERVAL_MS,
  );
  const chat = createChatService(services, config, logger);
  let server: Server | null = null;
  // No new requests (in-flight ones finish), then the background loops, then the connections.
  const shutdown = new Shutdown({ name: 'api', logger, timeoutMs: 20_000 })
    .add('http', () => closeServer(server))
    .add('janitor', () => janitor.stop())
    .add('relay', () => relay.stop())
    .add('publisher', () => publisher.close())
    .add('database', () => sequelize.close())
    .add('auth pool', () => authPool.end())
    .add('account mail', () => accountMail.close())
    .add('redis', async () => void (await redis?.quit().catch(() => redis.disconnect())));

  const app = createApp({
    config,
    logger,
    sequelize,
    auth,
    verifier,
    sessions,
    redis,
    publisher,
    metrics,
    services,
    chat,
    draining: () => shutdown.draining,
  });

  return {
    app,
    auth,
    relay,
    janitor,
    sequelize,
    services,
    sessions,
    logger,
    shutdown,
    accountMail,
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
    /** Runs the shutdown steps (once); rejects when one failed or the drain timed out. */
    async stop(): Promise<void> {
      if ((await shutdown.run('stop')) !== 0) throw new Error('api did not stop cleanly');
    },
  };
}

export type Api = Awaited<ReturnType<typeof createApi>>;
