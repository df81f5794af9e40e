import Joi from 'joi';
import {
  createTaskSchema,
  listTasksQuerySchema,
  recurrenceSchema,
  updatePreferencesSchema,
  updateReminderSchema,
  updateTaskSchema,
  uuid,
} from '@todo/contracts';
import { joiToJsonSchema } from '../../../joi-to-json-schema.js';
import type { ToolDefinition } from './llm-client.js';

const taskId = {
  taskId: uuid.required().description('id of the task, from list_tasks or an earlier result'),
};

/**
 * The tools the model may call, each with a joi schema from `@todo/contracts` (or built from
 * them). Parameters are generated from those schemas, and the same schemas validate the
 * model's arguments, so the tools cannot drift from the REST API.
 */
export const TOOL_SCHEMAS = {
  list_tasks: {
    description:
      'List the user’s tasks, filtered and sorted. Use it to find task ids before changing a task.',
    schema: listTasksQuerySchema.fork(['cursor'], (s) => s.forbidden()),
  },
  create_task: {
    description:
      'Create a task. A recurrence takes an end (endDate or maxOccurrences) only when the user named one.',
    schema: createTaskSchema,
  },
  update_task: {
    description: 'Change fields of a task; status "completed" completes it, "pending" reopens it.',
    schema: Joi.object({ ...taskId, changes: updateTaskSchema.required() }),
  },
  delete_task: {
    description: 'Delete a task (a recurring task’s series ends).',
    schema: Joi.object(taskId),
  },
  set_recurrence: {
    description:
      'Make a task repeat. Weekdays are 0 = Monday … 6 = Sunday; byMonthday -1 is the last day of the month. Leave out endDate and maxOccurrences unless the user named an end: a series without them never ends.',
    schema: Joi.object({ ...taskId, recurrence: recurrenceSchema.required() }),
  },
  remove_recurrence: { description: 'Stop a task from repeating.', schema: Joi.object(taskId) },
  update_reminder: {
    description: 'Change a task’s reminder: enabled, minutes before the due date, channels.',
    schema: Joi.object({ ...taskId, reminder: updateReminderSchema.required() }),
  },
  update_preferences: {
    description:
      'Change the user’s notification preferences: channels, quiet hours (HH:MM), time zone, default reminder offset.',
    schema: updatePreferencesSchema,
  },
} as const;

export type ToolName = keyof typeof TOOL_SCHEMAS;

export const toolDefinitions = (): ToolDefinition[] =>
  Object.entries(TOOL_SCHEMAS).map(([name, { description, schema }]) => ({
    type: 'function',
    function: { name, description, parameters: joiToJsonSchema(schema) },
  }));

export const isToolName = (name: string): name is ToolName => name in TOOL_SCHEMAS;
