import Joi from 'joi';
import {
  LIST_CHANGE_ACTIONS,
  TASK_CHANGE_ACTIONS,
  type ListChangeAction,
  type TaskChangeAction,
} from '../events/task-updates.js';
import { taskSchema, type Task } from './tasks.js';
import { listSchema, type List } from './lists.js';

/** One entry of the change feed: what happened to which task, in commit order. */
export interface TaskChange {
  seq: string;
  action: TaskChangeAction;
  taskId: string;
  task: Task;
  changedFields: string[];
  timestamp: string;
}

/** One change of a list in the same feed (a deleted list's `list` is its last state). */
export interface ListChange {
  seq: string;
  action: ListChangeAction;
  listId: string;
  list: List;
  changedFields: string[];
  timestamp: string;
}

export interface TaskChangesPage {
  changes: TaskChange[];
  /**
   * The list changes in the same range of the feed (seq ≤ nextCursor). Apart from `changes`
   * so a client that knows no lists keeps working; each carries its `seq`.
   */
  listChanges: ListChange[];
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

export const listChangeSchema = Joi.object<ListChange>({
  seq: Joi.string().description('Position in the change feed.'),
  action: Joi.string().valid(...LIST_CHANGE_ACTIONS),
  listId: Joi.string().guid(),
  list: listSchema,
  changedFields: Joi.array().items(Joi.string()),
  timestamp: Joi.string().isoDate(),
})
  .prefs({ presence: 'required' })
  .id('ListChange')
  .description('One change of a list in the change feed.');

export const taskChangesPageSchema = Joi.object<TaskChangesPage>({
  changes: Joi.array().items(taskChangeSchema),
  listChanges: Joi.array()
    .items(listChangeSchema)
    .description('Changes of lists in the same range of the feed, in commit order.'),
  nextCursor: Joi.string().description(
    'Pass back as `since` to continue; equals `since` when nothing happened.',
  ),
  hasMore: Joi.boolean(),
})
  .prefs({ presence: 'required' })
  .id('TaskChangesPage')
  .description('Changes after a cursor, in commit order, deletions included.');
