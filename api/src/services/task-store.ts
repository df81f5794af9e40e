import { QueryTypes, type Transaction } from 'sequelize';
import type { Task, TaskChangeAction } from '@todo/contracts';
import { recordTaskChange, type RowWrite } from '../events/outbox-writer.js';
import { NotFoundError } from '../http/errors.js';
import { RecurrencePatternModel, TaskModel } from '../models/index.js';
import { toTaskDto } from './task-mapper.js';
import { userLockSql } from './user-transaction.js';

// The task hot paths use hand-written SQL (decision 040): Sequelize's query building and
// save() cost more CPU than the queries themselves. Models are still what callers get.

type TaskKey = keyof TaskModel['_attributes'] & string;

/** Model attribute → column, from the model definition (so the two cannot drift). */
const columnOf = (key: string): string => {
  const attribute = (TaskModel.getAttributes() as Record<string, { field?: string }>)[key];
  if (!attribute) throw new Error(`tasks has no attribute ${key}`);
  return `"${attribute.field ?? key}"`;
};

let selectList: string | null = null;
/** `"user_id" AS "userId", …`: rows come back keyed like the model's attributes. */
const taskColumns = () =>
  (selectList ??= Object.keys(TaskModel.getAttributes())
    .map((key) => `${columnOf(key)} AS "${key}"`)
    .join(', '));

/**
 * A user's live (not deleted) task, 404 otherwise. Inside a transaction it takes the user's
 * advisory lock and then the row lock, so it may be a transaction's first statement.
 */
export async function loadOwnedTask(
  userId: string,
  id: string,
  transaction?: Transaction,
): Promise<TaskModel> {
  // In a transaction the user lock comes first, then the row lock (FOR UPDATE locks the
  // joined row only after the lock function ran), in one round trip.
  const sql = transaction
    ? `SELECT ${taskColumns()} FROM (SELECT ${userLockSql('$2')}) AS user_lock, tasks
       WHERE id = $1 AND user_id = $2 FOR UPDATE OF tasks`
    : `SELECT ${taskColumns()} FROM tasks WHERE id = $1 AND user_id = $2`;
  const rows = await TaskModel.sequelize!.query<Record<string, unknown>>(sql, {
    bind: [id, userId],
    type: QueryTypes.SELECT,
    ...(transaction ? { transaction } : {}),
  });
  const row = rows[0];
  if (!row || row.status === 'deleted') throw new NotFoundError(`task ${id}`);
  return TaskModel.build(row as never, { isNewRecord: false, raw: true });
}

export async function patternOf(
  task: TaskModel,
  transaction?: Transaction,
): Promise<RecurrencePatternModel | null> {
  if (!task.seriesId) return null;
  return RecurrencePatternModel.findByPk(task.seriesId, transaction ? { transaction } : {});
}

export async function toDto(task: TaskModel, transaction?: Transaction): Promise<Task> {
  return toTaskDto(task, await patternOf(task, transaction));
}

/** The INSERT of a new task, or the UPDATE of its changed columns, as one SQL statement. */
function taskWrite(task: TaskModel): RowWrite {
  const values = task.get({ plain: true }) as Record<string, unknown>;
  if (task.isNewRecord) {
    const keys = Object.keys(values).filter((key) => values[key] !== undefined);
    return (first) => ({
      sql: `INSERT INTO tasks (${keys.map(columnOf).join(', ')}) VALUES (${keys
        .map((_, i) => `$${first + i}`)
        .join(', ')}) RETURNING id`,
      bind: keys.map((key) => values[key]),
    });
  }
  const keys = [...new Set(task.changed() || [])].filter((key) => key !== 'id');
  return (first) => ({
    sql: `UPDATE tasks SET ${keys
      .map((key, i) => `${columnOf(key)} = $${first + i}`)
      .join(', ')} WHERE id = $${first + keys.length} RETURNING id`,
    bind: [...keys.map((key) => values[key]), task.id],
  });
}

/**
 * Persists a change of `task`: bumps its version, saves it, and records the change-feed row
 * and the outbox events in the same transaction — all in one statement. Returns the task as
 * clients see it.
 */
export async function commitChange(
  transaction: Transaction,
  task: TaskModel,
  action: TaskChangeAction,
  changedFields: string[],
): Promise<Task> {
  const now = new Date();
  if (action !== 'created') task.version += 1;
  if (task.isNewRecord) task.createdAt = now;
  task.updatedAt = now;
  task.changed('updatedAt', true);
  task.changed('version', true);
  const dto = await toDto(task, transaction);
  await recordTaskChange(transaction, { action, task: dto, changedFields }, taskWrite(task));
  // The model now matches its row, as after save().
  task.isNewRecord = false;
  for (const key of task.changed() || []) task.changed(key as TaskKey, false);
  return dto;
}
