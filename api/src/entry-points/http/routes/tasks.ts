import type { Router } from 'express';
import {
  changesQuerySchema,
  completeTaskResultSchema,
  createTaskSchema,
  listTasksQuerySchema,
  recurrencePatternSchema,
  recurrenceSchema,
  reminderSchema,
  reopenTaskResultSchema,
  taskChangesPageSchema,
  taskIdParamsSchema,
  taskListSchema,
  taskPageSchema,
  taskSchema,
  updateReminderSchema,
  updateTaskSchema,
} from '@todo/contracts';
import { userIdOf } from '../auth/require-user.js';
import { idempotencyOf } from '../middleware/idempotency.js';
import { expectedVersion } from '../middleware/if-match.js';
import { validate } from '../../../domain/validate.js';
import { AUTHED, WITH_BODY, documentedRouter, type Operation } from '../openapi/operation.js';
import type { Services } from '../../../domain/services.js';

/** `/api/v1/tasks` and its sub-resources, each route with its OpenAPI declaration. */
export function tasksRouter({ tasks, queries, recurrence, reminders }: Services): {
  router: Router;
  operations: Operation[];
} {
  const { router, operations, route } = documentedRouter('/api/v1/tasks');
  const idOf = (params: unknown) => validate(taskIdParamsSchema, params, 'params').id;
  const params = taskIdParamsSchema;

  route(
    'get',
    '/',
    {
      operationId: 'listTasks',
      tag: 'tasks',
      summary: 'List or search tasks',
      description:
        'Lists the user’s tasks, newest first by default. Filter by list (listId), status, priority, tag, text (q) and due-date range; page with limit and the nextCursor of the previous page. Use it to find a task’s id before changing it.',
      query: listTasksQuerySchema,
      success: { status: 200, description: 'One page of tasks.', schema: taskPageSchema },
      errors: [400, 403, 404, ...AUTHED],
    },
    async (req, res) => {
      const query = validate(listTasksQuerySchema, req.query, 'query');
      res.json(await queries.list(userIdOf(req), query));
    },
  );

  route(
    'post',
    '/',
    {
      operationId: 'createTask',
      tag: 'tasks',
      summary: 'Create a task',
      description:
        'Creates a task. Only title is required; listId puts it in a list (default: the Inbox). dueDate is an ISO 8601 timestamp (with offset or Z); reminderOffset is minutes before dueDate; recurrence makes it repeat. Send an Idempotency-Key (and an id) to retry safely.',
      body: {
        name: 'CreateTaskRequest',
        schema: createTaskSchema,
        examples: {
          simple: { summary: 'Just a title', value: { title: 'Buy milk' } },
          full: {
            summary: 'Due, prioritised, tagged, with a reminder',
            value: {
              title: 'Submit the report',
              description: 'Q3 numbers',
              dueDate: '2026-12-04T17:00:00+01:00',
              priority: 'high',
              tags: ['work'],
              reminderOffset: 60,
              reminderChannels: ['push'],
            },
          },
          recurring: {
            summary: 'Every Tuesday and Thursday, for good',
            value: {
              title: 'Gym',
              dueDate: '2026-12-01T07:00:00Z',
              recurrence: { frequency: 'weekly', byWeekday: [1, 3] },
            },
          },
        },
      },
      idempotent: true,
      success: {
        status: 201,
        description: 'Created. Location names the new task.',
        schema: taskSchema,
        etag: true,
      },
      errors: [...WITH_BODY, 403, 404, 409, 422, ...AUTHED],
    },
    async (req, res) => {
      const input = validate(createTaskSchema, req.body, 'body');
      const task = await tasks.create(userIdOf(req), input, idempotencyOf(req, 201));
      res
        .status(201)
        .location(`${req.baseUrl}/${task.id}`)
        .setHeader('ETag', `"${task.version}"`)
        .json(task);
    },
  );

  // Before `/:id`, or "changes" would be taken for a task id.
  route(
    'get',
    '/changes',
    {
      operationId: 'listTaskChanges',
      tag: 'tasks',
      summary: 'Changes to tasks after a cursor',
      description:
        'The change feed: every create, update, completion and deletion after `since` (a cursor from a previous answer or from listTasks’ changesCursor), in order. Used to catch up after being offline. Changes are kept for a retention period (30 days by default); an older cursor gets 410 CURSOR_EXPIRED.',
      query: changesQuerySchema,
      success: {
        status: 200,
        description: 'Changes after the cursor.',
        schema: taskChangesPageSchema,
      },
      errors: [400, 410, ...AUTHED],
    },
    async (req, res) => {
      const { since, limit } = validate(changesQuerySchema, req.query, 'query');
      res.json(await queries.changes(userIdOf(req), since, limit));
    },
  );

  route(
    'get',
    '/:id',
    {
      operationId: 'getTask',
      tag: 'tasks',
      summary: 'Get a task',
      description:
        'Reads one task by id. 404 when there is no such task (or it is not the user’s).',
      params,
      success: { status: 200, description: 'The task.', schema: taskSchema, etag: true },
      errors: [400, 403, 404, ...AUTHED],
    },
    async (req, res) => {
      const task = await tasks.get(userIdOf(req), idOf(req.params));
      res.setHeader('ETag', `"${task.version}"`).json(task);
    },
  );

  route(
    'patch',
    '/:id',
    {
      operationId: 'updateTask',
      tag: 'tasks',
      summary: 'Change a task',
      description:
        'Partial update: send only the fields to change (rename, describe, reschedule, reprioritise, retag, move to another list with listId). status "completed" completes it and "pending" reopens it. dueDate null removes the due date.',
      params,
      body: {
        name: 'UpdateTaskRequest',
        schema: updateTaskSchema,
        examples: {
          reschedule: { summary: 'Move the due date', value: { dueDate: '2026-12-05T09:00:00Z' } },
          rename: {
            summary: 'Rename and raise priority',
            value: { title: 'Call mum', priority: 'high' },
          },
          reopen: { summary: 'Reopen a completed task', value: { status: 'pending' } },
        },
      },
      ifMatch: true,
      idempotent: true,
      success: { status: 200, description: 'The updated task.', schema: taskSchema, etag: true },
      errors: [...WITH_BODY, 403, 404, 409, 422, ...AUTHED],
    },
    async (req, res) => {
      const id = idOf(req.params);
      const input = validate(updateTaskSchema, req.body, 'body');
      const task = await tasks.update(
        userIdOf(req),
        id,
        input,
        expectedVersion(req),
        idempotencyOf(req, 200),
      );
      res.setHeader('ETag', `"${task.version}"`).json(task);
    },
  );

  route(
    'delete',
    '/:id',
    {
      operationId: 'deleteTask',
      tag: 'tasks',
      summary: 'Delete a task',
      description:
        'Deletes a task (restoreTask brings it back). Deleting an instance of a recurring task also ends its series (no further instances). Confirm with the user first.',
      params,
      ifMatch: true,
      idempotent: true,
      success: { status: 204, description: 'Deleted.' },
      errors: [400, 403, 404, 409, 422, ...AUTHED],
    },
    async (req, res) => {
      await tasks.remove(
        userIdOf(req),
        idOf(req.params),
        expectedVersion(req),
        idempotencyOf(req, 204),
      );
      res.status(204).end();
    },
  );

  route(
    'post',
    '/:id/restore',
    {
      operationId: 'restoreTask',
      tag: 'tasks',
      summary: 'Bring a deleted task back',
      description:
        'Undoes a delete: the task is back as it was (open or done, its reminder and, for a recurring task, its series). Restoring a task that is not deleted changes nothing.',
      params,
      ifMatch: true,
      idempotent: true,
      success: { status: 200, description: 'The restored task.', schema: taskSchema, etag: true },
      errors: [400, 403, 404, 409, 422, ...AUTHED],
    },
    async (req, res) => {
      const task = await tasks.restore(
        userIdOf(req),
        idOf(req.params),
        expectedVersion(req),
        idempotencyOf(req, 200),
      );
      res.setHeader('ETag', `"${task.version}"`).json(task);
    },
  );

  route(
    'post',
    '/:id/complete',
    {
      operationId: 'completeTask',
      tag: 'tasks',
      summary: 'Mark a task done',
      description:
        'Completes a task; completing twice is a no-op. For a recurring task the answer says when the next instance is due (it is created shortly after).',
      params,
      ifMatch: true,
      success: {
        status: 200,
        description: 'The completed task and the next instance, if any.',
        schema: completeTaskResultSchema,
        etag: true,
      },
      idempotent: true,
      errors: [400, 403, 404, 409, 422, ...AUTHED],
    },
    async (req, res) => {
      const result = await tasks.complete(
        userIdOf(req),
        idOf(req.params),
        expectedVersion(req),
        {},
        idempotencyOf(req, 200),
      );
      res.setHeader('ETag', `"${result.task.version}"`).json(result);
    },
  );

  route(
    'post',
    '/:id/reopen',
    {
      operationId: 'reopenTask',
      tag: 'tasks',
      summary: 'Undo a completion',
      description:
        'Reopens a completed task. For a recurring task, the next instance that completion created is removed too, unless it was changed since. Reopening an open task changes nothing.',
      params,
      ifMatch: true,
      idempotent: true,
      success: {
        status: 200,
        description: 'The reopened task and the id of the next instance removed with it, if any.',
        schema: reopenTaskResultSchema,
        etag: true,
      },
      errors: [400, 403, 404, 409, 422, ...AUTHED],
    },
    async (req, res) => {
      const result = await tasks.reopen(
        userIdOf(req),
        idOf(req.params),
        expectedVersion(req),
        idempotencyOf(req, 200),
      );
      res.setHeader('ETag', `"${result.task.version}"`).json(result);
    },
  );

  route(
    'get',
    '/:id/recurrence',
    {
      operationId: 'getTaskRecurrence',
      tag: 'recurrence',
      summary: 'How a task repeats',
      description: 'The recurrence pattern of a task’s series. 404 when the task does not repeat.',
      params,
      success: { status: 200, description: 'The pattern.', schema: recurrencePatternSchema },
      errors: [400, 403, 404, ...AUTHED],
    },
    async (req, res) => {
      res.json(await recurrence.get(userIdOf(req), idOf(req.params)));
    },
  );

  route(
    'put',
    '/:id/recurrence',
    {
      operationId: 'setTaskRecurrence',
      tag: 'recurrence',
      summary: 'Make a task repeat, or change how',
      description:
        'Sets or replaces the pattern; it applies from the next completion. Weekdays are 0 = Monday … 6 = Sunday. At most one end, endDate or maxOccurrences; neither = never ends. rrule only with frequency "custom".',
      params,
      body: {
        name: 'RecurrenceRequest',
        schema: recurrenceSchema,
        examples: {
          forGood: {
            summary: 'Every Monday, with no end',
            value: { frequency: 'weekly', byWeekday: [0] },
          },
          lastDay: {
            summary: 'On the last day of every month',
            value: { frequency: 'monthly', byMonthday: -1 },
          },
          weekdays: {
            summary: 'Every weekday until the end of the year',
            value: {
              frequency: 'weekly',
              byWeekday: [0, 1, 2, 3, 4],
              endDate: '2026-12-31T23:59:59Z',
            },
          },
          monthly: {
            summary: 'On the 1st of every month, 12 times',
            value: { frequency: 'monthly', byMonthday: 1, maxOccurrences: 12 },
          },
          custom: {
            summary: 'An RFC 5545 rule',
            value: {
              frequency: 'custom',
              rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH',
              maxOccurrences: 20,
            },
          },
        },
      },
      success: {
        status: 200,
        description: 'The stored pattern.',
        schema: recurrencePatternSchema,
      },
      errors: [...WITH_BODY, 403, 404, ...AUTHED],
    },
    async (req, res) => {
      const id = idOf(req.params);
      const input = validate(recurrenceSchema, req.body, 'body');
      const task = await recurrence.put(userIdOf(req), id, input);
      res.json(task.recurrence);
    },
  );

  route(
    'delete',
    '/:id/recurrence',
    {
      operationId: 'deleteTaskRecurrence',
      tag: 'recurrence',
      summary: 'Stop a task repeating',
      description:
        'Ends the series: no further instances are created; existing ones stay. 404 when the task does not repeat.',
      params,
      success: { status: 204, description: 'The series has ended.' },
      errors: [400, 403, 404, ...AUTHED],
    },
    async (req, res) => {
      await recurrence.remove(userIdOf(req), idOf(req.params));
      res.status(204).end();
    },
  );

  route(
    'get',
    '/:id/instances',
    {
      operationId: 'listTaskInstances',
      tag: 'recurrence',
      summary: 'Every instance of a recurring task',
      description:
        'Every live instance of the task’s series, first to last (just the task itself when it does not repeat).',
      params,
      success: { status: 200, description: 'The instances.', schema: taskListSchema },
      errors: [400, 403, 404, ...AUTHED],
    },
    async (req, res) => {
      res.json({ items: await recurrence.instances(userIdOf(req), idOf(req.params)) });
    },
  );

  route(
    'get',
    '/:id/reminder',
    {
      operationId: 'getTaskReminder',
      tag: 'reminders',
      summary: 'A task’s reminder',
      description:
        'Whether the task has a reminder, how long before the due date, on which channels.',
      params,
      success: { status: 200, description: 'The reminder.', schema: reminderSchema },
      errors: [400, 403, 404, ...AUTHED],
    },
    async (req, res) => {
      res.json(await reminders.get(userIdOf(req), idOf(req.params)));
    },
  );

  route(
    'patch',
    '/:id/reminder',
    {
      operationId: 'updateTaskReminder',
      tag: 'reminders',
      summary: 'Set, change or turn off a task’s reminder',
      description:
        'offsetMinutes is minutes before the due date (60 = an hour before; 0 = at the due time). enabled false turns it off. A reminder fires only when the task has a due date.',
      params,
      body: {
        name: 'UpdateReminderRequest',
        schema: updateReminderSchema,
        examples: {
          hourBefore: {
            summary: 'An hour before, by push and email',
            value: { enabled: true, offsetMinutes: 60, channels: ['push', 'email'] },
          },
          off: { summary: 'Turn it off', value: { enabled: false } },
        },
      },
      success: { status: 200, description: 'The reminder now.', schema: reminderSchema },
      errors: [...WITH_BODY, 403, 404, ...AUTHED],
    },
    async (req, res) => {
      const id = idOf(req.params);
      const input = validate(updateReminderSchema, req.body, 'body');
      const { reminder } = await reminders.update(userIdOf(req), id, input);
      res.json(reminder);
    },
  );

  return { router, operations };
}
