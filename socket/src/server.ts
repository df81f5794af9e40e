import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-adapter';
import { SOCKET_ADAPTER_KEY, listMembershipsKey, revokedSessionKey } from '@todo/contracts';
import {
  Shutdown,
  closeServer,
  createLogger,
  daprSubscriber,
  healthRouter,
  metricsRouter,
  type Logger,
} from '@todo/platform';
import express, { type NextFunction, type Request, type Response } from 'express';
import { Server } from 'socket.io';
import { requireToken } from './auth/handshake.js';
import { TokenVerifier } from './auth/token-verifier.js';
import type { SocketConfig } from './config.js';
import {
  notificationsSubscription,
  taskUpdatesSubscription,
} from './events/task-updates-subscriber.js';
import { createMetrics } from './http/metrics.js';
import { handleConnection } from './realtime/connection.js';
import { connectRedis } from './realtime/redis-clients.js';
import { RoomEmitter } from './realtime/room-emitter.js';
import type { RealtimeServer } from './realtime/types.js';

export interface SocketNodeOptions {
  logger?: Logger;
  /** Redis channel prefix of the adapter; tests give each run its own. */
  adapterKey?: string;
}

/** Composition root: one socket node (Socket.IO + Redis adapter + Dapr subscriber + health). */
export async function createSocketNode(config: SocketConfig, options: SocketNodeOptions = {}) {
  const logger = options.logger ?? createLogger({ service: 'socket', level: config.LOG_LEVEL });
  const metrics = createMetrics();
  const redis = await connectRedis(config.REDIS_URL, logger);

  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  const io: RealtimeServer = new Server(httpServer, {
    adapter: createAdapter(redis.pub, redis.sub, {
      key: options.adapterKey ?? SOCKET_ADAPTER_KEY,
    }),
    serveClient: false,
    // Clients only send pings and refreshed tokens; a small limit keeps a misbehaving one cheap.
    maxHttpBufferSize: 16_384,
  });
  const verifier = new TokenVerifier({
    jwksUrl: config.JWKS_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    // One EXISTS per handshake and refresh on the publishing connection (no offline queue).
    isRevoked: async (sessionId) => (await redis.pub.exists(revokedSessionKey(sessionId))) === 1,
  });
  // Session ids name their node: the gateway keeps a polling session on it (sticky by sid).
  io.engine.generateId = () => `${config.SOCKET_NODE_ID}.${randomBytes(15).toString('base64url')}`;
  io.use(requireToken(verifier, metrics, logger));
  io.on('connection', (socket) =>
    handleConnection(socket, verifier, metrics, logger, (userId) =>
      redis.pub.smembers(listMembershipsKey(userId)),
    ),
  );

  /**
   * Graceful stop: readiness turns false, then every connection's transport is closed.
   * Clients see "transport close" and reconnect on their own (to another node), then catch
   * up through the change feed. `io.close()` is avoided on purpose: it also unsubscribes
   * the adapter, and while Redis is down those commands would only fail unhandled; closing
   * the Redis connections drops the subscriptions anyway.
   */
  const shutdown = new Shutdown({ name: 'socket node', logger, timeoutMs: 20_000 })
    .add('sockets', () => void io.engine.close())
    .add('http', () => closeServer(httpServer))
    .add('redis', () => redis.close());

  // Readiness never depends on the api: nodes start before it, and the key set is only
  // fetched at the first handshake.
  app.use(
    healthRouter({
      service: 'socket',
      checks: {
        redis: async () => (await redis.health()).redis,
        // ioredis resubscribes the adapter's channels whenever this connection comes back.
        adapter: () => redis.sub.status === 'ready',
      },
      draining: () => shutdown.draining,
    }),
  );
  app.use(metricsRouter(metrics.registry));
  const push = {
    emitter: new RoomEmitter(io, metrics),
    canBroadcast: () => redis.pub.status === 'ready',
  };
  app.use(
    daprSubscriber({
      pubsubName: config.PUBSUB_NAME,
      appToken: config.APP_API_TOKEN,
      logger,
      // Redis down: a 503 with RETRY, so the broker redelivers once the node can broadcast.
      retryHttpStatus: 503,
      onAnswer: (topic, status) => metrics.receivedEvents.inc({ topic, status }),
      subscriptions: [taskUpdatesSubscription(push), notificationsSubscription(push)],
    }),
  );
  app.use((req: Request, res: Response) => {
    res.status(404).json({ error: 'NOT_FOUND', message: `no route for ${req.method} ${req.path}` });
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    logger.error({ err: error }, 'request failed');
    res.status(500).json({ error: 'INTERNAL', message: 'internal error' });
  });

  return {
    io,
    app,
    metrics,
    logger,
    shutdown,
    /** Listens on `port` (0 = any free one); resolves with the bound port. */
    async start(port = config.PORT, host = config.HOST): Promise<number> {
      httpServer.listen(port, host);
      await once(httpServer, 'listening');
      const bound = (httpServer.address() as AddressInfo).port;
      logger.info({ port: bound }, 'socket node listening');
      return bound;
    },
    /** Runs the shutdown steps (once); rejects when one failed or the drain timed out. */
    async stop(): Promise<void> {
      if ((await shutdown.run('stop')) !== 0) throw new Error('socket node did not stop cleanly');
    },
  };
}

export type SocketNode = Awaited<ReturnType<typeof createSocketNode>>;
