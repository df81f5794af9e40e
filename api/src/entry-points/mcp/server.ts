import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import {
  createTaskSchema,
  fromWallTime,
  toWallTime,
  type AccessTokenScope,
  type CreateTaskInput,
  type ListTasksQuery,
  type UpdateTaskInput,
} from '@todo/contracts';
import { parseQuickAdd } from '@todo/language';
import { DomainError, ValidationError } from '../../domain/errors.js';
import type { IdempotentRequest } from '../../domain/idempotency.js';
import { getPreferences } from '../../domain/preferences-service.js';
import type { Services } from '../../domain/services.js';
import { validate } from '../../domain/validate.js';
import { requestDigest } from '../http/middleware/idempotency.js';
import { toJsonSchema } from '../http/openapi/assemble.js';
import { TOOLS, type ToolDefinition } from './tools.js';

/** Who calls: the user, and the scope of their personal access token (none for a JWT). */
export interface McpCaller {
  userId: string;
  scope: AccessTokenScope | undefined;
}

const RESOURCES = [
  {
    uri: 'todo://tasks/today',
    name: 'today',
    title: 'Due today',
    description: 'Pending tasks due today in the user’s time zone, earliest first.',
    mimeType: 'application/json',
  },
  {
    uri: 'todo://tasks/overdue',
    name: 'overdue',
    title: 'Overdue',
    description: 'Pending tasks whose due time has passed, oldest first.',
    mimeType: 'application/json',
  },
];

/** The input schema as JSON Schema for `tools/list` (joi-to-json, as the OpenAPI document). */
function inputSchema(tool: ToolDefinition) {
  // The tools' inputs name no components, so nothing lands in `shared` (a test checks).
  const schema = toJsonSchema(tool.input, {}) as Record<string, unknown>;
  return { ...schema, type: 'object' as const };
}

/** Joi's verdict as a JSON-RPC "invalid params" error naming every bad field. */
function parse<T>(schema: ToolDefinition['input'], args: unknown): T {
  try {
    return validate(schema, args ?? {}, 'body') as T;
  } catch (error) {
    if (error instanceof ValidationError) {
      // A rule across fields ("give either title or text") has no path of its own.
      const details = (error.details ?? []).map((d) =>
        d.field === 'body' ? { ...d, field: 'arguments' } : d,
      );
      const fields = [...new Set(details.map((d) => d.field))].join(', ');
      throw new McpError(ErrorCode.InvalidParams, `invalid arguments: ${fields}`, { details });
    }
    throw error;
  }
}

/**
 * A write tool's `idempotencyKey` (ADR 290) as the REST routes' Idempotency-Key: the same
 * table, the same transaction as the change. The digest covers the tool and its other
 * arguments, so the key sent with another change is refused, as over REST. Call it after the
 * arguments passed their schema (which checks the key's form).
 */
function retryOf(tool: ToolDefinition, args: unknown): IdempotentRequest | undefined {
  const { idempotencyKey: key, ...rest } = (args ?? {}) as Record<string, unknown>;
  if (typeof key !== 'string') return undefined;
  return { key, requestHash: requestDigest(['mcp', tool.name, rest]), statusCode: 200 };
}

const result = (value: object, text?: string): CallToolResult => ({
  content: [{ type: 'text', text: text ?? JSON.stringify(value) }],
  structuredContent: value as Record<string, unknown>,
});

/**
 * One MCP server per request (stateless Streamable HTTP): tools and resources over the same
 * domain services as REST, so every change is in the outbox and reaches open tabs live.
 */
export function createMcpServer(services: Services, caller: McpCaller): Server {
  const server = new Server(
    { name: 'todo-chatbot', version: '0.1.0' },
    {
      capabilities: { tools: {}, resources: {} },
      instructions:
        'Manage the user’s tasks. Dates are ISO 8601; add_task also takes plain words in text ("call mum tomorrow 6pm"). Weekdays are 0 = Monday … 6 = Sunday.',
    },
  );
  const { userId } = caller;

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: TOOLS.map((tool) => ({
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: inputSchema(tool),
      annotations: {
        title: tool.title,
        readOnlyHint: tool.readOnly,
        destructiveHint: tool.name === 'delete_task',
        idempotentHint: tool.idempotent,
        openWorldHint: false,
      },
    })),
  }));

  const list = (query: ListTasksQuery) => services.queries.list(userId, query);

  async function call(tool: ToolDefinition, args: unknown): Promise<CallToolResult> {
    switch (tool.name) {
      case 'list_tasks':
      case 'search_tasks': {
        const page = await list(parse<ListTasksQuery>(tool.input, args));
        return result({ items: page.items, nextCursor: page.nextCursor });
      }
      case 'get_task':
        return result(await services.tasks.get(userId, parse<{ id: string }>(tool.input, args).id));
      case 'add_task': {
        const input = await addInput(tool, args);
        return result(await services.tasks.create(userId, input, retryOf(tool, args)));
      }
      case 'update_task': {
        const {
          id,
          expectedVersion,
          idempotencyKey: _key,
          ...patch
        } = parse<
          UpdateTaskInput & { id: string; expectedVersion?: number; idempotencyKey?: string }
        >(tool.input, args);
        return result(
          await services.tasks.update(userId, id, patch, expectedVersion, retryOf(tool, args)),
        );
      }
      case 'complete_task': {
        const { id } = parse<{ id: string }>(tool.input, args);
        return result(
          await services.tasks.complete(userId, id, undefined, {}, retryOf(tool, args)),
        );
      }
      case 'delete_task': {
        const { id } = parse<{ id: string }>(tool.input, args);
        await services.tasks.remove(userId, id, undefined, retryOf(tool, args));
        return result({ deleted: id }, `deleted ${id}`);
      }
      default:
        throw new McpError(ErrorCode.MethodNotFound, `no tool ${tool.name}`);
    }
  }

  /** Structured fields, or `text` read by the task-language parser (given fields win). */
  async function addInput(tool: ToolDefinition, args: unknown): Promise<CreateTaskInput> {
    // Without defaults first, so a default priority cannot overrule one said in the text.
    const given = parse<CreateTaskInput & { text?: string; idempotencyKey?: string }>(
      tool.input.prefs({ noDefaults: true }),
      args,
    );
    const { text, idempotencyKey: _key, ...fields } = given;
    let merged: Record<string, unknown> = fields;
    if (text) {
      const { timezone } = await getPreferences(userId);
      const parsed = parseQuickAdd(text, { now: new Date(), timeZone: timezone });
      merged = { ...parsed.fields, ...fields, title: fields.title ?? (parsed.title || text) };
    }
    return parse<CreateTaskInput>(createTaskSchema, JSON.parse(JSON.stringify(merged)));
  }

  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const tool = TOOLS.find((t) => t.name === request.params.name);
    if (!tool)
      throw new McpError(ErrorCode.InvalidParams, `unknown tool: ${request.params.name}`, {
        details: [{ field: 'name', message: `no tool named ${request.params.name}` }],
      });
    if (tool.scope === 'write' && caller.scope === 'read')
      return {
        isError: true,
        content: [
          {
            type: 'text',
            text: `${tool.name} changes tasks: this personal access token has the "read" scope; use one with the "write" scope`,
          },
        ],
      };
    try {
      return await call(tool, request.params.arguments);
    } catch (error) {
      // What REST answers with a 4xx is the tool's own failure, for the assistant to read.
      if (error instanceof DomainError && !(error instanceof ValidationError))
        return {
          isError: true,
          content: [{ type: 'text', text: `${error.code}: ${error.message}` }],
        };
      throw error;
    }
  });

  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: RESOURCES }));

  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const resource = RESOURCES.find((r) => r.uri === request.params.uri);
    if (!resource)
      throw new McpError(ErrorCode.InvalidParams, `unknown resource: ${request.params.uri}`, {
        details: [{ field: 'uri', message: 'use todo://tasks/today or todo://tasks/overdue' }],
      });
    const now = new Date();
    const base = { status: 'pending' as const, sort: 'dueDate' as const, limit: 200 };
    let query: ListTasksQuery;
    if (resource.name === 'today') {
      const { timezone } = await getPreferences(userId);
      const wall = toWallTime(now, timezone);
      const midnight = Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate());
      query = {
        ...base,
        // dueAfter is exclusive: a millisecond before midnight keeps a task due at 00:00.
        dueAfter: new Date(fromWallTime(new Date(midnight), timezone).getTime() - 1),
        dueBefore: fromWallTime(new Date(midnight + 86_400_000), timezone),
      };
    } else query = { ...base, dueBefore: now };
    const { items } = await list(query);
    return {
      contents: [
        { uri: resource.uri, mimeType: 'application/json', text: JSON.stringify({ items }) },
      ],
    };
  });

  return server;
}
