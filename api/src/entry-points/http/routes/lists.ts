import type { Router } from 'express';
import {
  createListSchema,
  listActivityPageSchema,
  listActivityQuerySchema,
  listIdParamsSchema,
  listPageSchema,
  listSchema,
  updateListSchema,
} from '@todo/contracts';
import { userIdOf } from '../auth/require-user.js';
import { expectedVersion } from '../middleware/if-match.js';
import { validate } from '../../../domain/validate.js';
import { AUTHED, WITH_BODY, documentedRouter, type Operation } from '../openapi/operation.js';
import type { Services } from '../../../domain/services.js';

/** `/api/v1/lists`: the user's lists of tasks (ADR 270). */
export function listsRouter({ lists }: Services): { router: Router; operations: Operation[] } {
  const { router, operations, route } = documentedRouter('/api/v1/lists');
  const idOf = (params: unknown) => validate(listIdParamsSchema, params, 'params').id;
  const params = listIdParamsSchema;

  route(
    'get',
    '/',
    {
      operationId: 'listLists',
      tag: 'lists',
      summary: 'The user’s lists',
      description:
        'Every list of the user, the Inbox first, then by position; archived ones included (archivedAt). Each says how many open tasks it holds. Filter tasks by list with listTasks?listId=.',
      success: { status: 200, description: 'The lists.', schema: listPageSchema },
      errors: [...AUTHED],
    },
    async (req, res) => {
      res.json({ items: await lists.list(userIdOf(req)) });
    },
  );

  route(
    'post',
    '/',
    {
      operationId: 'createList',
      tag: 'lists',
      summary: 'Create a list',
      description:
        'Creates a list (a project). Only name is required; it goes after the others unless position says where.',
      body: {
        name: 'CreateListRequest',
        schema: createListSchema,
        examples: {
          simple: { summary: 'Just a name', value: { name: 'Groceries' } },
          coloured: { summary: 'With a colour', value: { name: 'Work', color: '#1e88e5' } },
        },
      },
      success: {
        status: 201,
        description: 'Created. Location names the new list.',
        schema: listSchema,
        etag: true,
      },
      errors: [...WITH_BODY, 409, ...AUTHED],
    },
    async (req, res) => {
      const input = validate(createListSchema, req.body, 'body');
      const list = await lists.create(userIdOf(req), input);
      res
        .status(201)
        .location(`${req.baseUrl}/${list.id}`)
        .setHeader('ETag', `"${list.version}"`)
        .json(list);
    },
  );

  route(
    'get',
    '/:id',
    {
      operationId: 'getList',
      tag: 'lists',
      summary: 'Get a list',
      description:
        'Reads one list by id. 404 when there is no such list (or it is not the user’s).',
      params,
      success: { status: 200, description: 'The list.', schema: listSchema, etag: true },
      errors: [400, 404, ...AUTHED],
    },
    async (req, res) => {
      const list = await lists.get(userIdOf(req), idOf(req.params));
      res.setHeader('ETag', `"${list.version}"`).json(list);
    },
  );

  route(
    'patch',
    '/:id',
    {
      operationId: 'updateList',
      tag: 'lists',
      summary: 'Rename, colour, order or archive a list',
      description:
        'Partial update: name, color (#rrggbb or null), position, archived. The Inbox cannot be archived (409).',
      params,
      body: {
        name: 'UpdateListRequest',
        schema: updateListSchema,
        examples: {
          rename: { summary: 'Rename', value: { name: 'Shopping' } },
          archive: { summary: 'Archive', value: { archived: true } },
        },
      },
      ifMatch: true,
      success: { status: 200, description: 'The updated list.', schema: listSchema, etag: true },
      errors: [...WITH_BODY, 404, 409, ...AUTHED],
    },
    async (req, res) => {
      const id = idOf(req.params);
      const input = validate(updateListSchema, req.body, 'body');
      const list = await lists.update(userIdOf(req), id, input, expectedVersion(req));
      res.setHeader('ETag', `"${list.version}"`).json(list);
    },
  );

  route(
    'delete',
    '/:id',
    {
      operationId: 'deleteList',
      tag: 'lists',
      summary: 'Delete a list and its tasks',
      description:
        'Deletes the list and every task in it (each can be restored with restoreTask, into the Inbox). The Inbox cannot be deleted (409). Confirm with the user first.',
      params,
      ifMatch: true,
      success: { status: 204, description: 'Deleted.' },
      errors: [400, 404, 409, ...AUTHED],
    },
    async (req, res) => {
      await lists.remove(userIdOf(req), idOf(req.params), expectedVersion(req));
      res.status(204).end();
    },
  );

  route(
    'get',
    '/:id/activity',
    {
      operationId: 'listActivity',
      tag: 'lists',
      summary: 'Activity of a list',
      description:
        'Who did what in the list, newest first: task changes (with the fields), members joining, leaving or changing role, invites, renames. Members only: a list the user is not (or no longer) a member of is a 404, as one that does not exist. Kept 90 days.',
      params,
      query: listActivityQuerySchema,
      success: { status: 200, description: 'A page of entries.', schema: listActivityPageSchema },
      errors: [400, 404, ...AUTHED],
    },
    async (req, res) => {
      const id = idOf(req.params);
      const query = validate(listActivityQuerySchema, req.query, 'query');
      res.json(await lists.activity(userIdOf(req), id, query));
    },
  );

  return { router, operations };
}
