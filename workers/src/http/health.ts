import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { InternalApiClient } from '../api-client/internal-api-client.js';
import { withTimeout } from '../errors.js';
import type { Metrics } from './metrics.js';

/**
 * Liveness, readiness and Prometheus metrics. Ready means Redis answers: that is all the
 * bridge needs to accept events. The api is reported but does not gate readiness — the api's
 * own readiness waits for its subscribers (us), and jobs that need the api simply retry.
 */
export function healthRouter(redis: Redis, api: InternalApiClient, metrics: Metrics): Router {
  const router = Router();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: 'workers' });
  });

  router.get('/health/ready', async (_req, res) => {
    const [redisUp, apiUp] = await Promise.all([
      withTimeout(redis.ping(), 1500, 'redis ping')
        .then(() => true)
        .catch(() => false),
      api.isReachable(),
    ]);
    res.status(redisUp ? 200 : 503).json({
      status: redisUp ? 'ready' : 'not-ready',
      checks: { redis: redisUp ? 'up' : 'down', api: apiUp ? 'up' : 'down' },
    });
  });

  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  return router;
}
