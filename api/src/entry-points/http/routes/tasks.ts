import { Router } from 'express';
import {
  changesQuerySchema,
  createTaskSchema,
  listTasksQuerySchema,
  recurrenceSchema,
  taskIdParamsSchema,
  updateReminderSchema,
  updateTaskSchema,
} from '@todo/contracts';
import { userIdOf } from '../auth/require-user.js';
import { expectedVersion } from '../middleware/if-match.js';
import { validate } from '../../../domain/validate.js';
import type { Services } from '../../../domain/services.js';

/** `/api/v1/tasks` and its sub-resources. */
export function tasksRouter({ tasks, queries, recurrence, reminders }: Services): Router {
  const router = Router();
  const idOf = (params: unknown) => validate(taskIdParamsSchema, params, 'params').id;

  router.get('/', async (req, res) => {
    const query = validate(listTasksQuerySchema, req.query, 'query');
    res.json(await queries.list(userIdOf(req), query));
  });

  router.post('/', async (req, res) => {
    const input = validate(createTaskSchema, req.body, 'body');
    const task = await tasks.create(userIdOf(req), input);
    res
      .status(201)
      .location(`${req.baseUrl}/${task.id}`)
      .setHeader('ETag', `"${task.version}"`)
      .json(task);
  });

  // Before `/:id`, or "changes" would be taken for a task id.
  router.get('/changes', async (req, res) => {
    const { since, limit } = validate(changesQuerySchema, req.query, 'query');
    res.json(await queries.changes(userIdOf(req), since, limit));
  });

  router.get('/:id', async (req, res) => {
    const task = await tasks.get(userIdOf(req), idOf(req.params));
    res.setHeader('ETag', `"${task.version}"`).json(task);
  });

  router.patch('/:id', async (req, res) => {
    const id = idOf(req.params);
    const input = validate(updateTaskSchema, req.body, 'body');
    const task = await tasks.update(userIdOf(req), id, input, expectedVersion(req));
    res.setHeader('ETag', `"${task.version}"`).json(task);
  });

  router.delete('/:id', async (req, res) => {
    await tasks.remove(userIdOf(req), idOf(req.params), expectedVersion(req));
    res.status(204).end();
  });

  router.post('/:id/complete', async (req, res) => {
    const result = await tasks.complete(userIdOf(req), idOf(req.params), expectedVersion(req));
    res.setHeader('ETag', `"${result.task.version}"`).json(result);
  });

  router.get('/:id/recurrence', async (req, res) => {
    res.json(await recurrence.get(userIdOf(req), idOf(req.params)));
  });

  router.put('/:id/recurrence', async (req, res) => {
    const id = idOf(req.params);
    const input = validate(recurrenceSchema, req.body, 'body');
    const task = await recurrence.put(userIdOf(req), id, input);
    res.json(task.recurrence);
  });

  router.delete('/:id/recurrence', async (req, res) => {
    await recurrence.remove(userIdOf(req), idOf(req.params));
    res.status(204).end();
  });

  router.get('/:id/instances', async (req, res) => {
    res.json({ items: await recurrence.instances(userIdOf(req), idOf(req.params)) });
  });

  router.get('/:id/reminder', async (req, res) => {
    res.json(await reminders.get(userIdOf(req), idOf(req.params)));
  });

  router.patch('/:id/reminder', async (req, res) => {
    const id = idOf(req.params);
    const input = validate(updateReminderSchema, req.body, 'body');
    const { reminder } = await reminders.update(userIdOf(req), id, input);
    res.json(reminder);
  });

  return router;
}
