import type Joi from 'joi';
import joiToJson from 'joi-to-json';
import { authErrorSchema, errorBodySchema } from '@todo/contracts';
import type { ErrorStatus, Operation } from './operation.js';

// joi-to-json is CommonJS (`module.exports = parse`) while its typings declare an ES default.
const parse = joiToJson as unknown as typeof joiToJson.default;

/**
 * Assembles the OpenAPI 3.1 document from the routes' declarations. Every schema in it is
 * converted from a `@todo/contracts` joi schema by `joi-to-json`; a schema with an `id` becomes
 * a component (`#/components/schemas/<id>`) shared by every operation that uses it.
 */

/** A JSON Schema (2020-12) as joi-to-json writes it. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  description?: string;
  $ref?: string;
  schemas?: Record<string, JsonSchema>;
  [keyword: string]: unknown;
}

export interface OpenApiDocument {
  openapi: string;
  info: Record<string, unknown>;
  servers: { url: string; description?: string }[];
  security: Record<string, string[]>[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
  };
}

/**
 * joi's `oxor` (at most one of) as `dependentSchemas`: each peer, when present, forbids the
 * others. joi-to-json's default (a `oneOf` of `required`s) also rejects `null`, for which every
 * `required` holds, so a nullable object with an oxor (a task's `recurrence`) could not be null.
 */
const PARSER_OPTIONS = {
  logicalOpParser: {
    oxor: (schema: JsonSchema, dependency: { peers: string[] }) => {
      schema.dependentSchemas = Object.fromEntries(
        dependency.peers.map((peer) => [
          peer,
          {
            not: {
              anyOf: dependency.peers.filter((p) => p !== peer).map((p) => ({ required: [p] })),
            },
          },
        ]),
      );
    },
  },
};

/** JSON Schema of a joi schema; components it names are collected into `shared`. */
export function toJsonSchema(schema: Joi.Schema, shared: Record<string, JsonSchema>): JsonSchema {
  // Its typings ask for `typeof Joi.Schema`; it reads the instance's describe().
  const converted = parse(schema as never, 'open-api-3.1', shared, PARSER_OPTIONS) as JsonSchema;
  const { schemas, ...rest } = converted;
  Object.assign(shared, schemas);
  return rest;
}

const ERROR_RESPONSES: Record<ErrorStatus, { name: string; description: string }> = {
  400: {
    name: 'BadRequest',
    description:
      'The request is invalid: error VALIDATION_FAILED names every bad field in details (fix them all and retry), MALFORMED_JSON, or BAD_PATH (the path has dot segments, encoded separators or empty segments).',
  },
  401: {
    name: 'Unauthenticated',
    description: 'No valid bearer token: get a fresh JWT with getAccessToken and retry.',
  },
  403: {
    name: 'Forbidden',
    description:
      'error FORBIDDEN: the credential may not do this (a "read" personal access token writing, or any personal access token managing tokens).',
  },
  404: { name: 'NotFound', description: 'No such resource for this user.' },
  409: {
    name: 'Conflict',
    description:
      'If-Match named an older version: someone changed it meanwhile. Read it again before retrying.',
  },
  410: {
    name: 'CursorExpired',
    description:
      'error CURSOR_EXPIRED: the cursor is older than the change feed keeps (CHANGE_FEED_RETENTION_DAYS). Reload the list with listTasks and continue from its changesCursor.',
  },
  413: {
    name: 'PayloadTooLarge',
    description: 'The body is larger than the limit (BODY_LIMIT, 100 kB by default).',
  },
  415: { name: 'UnsupportedMediaType', description: 'Bodies must be application/json.' },
  422: {
    name: 'Unprocessable',
    description:
      'error UNPROCESSABLE: well-formed but not acceptable, e.g. an Idempotency-Key already used for a different request (details name the header). Use a new key for a new change.',
  },
  429: {
    name: 'RateLimited',
    description:
      'Too many requests: wait as long as the Retry-After header says (or the RateLimit header, per user) and retry.',
  },
  503: {
    name: 'Unavailable',
    description:
      'The database is not answering right now (error UNAVAILABLE): retry after the Retry-After header’s seconds.',
  },
};

const IF_MATCH = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description:
    'The task version you last saw, e.g. "3": the change is refused with 409 if the task has changed since. Omit for an unconditional change.',
  // What expectedVersion() reads: a version, quoted or not, optionally weak, or `*`.
  schema: { type: 'string', pattern: '^ *((W/)?"?[0-9]{1,9}"?|\\*) *$', examples: ['"3"'] },
};

const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'A key you generate once per change (a UUID): sending the same request again with it answers what the first answered and changes nothing; the same key with another request is a 422. Kept 7 days.',
  schema: {
    type: 'string',
    minLength: 8,
    maxLength: 200,
    pattern: '^[\\x21-\\x7e]+$',
    examples: ['5f0c6b2e-8a4f-4c1e-9d0b-3f2a1e7c9b10'],
  },
};

function parameters(op: Operation, shared: Record<string, JsonSchema>): unknown[] {
  const result: unknown[] = [];
  const add = (where: 'path' | 'query', schema: Joi.ObjectSchema) => {
    const json = toJsonSchema(schema, shared);
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      const { description, ...rest } = property;
      result.push({
        name,
        in: where,
        required: where === 'path' || (json.required?.includes(name) ?? false),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  };
  if (op.params) add('path', op.params);
  if (op.query) add('query', op.query);
  if (op.ifMatch) result.push(IF_MATCH);
  if (op.idempotent) result.push(IDEMPOTENCY_KEY);
  return result;
}

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

function operationObject(op: Operation, shared: Record<string, JsonSchema>) {
  const success: Record<string, unknown> = { description: op.success.description };
  if (op.success.schema) success.content = json(toJsonSchema(op.success.schema, shared));
  if (op.success.mediaType)
    success.content = { [op.success.mediaType]: { schema: { type: 'string' } } };
  const headers: Record<string, unknown> = {};
  if (op.success.etag)
    headers.ETag = {
      description:
        'The task version, quoted ("3"): send it as If-Match to make a change conditional.',
      schema: { type: 'string' },
    };
  if (op.success.status === 201)
    headers.Location = { description: 'Path of the new resource.', schema: { type: 'string' } };
  if (Object.keys(headers).length) success.headers = headers;

  const responses: Record<string, unknown> = { [String(op.success.status)]: success };
  for (const status of [...new Set(op.errors)].sort())
    responses[String(status)] = { $ref: `#/components/responses/${ERROR_RESPONSES[status].name}` };
  for (const [status, description] of Object.entries(op.authErrors ?? {})) {
    const authError = toJsonSchema(authErrorSchema, shared);
    // A status both we (a bad field) and Better Auth (its own refusal) answer: either body.
    responses[status] = responses[status]
      ? { description, content: json({ anyOf: [ref('ErrorBody'), authError] }) }
      : { description, content: json(authError) };
  }

  if (op.body) shared[op.body.name] = toJsonSchema(op.body.schema, shared);
  const params = parameters(op, shared);
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    description: op.description,
    ...(op.security ? { security: op.security } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(op.rawBody
      ? {
          requestBody: {
            required: true,
            description: op.rawBody.description,
            content: Object.fromEntries(
              op.rawBody.contentTypes.map((type) => [
                type,
                { schema: { type: 'string' }, example: op.rawBody!.example },
              ]),
            ),
          },
        }
      : {}),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: ref(op.body.name), examples: op.body.examples },
            },
          },
        }
      : {}),
    responses,
  };
}

/** The whole document for these operations (cheap; the route caches it). */
export function assembleDocument(operations: Operation[], version: string): OpenApiDocument {
  const shared: Record<string, JsonSchema> = {};
  const paths: OpenApiDocument['paths'] = {};
  for (const op of operations) (paths[op.path] ??= {})[op.method] = operationObject(op, shared);

  const errorBody = json(toJsonSchema(errorBodySchema, shared));
  const retryAfter = {
    'Retry-After': {
      description: 'Seconds to wait before retrying.',
      schema: { type: 'integer', minimum: 1 },
    },
  };
  const responses: Record<string, unknown> = {};
  for (const [status, { name, description }] of Object.entries(ERROR_RESPONSES))
    responses[name] = {
      description,
      ...(status === '429' || status === '503' ? { headers: retryAfter } : {}),
      content: errorBody,
    };

  return {
    openapi: '3.1.0',
    info: {
      title: 'Todo Chatbot API',
      version,
      description: [
        'Manage a user’s tasks: create, list and search, update, complete, delete; recurring tasks, reminders, notification preferences, and a natural-language chat endpoint.',
        'Authenticate: signUp or signIn → session token → getAccessToken → send `Authorization: Bearer <jwt>` to every /api/v1 operation (in these docs: Authorize → bearerAuth). Scripts may instead send a personal access token (createPersonalAccessToken, `todo_pat_…`) the same way.',
        'Dates are ISO 8601 timestamps; weekdays are 0 = Monday … 6 = Sunday. Every error answers `{error, message, details?, correlationId}`; a 400 names every bad field in details.',
        'Text fields never take NUL characters or unpaired UTF-16 surrogates (400 naming the field). A method a path does not list answers 405 with Allow; a database that does not answer in time, 503 with Retry-After.',
        'Not described here: health and metrics endpoints and the services’ internal interfaces, which are not public.',
      ].join('\n\n'),
    },
    servers: [{ url: '/', description: 'This server' }],
    security: [{ bearerAuth: [] }],
    tags: [
      { name: 'auth', description: 'Sign up or in and get a JWT (Better Auth).' },
      {
        name: 'account',
        description:
          'Verify the address, reset or change the password, change name or address, sessions, delete the account (Better Auth; session cookie or session token).',
      },
      { name: 'tasks', description: 'Tasks and the change feed.' },
      { name: 'lists', description: 'Lists (projects) of tasks; every account has an Inbox.' },
      {
        name: 'sharing',
        description: 'Members of a list, their roles (viewer, editor, owner) and invites by email.',
      },
      { name: 'recurrence', description: 'Repeating tasks.' },
      { name: 'reminders', description: 'Per-task reminders.' },
      { name: 'notifications', description: 'The notification inbox.' },
      { name: 'preferences', description: 'Notification preferences and time zone.' },
      { name: 'chat', description: 'The chatbot: task management in plain words.' },
      { name: 'push', description: 'Web Push: the devices reminders are pushed to.' },
      {
        name: 'portability',
        description: 'Export all of your data; import tasks from Todoist or a calendar.',
      },
      {
        name: 'connections',
        description: 'Personal access tokens and the private calendar feed.',
      },
    ],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(shared).sort(([a], [b]) => a.localeCompare(b))),
      responses,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A JWT from GET /api/auth/token (EdDSA, 15 minutes; verify with GET /api/auth/jwks), or a personal access token (todo_pat_…; a "read" one may only GET).',
        },
        sessionToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The session token answered by signUp or signIn (only for getAccessToken).',
        },
      },
    },
  };
}
