import { randomUUID } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import {
  nextOccurrence,
  type CompleteTaskResult,
  type CreateTaskInput,
  type Task,
  type UpdateTaskInput,
} from '@todo/contracts';
import { ConflictError } from './errors.js';
import type { Logger } from '@todo/platform';
import { RecurrencePatternModel, TaskModel } from '../data-access/models/index.js';
import { getPreferences, lockUserAndGetPreferences } from './preferences-service.js';
import { assertRuleYieldsDates, normalizePattern, patternColumns } from './recurrence-rules.js';
import { commitChange, loadOwnedTask, patternOf, toDto } from '../data-access/task-repository.js';
import { toRecurrencePattern } from '../data-access/task-mapper.js';
import { inUserTransaction } from '../data-access/user-transaction.js';

const sameValue = (a: unknown, b: unknown): boolean => {
  if (a instanceof Date || b instanceof Date) {
    return (a instanceof Date ? a.getTime() : a) === (b instanceof Date ? b.getTime() : b);
  }
  return JSON.stringify(a) === JSON.stringify(b);
};

/** Creating, changing, completing and deleting tasks; every change emits its events. */
export class TaskService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly logger: Logger,
  ) {}

  async create(userId: string, input: CreateTaskInput): Promise<Task> {
    await assertRuleYieldsDates(input.recurrence);
    const task = await inUserTransaction(
      this.sequelize,
      userId,
      async (transaction) => {
        const preferences = await lockUserAndGetPreferences(userId, transaction);
        const id = randomUUID();
        const offset =
          input.reminderOffset !== undefined
            ? input.reminderOffset
            : preferences.defaultReminderOffset;
        const model = TaskModel.build({
          id,
          userId,
          title: input.title,
          description: input.description ?? null,
          priority: input.priority ?? 'medium',
          tags: input.tags ?? [],
          dueDate: input.dueDate ?? null,
          reminderEnabled: offset !== null,
          reminderOffset: offset,
          ...(input.reminderChannels ? { reminderChannels: input.reminderChannels } : {}),
          seriesId: input.recurrence ? id : null,
          parentTaskId: null,
          occurrenceIndex: input.recurrence ? 1 : null,
          completedAt: null,
          deletedAt: null,
        });
        // commitChange inserts the row; the pattern has no foreign key on it, so order is free.
        if (input.recurrence) {
          const pattern = normalizePattern(input.recurrence, model.dueDate, preferences.timezone);
          await RecurrencePatternModel.create(
            { seriesId: id, userId, ...patternColumns(pattern) },
            { transaction },
          );
        }
        return commitChange(transaction, model, 'created', Object.keys(input));
      },
      { lockInFirstQuery: true },
    );
    this.logger.info({ taskId: task.id, userId }, 'task created');
    return task;
  }

  async get(userId: string, id: string): Promise<Task> {
    return toDto(await loadOwnedTask(userId, id));
  }

  /**
   * Partial update. `expectedVersion` (from `If-Match`) turns it into a compare-and-set:
   * a stale version is a 409 rather than a silent overwrite of someone else's edit.
   */
  async update(
    userId: string,
    id: string,
    input: UpdateTaskInput,
    expectedVersion?: number,
  ): Promise<Task> {
    const { status, ...fields } = input;
    if (status === 'completed') {
      const { task } = await this.complete(userId, id, expectedVersion, fields);
      return task;
    }
    const task = await inUserTransaction(
      this.sequelize,
      userId,
      async (transaction) => {
        const model = await loadOwnedTask(userId, id, transaction);
        this.checkVersion(model, expectedVersion);
        const changed: string[] = [];
        for (const [key, value] of Object.entries(fields) as [keyof typeof fields, unknown][]) {
          if (!sameValue(model.get(key), value)) {
            model.set(key, value as never);
            changed.push(key);
          }
        }
        if (status === 'pending' && model.status === 'completed') {
          model.status = 'pending';
          model.completedAt = null;
          changed.push('status', 'completedAt');
        }
        if (changed.includes('reminderOffset')) {
          model.reminderEnabled = model.reminderOffset !== null;
          if (!changed.includes('reminderEnabled')) changed.push('reminderEnabled');
        }
        if (changed.length === 0) return toDto(model, transaction);
        return commitChange(transaction, model, 'updated', changed);
      },
      { lockInFirstQuery: true },
    );
    this.logger.info({ taskId: id, userId, version: task.version }, 'task updated');
    return task;
  }

  /**
   * Completes a task. Completing a completed task changes nothing and emits nothing, so a
   * client may safely retry. The next instance of a recurring series is created by the
   * recurrence worker from the `completed` event; the answer says when it will be due.
   */
  async complete(
    userId: string,
    id: string,
    expectedVersion?: number,
    alsoChange: Omit<UpdateTaskInput, 'status'> = {},
  ): Promise<CompleteTaskResult> {
    const result = await inUserTransaction(
      this.sequelize,
      userId,
      async (transaction) => {
        const model = await loadOwnedTask(userId, id, transaction);
        this.checkVersion(model, expectedVersion);
        if (model.status === 'completed')
          return { task: await toDto(model, transaction), nextInstance: null };
        const changed = ['status', 'completedAt'];
        for (const [key, value] of Object.entries(alsoChange) as [
          keyof typeof alsoChange,
          unknown,
        ][]) {
          if (!sameValue(model.get(key), value)) {
            model.set(key, value as never);
            changed.push(key);
          }
        }
        model.status = 'completed';
        model.completedAt = new Date();
        const task = await commitChange(transaction, model, 'completed', changed);
        const pattern = await patternOf(model, transaction);
        if (!pattern) return { task, nextInstance: null };
        const preferences = await getPreferences(userId, transaction);
        const next = nextOccurrence({
          pattern: toRecurrencePattern(pattern),
          timeZone: preferences.timezone,
          previousDue: model.dueDate,
          completedAt: model.completedAt,
          occurrenceIndex: model.occurrenceIndex ?? 1,
        });
        return { task, nextInstance: next ? { scheduledFor: next.toISOString() } : null };
      },
      { lockInFirstQuery: true },
    );
    this.logger.info(
      { taskId: id, userId, nextInstanceAt: result.nextInstance?.scheduledFor ?? null },
      'task completed',
    );
    return result;
  }

  /** Soft-deletes the task (it stays in the change feed); deleting a recurring task ends its series. */
  async remove(userId: string, id: string, expectedVersion?: number): Promise<void> {
    await inUserTransaction(
      this.sequelize,
      userId,
      async (transaction) => {
        const model = await loadOwnedTask(userId, id, transaction);
        this.checkVersion(model, expectedVersion);
        const pattern = await patternOf(model, transaction);
        model.status = 'deleted';
        model.deletedAt = new Date();
        const changed = ['status', 'deletedAt'];
        if (pattern) {
          await pattern.destroy({ transaction });
          changed.push('recurrence');
        }
        await commitChange(transaction, model, 'deleted', changed);
      },
      { lockInFirstQuery: true },
    );
    this.logger.info({ taskId: id, userId }, 'task deleted');
  }

  private checkVersion(model: TaskModel, expected: number | undefined): void {
    if (expected !== undefined && model.version !== expected) {
      throw new ConflictError(
        `task ${model.id} is at version ${model.version}, not ${expected}: reload it and apply your change again`,
      );
    }
  }
}
