import { Router } from 'express';
import Joi from 'joi';
import { listNotificationsQuerySchema, updatePreferencesSchema, uuid } from '@todo/contracts';
import { userIdOf } from '../auth/require-user.js';
import { validate } from '../../../domain/validate.js';
import { getPreferences, updatePreferences } from '../../../domain/preferences-service.js';
import type { Services } from '../../../domain/services.js';

const notificationIdSchema = Joi.object<{ id: string }>({ id: uuid.required() });

/** `/api/v1/notifications`: the inbox. */
export function notificationsRouter({ notifications }: Services): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const query = validate(listNotificationsQuerySchema, req.query, 'query');
    res.json(await notifications.list(userIdOf(req), query));
  });

  router.post('/:id/read', async (req, res) => {
    const { id } = validate(notificationIdSchema, req.params, 'params');
    res.json(await notifications.markRead(userIdOf(req), id));
  });

  return router;
}

/** `/api/v1/users/me/notifications`: notification preferences. */
export function preferencesRouter(): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    res.json(await getPreferences(userIdOf(req)));
  });

  router.patch('/', async (req, res) => {
    const patch = validate(updatePreferencesSchema, req.body, 'body');
    res.json(await updatePreferences(userIdOf(req), patch));
  });

  return router;
}
