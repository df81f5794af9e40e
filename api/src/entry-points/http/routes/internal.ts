import { Router } from 'express';
import {
  createNotificationRequestSchema,
  nextInstanceRequestSchema,
  reminderDueRequestSchema,
  taskIdParamsSchema,
  type NextInstanceResponse,
  type ReminderDueResponse,
} from '@todo/contracts';
import Joi from 'joi';
import { validate } from '../../../domain/validate.js';
import { getPreferences } from '../../../domain/preferences-service.js';
import type { Services } from '../../../domain/services.js';

const userParamsSchema = Joi.object<{ userId: string }>({
  userId: Joi.string().min(1).max(200).required(),
});

/** `/internal/v1`: what the workers need from the api (contract in @todo/contracts). */
export function internalRouter({ tasks, recurrence, reminders, notifications }: Services): Router {
  const router = Router();

  router.get('/tasks/:id', async (req, res) => {
    const { id } = validate(taskIdParamsSchema, req.params, 'params');
    res.json(await tasks.getForService(id));
  });

  router.post('/tasks/:id/next-instance', async (req, res) => {
    const { id } = validate(taskIdParamsSchema, req.params, 'params');
    const { eventId } = validate(nextInstanceRequestSchema, req.body, 'body');
    const result: NextInstanceResponse = await recurrence.createNextInstance(id, eventId);
    res.status(result.created ? 201 : 200).json(result);
  });

  router.post('/tasks/:id/reminder-due', async (req, res) => {
    const { id } = validate(taskIdParamsSchema, req.params, 'params');
    const { scheduledFor, jobId } = validate(reminderDueRequestSchema, req.body, 'body');
    const outcome = await reminders.publishDue(id, new Date(scheduledFor), jobId);
    const body: ReminderDueResponse = { outcome };
    res.json(body);
  });

  router.get('/users/:userId/notification-preferences', async (req, res) => {
    const { userId } = validate(userParamsSchema, req.params, 'params');
    res.json(await getPreferences(userId));
  });

  router.post('/notifications', async (req, res) => {
    const input = validate(createNotificationRequestSchema, req.body, 'body');
    const { notification, created } = await notifications.create(input);
    res.status(created ? 201 : 200).json(notification);
  });

  return router;
}
