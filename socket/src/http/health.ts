import { Router } from 'express';
import type { Metrics } from './metrics.js';

export interface ReadinessChecks {
  /** Redis answers PING, and the adapter's subscription connection is up. */
  redis: () => Promise<{ redis: boolean; adapter: boolean }>;
  /** False once the node has begun shutting down, so traffic moves elsewhere. */
  accepting: () => boolean;
}

/**
 * Liveness, readiness and Prometheus metrics. Readiness never depends on the api: nodes
 * start before it, and the key set is only fetched at the first handshake.
 */
export function healthRouter(checks: ReadinessChecks, metrics: Metrics): Router {
  const router = Router();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: 'socket' });
  });

  router.get('/health/ready', async (_req, res) => {
    const { redis, adapter } = await checks.redis();
    const accepting = checks.accepting();
    const ready = redis && adapter && accepting;
    const state = (up: boolean) => (up ? 'up' : 'down');
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not-ready',
      checks: { redis: state(redis), adapter: state(adapter) },
      ...(accepting ? {} : { draining: true }),
    });
  });

  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  return router;
}
