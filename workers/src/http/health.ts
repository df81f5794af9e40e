import { Router } from 'express';
import type { Redis } from 'ioredis';
import { withTimeout } from '../errors.js';
import type { Metrics } from './metrics.js';

/**
 * Liveness, readiness and Prometheus metrics. Ready means Redis answers: that is all the
 * bridge needs to accept events and the queues need to keep them. No other service gates it
 * (publishes to a subscriber that is not up yet just retry), so start-up order is free.
 */
export function healthRouter(redis: Redis, metrics: Metrics): Router {
  const router = Router();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: 'workers' });
  });

  router.get('/health/ready', async (_req, res) => {
    const redisUp = await withTimeout(redis.ping(), 1500, 'redis ping')
      .then(() => true)
      .catch(() => false);
    res.status(redisUp ? 200 : 503).json({
      status: redisUp ? 'ready' : 'not-ready',
      checks: { redis: redisUp ? 'up' : 'down' },
    });
  });

  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  return router;
}
