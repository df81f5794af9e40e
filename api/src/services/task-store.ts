import type { Transaction } from 'sequelize';
import type { Task, TaskChangeAction } from '@todo/contracts';
import { recordTaskChange } from '../events/outbox-writer.js';
import { NotFoundError } from '../http/errors.js';
import { RecurrencePatternModel, TaskModel } from '../models/index.js';
import { toTaskDto } from './task-mapper.js';

/** A user's live (not deleted) task, row-locked when inside a transaction. 404 otherwise. */
export async function loadOwnedTask(
  userId: string,
  id: string,
  transaction?: Transaction,
): Promise<TaskModel> {
  const task = await TaskModel.findOne({
    where: { id, userId },
    ...(transaction ? { transaction, lock: transaction.LOCK.UPDATE } : {}),
  });
  if (!task || task.status === 'deleted') throw new NotFoundError(`task ${id}`);
  return task;
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

/**
 * Persists a change of `task`: bumps its version, saves it, and records the change-feed row
 * and the outbox events in the same transaction. Returns the task as clients see it.
 */
export async function commitChange(
  transaction: Transaction,
  task: TaskModel,
  action: TaskChangeAction,
  changedFields: string[],
): Promise<Task> {
  if (action !== 'created') task.version += 1;
  task.changed('updatedAt', true);
  await task.save({ transaction });
  const dto = await toDto(task, transaction);
  await recordTaskChange(transaction, { action, task: dto, changedFields });
  return dto;
}
