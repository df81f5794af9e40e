import { toNodeHandler } from 'better-auth/node';
import cors from 'cors';
import express, { type Express } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Sequelize } from 'sequelize';
import type { Auth } from './auth/better-auth.js';
import type { JwtVerifier } from './auth/jwt-verifier.js';
import { requireInternalToken } from './auth/require-internal.js';
import { requireUser } from './auth/require-user.js';
import type { ApiConfig } from './config.js';
import type { EventPublisher } from './events/event-publisher.js';
import { correlation } from './http/correlation.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { DomainError } from './http/errors.js';
import { httpMetrics, type Metrics } from './http/metrics.js';
import { currentContext } from './http/request-context.js';
import { requireJsonBody } from './http/require-json.js';
import type { Logger } from './logger.js';
import { healthRouter } from './routes/health.js';
import { internalRouter } from './routes/internal.js';
import { notificationsRouter, preferencesRouter } from './routes/notifications.js';
import { openapiRouter } from './routes/openapi.js';
import { tasksRouter } from './routes/tasks.js';
import { chatRouter } from './routes/chat.js';
import type { ChatService } from './chat/chat-service.js';
import type { Services } from './services/index.js';

export interface AppDependencies {
  config: ApiConfig;
  logger: Logger;
  sequelize: Sequelize;
  auth: Auth;
  verifier: JwtVerifier;
  publisher: EventPublisher;
  metrics: Metrics;
  services: Services;
  chat: ChatService;
}

/** The Express application: middleware order here is the request's path through the api. */
export function createApp(deps: AppDependencies): Express {
  const { config, logger, metrics } = deps;
  const app = express();
  app.disable('x-powered-by');
  // Behind the launcher's gateway or the cluster ingress: trust private-network proxies only.
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');

  app.use(correlation);
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
  app.use(httpMetrics(metrics));
  app.use(helmet());
  app.use(
    cors({
      origin: config.CORS_ORIGINS.length ? config.CORS_ORIGINS : false,
      credentials: true,
      exposedHeaders: ['ETag', 'Location', 'X-Correlation-Id'],
    }),
  );

  app.use(healthRouter(deps.sequelize, deps.publisher, metrics));

  // Better Auth parses its own bodies, so it is mounted before express.json().
  app.all('/api/auth/{*path}', toNodeHandler(deps.auth));

  app.use(requireJsonBody);
  app.use(express.json({ limit: config.BODY_LIMIT, strict: true }));

  app.use(
    '/internal/v1',
    requireInternalToken(config.INTERNAL_API_TOKEN),
    internalRouter(deps.services),
  );

  const v1 = express.Router();
  v1.use(openapiRouter()); // public: GET /openapi.json and /docs
  v1.use(requireUser(deps.verifier));
  v1.use(
    rateLimit({
      windowMs: 60_000,
      limit: config.RATE_LIMIT_PER_MINUTE,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      keyGenerator: (req, res) =>
        (res.locals.userId as string | undefined) ?? ipKeyGenerator(req.ip ?? ''),
      handler: (_req, _res, next) =>
        next(
          new DomainError(
            'RATE_LIMITED',
            `more than ${config.RATE_LIMIT_PER_MINUTE} requests a minute; slow down`,
          ),
        ),
    }),
  );
  v1.use('/tasks', tasksRouter(deps.services));
  v1.use('/notifications', notificationsRouter(deps.services));
  v1.use('/users/me/notifications', preferencesRouter());
  v1.use('/chat', chatRouter(deps.chat));
  app.use('/api/v1', v1);

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
