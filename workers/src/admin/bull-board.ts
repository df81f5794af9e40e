import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router } from 'express';
import type { Queue } from 'bullmq';
import { basicAuth } from './basic-auth.js';

export const BULL_BOARD_PATH = '/admin/queues';

/** Bull Board over every queue, behind the admin credential; without one it is not served. */
export function bullBoardRouter(
  queues: Queue[],
  user: string,
  password: string | undefined,
): Router {
  const router = Router();
  if (!password) {
    router.use(BULL_BOARD_PATH, (_req, res) => {
      res
        .status(404)
        .json({ error: 'NOT_FOUND', message: 'Bull Board is off: set BULL_BOARD_PASSWORD' });
    });
    return router;
  }
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Todo workers' } },
  });
  router.use(BULL_BOARD_PATH, basicAuth(user, password), serverAdapter.getRouter() as Router);
  return router;
}
