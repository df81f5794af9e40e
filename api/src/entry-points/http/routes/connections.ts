import type { Router } from 'express';
import {
  accessTokenIdParamsSchema,
  personalAccessTokenListSchema,
  calendarFeedSchema,
  createAccessTokenSchema,
  createdPersonalAccessTokenSchema,
  createdCalendarFeedSchema,
} from '@todo/contracts';
import { requireSession, userIdOf } from '../auth/require-user.js';
import { validate } from '../../../domain/validate.js';
import { AUTHED, WITH_BODY, documentedRouter, type Operation } from '../openapi/operation.js';
import type { ConnectionService } from '../../../domain/connection-service.js';

/** Errors of an operation a personal access token may not call. */
const SESSION_ONLY = [403, ...AUTHED] as const;

/** `/api/v1/users/me/tokens`: personal access tokens (signed-in sessions only). */
export function accessTokensRouter(connections: ConnectionService): {
  router: Router;
  operations: Operation[];
} {
  const { router, operations, route } = documentedRouter('/api/v1/users/me/tokens');
  router.use(requireSession);

  route(
    'get',
    '/',
    {
      operationId: 'listPersonalAccessTokens',
      tag: 'connections',
      summary: 'List personal access tokens',
      description:
        'The user’s tokens, newest first: name, scope, first characters and last use. The secrets are never shown again.',
      success: { status: 200, description: 'The tokens.', schema: personalAccessTokenListSchema },
      errors: [...SESSION_ONLY],
    },
    async (req, res) => {
      res.json({ items: await connections.listTokens(userIdOf(req)) });
    },
  );

  route(
    'post',
    '/',
    {
      operationId: 'createPersonalAccessToken',
      tag: 'connections',
      summary: 'Create a personal access token',
      description:
        'A named token with scope "read" (GET only) or "write". The answer is the only time its secret is shown: send it as Authorization: Bearer.',
      body: {
        name: 'CreateAccessTokenRequest',
        schema: createAccessTokenSchema,
        examples: {
          read: { summary: 'A read-only token', value: { name: 'Dashboard', scope: 'read' } },
          write: {
            summary: 'A token that may change tasks',
            value: { name: 'CLI', scope: 'write' },
          },
        },
      },
      success: {
        status: 201,
        description: 'The token, with its secret (shown once).',
        schema: createdPersonalAccessTokenSchema,
      },
      errors: [...WITH_BODY, 409, ...SESSION_ONLY],
    },
    async (req, res) => {
      const body = validate(createAccessTokenSchema, req.body, 'body');
      const created = await connections.createToken(userIdOf(req), body);
      res
        .status(201)
        .location(`/api/v1/users/me/tokens/${created.id}`)
        .setHeader('Cache-Control', 'no-store')
        .json(created);
    },
  );

  route(
    'delete',
    '/:id',
    {
      operationId: 'revokePersonalAccessToken',
      tag: 'connections',
      summary: 'Revoke a personal access token',
      description: 'The token stops working at once, on every request that follows.',
      params: accessTokenIdParamsSchema,
      success: { status: 204, description: 'Revoked.' },
      errors: [400, 404, ...SESSION_ONLY],
    },
    async (req, res) => {
      const { id } = validate(accessTokenIdParamsSchema, req.params, 'params');
      await connections.revokeToken(userIdOf(req), id);
      res.status(204).end();
    },
  );

  return { router, operations };
}

/** `/api/v1/users/me/calendar-feed`: the private ICS URL (signed-in sessions only). */
export function calendarFeedRouter(
  connections: ConnectionService,
  publicOrigin: string,
): { router: Router; operations: Operation[] } {
  const { router, operations, route } = documentedRouter('/api/v1/users/me/calendar-feed');
  router.use(requireSession);

  route(
    'get',
    '/',
    {
      operationId: 'getCalendarFeed',
      tag: 'connections',
      summary: 'The calendar feed’s state',
      description:
        'Whether the user has a private calendar feed, since when, and when a calendar app last fetched it. Its URL is shown only when made.',
      success: { status: 200, description: 'The feed.', schema: calendarFeedSchema },
      errors: [...SESSION_ONLY],
    },
    async (req, res) => {
      res.json(await connections.feed(userIdOf(req)));
    },
  );

  route(
    'post',
    '/',
    {
      operationId: 'regenerateCalendarFeed',
      tag: 'connections',
      summary: 'Make (or regenerate) the calendar feed URL',
      description:
        'A new private ICS URL of the user’s tasks with a due date; an earlier URL stops working. The answer is the only time the URL is shown.',
      success: {
        status: 201,
        description: 'The feed with its private URL (shown once).',
        schema: createdCalendarFeedSchema,
      },
      errors: [...SESSION_ONLY],
    },
    async (req, res) => {
      const { token, ...feed } = await connections.regenerateFeed(userIdOf(req));
      res
        .status(201)
        .location('/api/v1/users/me/calendar-feed')
        .setHeader('Cache-Control', 'no-store')
        .json({ ...feed, url: new URL(`/cal/${token}.ics`, publicOrigin).toString() });
    },
  );

  route(
    'delete',
    '/',
    {
      operationId: 'revokeCalendarFeed',
      tag: 'connections',
      summary: 'Revoke the calendar feed',
      description: 'The feed URL stops working at once (404).',
      success: { status: 204, description: 'Revoked.' },
      errors: [404, ...SESSION_ONLY],
    },
    async (req, res) => {
      await connections.revokeFeed(userIdOf(req));
      res.status(204).end();
    },
  );

  return { router, operations };
}
