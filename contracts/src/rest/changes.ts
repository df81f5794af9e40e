import Joi from 'joi';
import type { TaskChangeAction } from '../events/task-updates.js';
import type { Task } from './tasks.js';

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
    .messages({
      'string.pattern.base': 'since must be a cursor returned by the API',
      'any.invalid': 'since must be a cursor returned by the API (at most 9223372036854775807)',
    }),
  limit: Joi.number().integer().min(1).max(1000).default(500),
});
