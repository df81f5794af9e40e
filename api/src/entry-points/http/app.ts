import { toNodeHandler } from 'better-auth/node';
import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import {
  correlation,
  currentContext,
  healthRouter,
  httpMetrics,
  metricsRouter,
  type Logger,
} from '@todo/platform';
import { pinoHttp } from 'pino-http';
import type { Sequelize } from 'sequelize';
import type { Auth } from './auth/better-auth.js';
import type { JwtVerifier } from './auth/jwt-verifier.js';
import { validateAuthBodies } from './auth/auth-bodies.js';
import { perUserLimit } from './per-user-limit.js';
import { authRateLimits } from './auth/rate-limits.js';
import { requireUser } from './auth/require-user.js';
import { serverClientsWithoutOrigin } from './auth/server-clients.js';
import type { SessionLiveness } from './auth/session-liveness.js';
import type { ApiConfig } from '../../config.js';
import type { EventPublisher } from '../../data-access/events/event-publisher.js';
import { errorHandler, notFoundHandler } from './middleware/error-handler.js';
import type { Metrics } from '../../metrics.js';
import { methodGuard, type KnownRoute } from './middleware/method-guard.js';
import { requireJsonBody } from './middleware/require-json.js';
import type { Operation } from './openapi/operation.js';
import { eventSubscriptions } from '../subscribers/event-subscriptions.js';
import { notificationsRouter, preferencesRouter } from './routes/notifications.js';
import { pushConfigRouter, pushSubscriptionsRouter } from './routes/push.js';
import { authOperations } from './routes/auth.js';
import { docsRouter, docsRoutes } from './routes/docs.js';
import { tasksRouter } from './routes/tasks.js';
import { listsRouter } from './routes/lists.js';
import { invitesRouter, sharingRouter } from './routes/sharing.js';
import { unsubscribeRouter, unsubscribeRoutes } from './routes/unsubscribe.js';
import { chatRouter } from './routes/chat.js';
import { accessTokensRouter, calendarFeedRouter } from './routes/connections.js';
import { calendarRouter } from './routes/calendar.js';
import { mcpHandler } from '../mcp/http.js';
import { IMPORT_PATH, portabilityRouter } from './routes/portability.js';
import type { ChatService } from '../../domain/chat/chat-service.js';
import type { Services } from '../../domain/services.js';

export interface AppDependencies {
  config: ApiConfig;
  logger: Logger;
  sequelize: Sequelize;
  auth: Auth;
  verifier: JwtVerifier;
  sessions: SessionLiveness;
  redis: Redis | null;
  publisher: EventPublisher;
  metrics: Metrics;
  services: Services;
  chat: ChatService;
  /** True once the process drains: readiness answers 503 so traffic moves elsewhere. */
  draining: () => boolean;
}

/** Every route of Better Auth's (`/sign-in/email` …) with its methods, from its endpoints. */
function betterAuthRoutes(auth: Auth): KnownRoute[] {
  return Object.values(auth.api).flatMap((endpoint) => {
    const { path, options } = endpoint as { path?: string; options?: { method?: unknown } };
    const method = options?.method;
    const methods = (Array.isArray(method) ? method : [method]).filter(
      (m): m is string => typeof m === 'string' && m !== '*',
    );
    return path && methods.length ? [{ path, methods }] : [];
  });
}

/** The api's own routes with their methods: the declared operations plus the public extras. */
function knownRoutes(operations: Operation[]): KnownRoute[] {
  return [
    ...operations
      .filter((op) => op.path.startsWith('/api/v1/'))
      .map((op) => ({ path: op.path, methods: [op.method] })),
    ...docsRoutes,
    ...unsubscribeRoutes,
    { path: '/health', methods: ['GET'] },
    { path: '/health/ready', methods: ['GET'] },
    { path: '/metrics', methods: ['GET'] },
    { path: '/cal/{file}', methods: ['GET'] },
    { path: '/mcp', methods: ['POST'] },
  ];
}

/** The Express application: middleware order here is the request's path through the api. */
export function createApp(deps: AppDependencies): Express {
  const { config, logger, metrics } = deps;
  const app = express();
  app.disable('x-powered-by');
  // Behind the launcher's gateway or the cluster ingress: trust private-network proxies only.
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');

  app.use(correlation());
  app.use(
    pinoHttp({
      logger,
      genReqId: () => currentContext()?.correlationId ?? 'unknown',
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(httpMetrics(metrics.registry));
  app.use(helmet());
  app.use(
    cors({
      origin: config.CORS_ORIGINS.length ? config.CORS_ORIGINS : false,
      credentials: true,
      exposedHeaders: ['ETag', 'Location', 'X-Correlation-Id'],
    }),
  );

  // Ready = the database answers (and, with dapr, the sidecar; the direct transport never
  // gates it, so subscribers may start later).
  app.use(
    healthRouter({
      service: 'api',
      checks: {
        database: async () => {
          await deps.sequelize.query('SELECT 1');
          return true;
        },
        transport: () => deps.publisher.isReady(),
      },
      draining: deps.draining,
      details: () => ({ transport: deps.publisher.name }),
    }),
  );
  app.use(metricsRouter(metrics.registry));
  // The workers' results (reminder.fired, occurrence.due) arrive here as CloudEvents, from
  // daprd or the workers' direct transport; never routed by the gateway or the ingress.
  app.use(
    eventSubscriptions({
      pubsubName: config.PUBSUB_NAME,
      appToken: config.APP_API_TOKEN,
      services: deps.services,
      logger,
    }),
  );

  // Better Auth: unknown methods are a 405 before it (it cannot represent TRACE), server-side
  // clients get past its browser check, and bodies are parsed here (Better Auth re-reads the
  // parsed body) so the rate limits can key by account and bad bodies get our 4xx.
  app.use(
    '/api/auth',
    methodGuard(betterAuthRoutes(deps.auth)),
    serverClientsWithoutOrigin,
    requireJsonBody,
    express.json({ limit: config.BODY_LIMIT, strict: true }),
    validateAuthBodies(authOperations),
    authRateLimits(config, deps.redis, logger),
  );
  app.all('/api/auth/{*path}', toNodeHandler(deps.auth));

  // Reminder mail's one-click unsubscribe: a mail client POSTs a form, signed by the link.
  app.use(unsubscribeRouter(config.UNSUBSCRIBE_SECRET, logger));

  // An import's body is the file itself (CSV, iCalendar), read by its own route.
  app.use((req, res, next) => {
    if (req.path === IMPORT_PATH) next();
    else requireJsonBody(req, res, next);
  });
  app.use(express.json({ limit: config.BODY_LIMIT, strict: true }));

  // Each router declares its operations next to its handlers; the document is built from them.
  const tasks = tasksRouter(deps.services);
  const lists = listsRouter(deps.services);
  const sharing = sharingRouter(deps.services);
  const invites = invitesRouter(deps.services);
  const notifications = notificationsRouter(deps.services);
  const preferences = preferencesRouter();
  const chat = chatRouter(deps.chat);
  const pushSubscriptions = pushSubscriptionsRouter(deps.services, {
    production: config.NODE_ENV === 'production',
  });
  const pushConfig = pushConfigRouter(config.VAPID_PUBLIC_KEY);
  const tokens = accessTokensRouter(deps.services.connections);
  const feed = calendarFeedRouter(deps.services.connections, config.BETTER_AUTH_URL);
  const portability = portabilityRouter(deps.services);
  const operations = [
    ...authOperations,
    ...tasks.operations,
    ...lists.operations,
    ...sharing.operations,
    ...invites.operations,
    ...notifications.operations,
    ...preferences.operations,
    ...chat.operations,
    ...pushSubscriptions.operations,
    ...pushConfig.operations,
    ...tokens.operations,
    ...feed.operations,
    ...portability.operations,
  ];

  const v1 = express.Router();
  v1.use(docsRouter(operations)); // public: GET /openapi.json and /docs
  v1.use(requireUser(deps.verifier, deps.sessions, deps.services.connections));
  const limit = perUserLimit(config.RATE_LIMIT_PER_MINUTE, deps.redis, logger);
  v1.use(limit);
  v1.use('/tasks', tasks.router);
  v1.use('/lists', lists.router);
  v1.use('/lists', sharing.router);
  v1.use('/invites', invites.router);
  v1.use('/notifications', notifications.router);
  v1.use('/users/me/notifications', preferences.router);
  v1.use('/chat', chat.router);
  v1.use('/users/me/push-subscriptions', pushSubscriptions.router);
  v1.use('/push', pushConfig.router);
  v1.use('/users/me/tokens', tokens.router);
  v1.use('/users/me/calendar-feed', feed.router);
  v1.use('/users/me', portability.router);
  // MCP for AI assistants (Streamable HTTP); a read-only token is refused per tool there.
  app.post(
    '/mcp',
    requireUser(deps.verifier, deps.sessions, deps.services.connections, { scopeByMethod: false }),
    limit,
    mcpHandler(deps.services),
  );
  app.use(methodGuard(knownRoutes(operations)));
  // The private calendar feed: its secret URL is its credential (calendar apps send no header).
  app.use('/cal', calendarRouter(deps.services));
  app.use('/api/v1', v1);

  // What the document is assembled from, for tests that compare it with the routes.
  app.locals.operations = operations;

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
