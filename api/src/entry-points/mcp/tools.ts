import Joi from 'joi';
import {
  createTaskSchema,
  idempotencyKeySchema,
  listTasksQuerySchema,
  updateTaskSchema,
  uuid,
  type AccessTokenScope,
} from '@todo/contracts';

/**
 * The MCP tools: each input is a joi schema built from the REST contracts (the same fields,
 * rules and messages), published to clients as JSON Schema and validated with joi on call.
 */
export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  input: Joi.ObjectSchema;
  /** `write` tools are refused to a read-only personal access token. */
  scope: AccessTokenScope;
  /** Hints for the assistant's UI (MCP tool annotations). */
  readOnly: boolean;
  idempotent: boolean;
}

const id = uuid.required().description('The task’s id (from list_tasks or search_tasks).');

/**
 * The write tools' retry key (ADR 290): MCP has no header for it, so it is an argument. The
 * same key with the same arguments answers the first call's result and changes nothing again.
 */
const idempotencyKey = idempotencyKeySchema.description(
  'Optional: a fresh UUID per intended change. Calling again with the same key and arguments (e.g. after a lost answer) returns the first result and changes nothing; the same key with other arguments is refused.',
);

/** `list_tasks`: the REST list's filters. */
const listInput = listTasksQuerySchema;
/** `search_tasks`: the same, with the text to find required. */
const searchInput = listTasksQuerySchema.fork(['q'], (q) => q.required());

const addInput = (createTaskSchema as Joi.ObjectSchema)
  .fork(['title'], (title) => title.optional())
  .keys({
    idempotencyKey,
    text: Joi.string()
      .trim()
      .min(1)
      .max(500)
      .description(
        'The task in plain words, read like the chat and the quick-add box: "pay rent every month on the last day at 6pm #home !high". Fields given beside it win.',
      ),
  })
  .or('title', 'text')
  .messages({ 'object.missing': 'give either title or text' });

const updateInput = (updateTaskSchema as Joi.ObjectSchema).keys({
  id,
  idempotencyKey,
  expectedVersion: Joi.number()
    .integer()
    .min(1)
    .description('The version last seen: refused if the task changed since (like If-Match).'),
});

const idInput = Joi.object({ id });
const idWriteInput = Joi.object({ id, idempotencyKey });

export const TOOLS: ToolDefinition[] = [
  {
    name: 'list_tasks',
    title: 'List tasks',
    description:
      'The user’s tasks, filtered and sorted like GET /api/v1/tasks: status, priority, tag, dueBefore/dueAfter (ISO 8601), sort, limit, cursor (nextCursor of the previous page).',
    input: listInput,
    scope: 'read',
    readOnly: true,
    idempotent: true,
  },
  {
    name: 'search_tasks',
    title: 'Search tasks',
    description:
      'Tasks whose title or description contains q (case-insensitive), with the same filters as list_tasks.',
    input: searchInput,
    scope: 'read',
    readOnly: true,
    idempotent: true,
  },
  {
    name: 'get_task',
    title: 'Get a task',
    description: 'One task by id, with its recurrence and reminder.',
    input: idInput,
    scope: 'read',
    readOnly: true,
    idempotent: true,
  },
  {
    name: 'add_task',
    title: 'Add a task',
    description:
      'Creates a task from structured fields (title, dueDate, priority, tags, reminderOffset, recurrence) or from text in plain words; fields given beside text win. Pass idempotencyKey so a retry cannot add it twice.',
    input: addInput,
    scope: 'write',
    readOnly: false,
    // With an idempotencyKey a retry is safe; the hint speaks for calls without one.
    idempotent: false,
  },
  {
    name: 'update_task',
    title: 'Update a task',
    description:
      'Changes some fields of a task (title, description, dueDate, priority, tags, reminderOffset, status "pending" to reopen).',
    input: updateInput,
    scope: 'write',
    readOnly: false,
    idempotent: true,
  },
  {
    name: 'complete_task',
    title: 'Complete a task',
    description:
      'Marks a task done; completing it again changes nothing. The next instance of a series follows.',
    input: idWriteInput,
    scope: 'write',
    readOnly: false,
    idempotent: true,
  },
  {
    name: 'delete_task',
    title: 'Delete a task',
    description: 'Deletes a task (deleting an instance of a series ends the series).',
    input: idWriteInput,
    scope: 'write',
    readOnly: false,
    idempotent: true,
  },
];
