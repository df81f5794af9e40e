import Joi from 'joi';
import { TASK_CHANGE_ACTIONS, type TaskChangeAction } from '../events/task-updates.js';
import { taskSchema, type Task } from './tasks.js';

/** One entry of the change feed: what happened to which task, in commit order. */
export interface TaskChange {
  seq: string;
  action: TaskChangeAction;
  taskId: string;
  task: Task;
  changedFields: string[];
  timestamp: string;
}

export interface TaskChangesPage {
  changes: TaskChange[];
  /** Pass back as `since` to continue; equals `since` when nothing happened. */
  nextCursor: string;
  hasMore: boolean;
}

const MAX_BIGINT = 9223372036854775807n;

export const changesQuerySchema = Joi.object<{ since: string; limit: number }>({
  // A PostgreSQL bigint: 19 digits can still overflow it, so the value is checked too.
  since: Joi.string()
    .pattern(/^\d{1,19}$/)
    .custom((value: string, helpers) =>
      BigInt(value) <= MAX_BIGINT ? value : helpers.error('any.invalid'),
    )
    .default('0')
    .description(
      'A cursor from a previous answer (nextCursor) or listTasks (changesCursor); 0 = from the start.',
    )
    .messages({
      'string.pattern.base': 'since must be a cursor returned by the API',
      'any.invalid': 'since must be a cursor returned by the API (at most 9223372036854775807)',
    }),
  limit: Joi.number()
    .integer()
    .min(1)
    .max(1000)
    .default(500)
    .description('At most this many changes; hasMore tells whether more follow.'),
});

export const taskChangeSchema = Joi.object<TaskChange>({
  seq: Joi.string().description('Position in the change feed.'),
  action: Joi.string().valid(...TASK_CHANGE_ACTIONS),
  taskId: Joi.string().guid(),
  task: taskSchema,
  changedFields: Joi.array().items(Joi.string()),
  timestamp: Joi.string().isoDate(),
})
  .prefs({ presence: 'required' })
  .id('TaskChange')
  .description('One entry of the change feed.');

export const taskChangesPageSchema = Joi.object<TaskChangesPage>({
  changes: Joi.array().items(taskChangeSchema),
  nextCursor: Joi.string().description(
    'Pass back as `since` to continue; equals `since` when nothing happened.',
  ),
  hasMore: Joi.boolean(),
})
  .prefs({ presence: 'required' })
  .id('TaskChangesPage')
  .description('Changes after a cursor, in commit order, deletions included.');
