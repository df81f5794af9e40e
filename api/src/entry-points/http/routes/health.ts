import { Router } from 'express';
import type { Sequelize } from 'sequelize';
import type { EventPublisher } from '../../../data-access/events/event-publisher.js';
import type { Metrics } from '../../../metrics.js';

/** Liveness, readiness (database and event transport) and Prometheus metrics. */
export function healthRouter(
  sequelize: Sequelize,
  publisher: EventPublisher,
  metrics: Metrics,
): Router {
  const router = Router();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: 'api' });
  });

  router.get('/health/ready', async (_req, res) => {
    const database = await sequelize
      .query('SELECT 1')
      .then(() => true)
      .catch(() => false);
    const transport = await publisher.isReady();
    const ready = database && transport;
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not-ready',
      checks: { database: database ? 'up' : 'down', transport: transport ? 'up' : 'down' },
      transport: publisher.name,
    });
  });

  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  return router;
}
