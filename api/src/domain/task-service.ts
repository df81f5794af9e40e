import { randomUUID } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { UniqueConstraintError, type Transaction } from 'sequelize';
import {
  nextOccurrence,
  type CompleteTaskResult,
  type CreateTaskInput,
  type NotificationPreferences,
  type ReopenTaskResult,
  type Task,
  type UpdateTaskInput,
} from '@todo/contracts';
import { ConflictError } from './errors.js';
import { once, type IdempotentRequest } from './idempotency.js';
import type { Logger } from '@todo/platform';
import { RecurrencePatternModel, TaskModel } from '../data-access/models/index.js';
import { getPreferences, lockUserForCreate } from './preferences-service.js';
import { assertRuleYieldsDates, normalizePattern, patternColumns } from './recurrence-rules.js';
import {
  commitChange,
  liveNextInstance,
  patternOf,
  recurrenceBeforeDeletion,
  toDto,
} from '../data-access/task-repository.js';
import { toRecurrencePattern } from '../data-access/task-mapper.js';
import { inUserTransaction } from '../data-access/user-transaction.js';
import { ensureInbox } from '../data-access/list-repository.js';
import { assertAssignable, isMember, listFor, taskFor } from './list-policy.js';
import { moveToOwner } from '../data-access/task-repository.js';

const sameValue = (a: unknown, b: unknown): boolean => {
  if (a instanceof Date || b instanceof Date) {
    return (a instanceof Date ? a.getTime() : a) === (b instanceof Date ? b.getTime() : b);
  }
  return JSON.stringify(a) === JSON.stringify(b);
};

/**
 * Soft-deletes a task in the caller's transaction (which holds the owner's lock): it stays in
 * the change feed and can be restored; deleting a recurring task ends its series.
 */
export async function softDeleteTask(
  model: TaskModel,
  transaction: Transaction,
  actorId: string,
): Promise<void> {
  const pattern = await patternOf(model, transaction);
  model.status = 'deleted';
  model.deletedAt = new Date();
  const changed = ['status', 'deletedAt'];
  if (pattern) {
    await pattern.destroy({ transaction });
    changed.push('recurrence');
  }
  await commitChange(transaction, model, 'deleted', changed, actorId);
}

/** Creating, changing, completing and deleting tasks; every change emits its events. */
export class TaskService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly logger: Logger,
  ) {}

  async create(
    userId: string,
    input: CreateTaskInput,
    idempotent?: IdempotentRequest,
  ): Promise<Task> {
    await assertRuleYieldsDates(input.recurrence);
    const { id: chosenId, ...fields } = input;
    const id = chosenId ?? randomUUID();
    let task: Task;
    try {
      task = await this.write(userId, idempotent, async (transaction) => {
        const { preferences, inboxId } = await lockUserForCreate(userId, transaction);
        return this.insert(transaction, userId, preferences, inboxId, id, fields);
      });
    } catch (error) {
      // A client-chosen id that exists: this user's, made under another key (or none), or
      // anyone else's. Which one is not said.
      if (chosenId && error instanceof UniqueConstraintError)
        throw new ConflictError(`a task with id ${id} already exists: choose another id`);
      throw error;
    }
    this.logger.info({ taskId: task.id, userId }, 'task created');
    return task;
  }

  /**
   * Creates every task in ONE transaction under the user's lock (all or none), each with its
   * events in the outbox like any create; `answer` turns the created tasks into what is
   * stored under the idempotency key and returned (an import's report, ADR 291).
   */
  async createMany<T>(
    userId: string,
    inputs: CreateTaskInput[],
    answer: (created: Task[]) => T,
    idempotent?: IdempotentRequest,
  ): Promise<T> {
    for (const input of inputs) await assertRuleYieldsDates(input.recurrence);
    return this.write(userId, idempotent, async (transaction) => {
      const { preferences, inboxId } = await lockUserForCreate(userId, transaction);
      const created: Task[] = [];
      let inbox = inboxId;
      for (const { id, ...fields } of inputs) {
        const task = await this.insert(
          transaction,
          userId,
          preferences,
          inbox,
          id ?? randomUUID(),
          fields,
        );
        if (!fields.listId) inbox = task.listId;
        created.push(task);
      }
      return answer(created);
    });
  }

  /** Inserts one new task (and its series' pattern) with its change and outbox events. */
  private async insert(
    transaction: Transaction,
    userId: string,
    preferences: NotificationPreferences,
    /** The user's Inbox when the lock statement found it (saves a round trip). */
    inboxId: string | null,
    id: string,
    fields: Omit<CreateTaskInput, 'id'>,
  ): Promise<Task> {
    // The list named (one the user may write to), else the user's own Inbox.
    const list: { id: string; userId: string } = fields.listId
      ? await listFor(userId, fields.listId, 'write', transaction)
      : inboxId
        ? { id: inboxId, userId }
        : await ensureInbox(userId, transaction);
    const offset =
      fields.reminderOffset !== undefined
        ? fields.reminderOffset
        : preferences.defaultReminderOffset;
    if (fields.assigneeId) await assertAssignable(list.id, fields.assigneeId, transaction);
    // The task is the list's (its owner of record's account holds it), whoever adds it.
    const model = TaskModel.build({
      id,
      userId: list.userId,
      listId: list.id,
      assigneeId: fields.assigneeId ?? null,
      title: fields.title,
      description: fields.description ?? null,
      priority: fields.priority ?? 'medium',
      tags: fields.tags ?? [],
      dueDate: fields.dueDate ?? null,
      reminderEnabled: offset !== null,
      reminderOffset: offset,
      ...(fields.reminderChannels ? { reminderChannels: fields.reminderChannels } : {}),
      seriesId: fields.recurrence ? id : null,
      parentTaskId: null,
      occurrenceIndex: fields.recurrence ? 1 : null,
      completedAt: null,
      deletedAt: null,
    });
    // commitChange inserts the row; the pattern has no foreign key on it, so order is free.
    if (fields.recurrence) {
      const pattern = normalizePattern(fields.recurrence, model.dueDate, preferences.timezone);
      await RecurrencePatternModel.create(
        { seriesId: id, userId: list.userId, ...patternColumns(pattern) },
        { transaction },
      );
    }
    return commitChange(transaction, model, 'created', Object.keys(fields), userId);
  }

  async get(userId: string, id: string): Promise<Task> {
    return toDto(await taskFor(userId, id, 'read'));
  }

  /**
   * Partial update. `expectedVersion` (from `If-Match`) turns it into a compare-and-set:
   * a stale version is a 409 rather than a silent overwrite of someone else's edit. Reopening
   * (`status: "pending"`) is the same as `reopen`.
   */
  async update(
    userId: string,
    id: string,
    input: UpdateTaskInput,
    expectedVersion?: number,
    idempotent?: IdempotentRequest,
  ): Promise<Task> {
    const { status, ...fields } = input;
    if (status === 'completed') {
      const { task } = await this.complete(userId, id, expectedVersion, fields, idempotent);
      return task;
    }
    const { task } = await this.write(userId, idempotent, (transaction) =>
      this.change(transaction, userId, id, fields, status === 'pending', expectedVersion),
    );
    this.logger.info({ taskId: id, userId, version: task.version }, 'task updated');
    return task;
  }

  /**
   * Takes back a completion: the task is open again, and the next instance of its series that
   * this completion created is removed with it, in the same transaction, if nobody touched it
   * since (still at its first version and open). A changed next instance stays. Reopening an
   * open task changes nothing.
   */
  async reopen(
    userId: string,
    id: string,
    expectedVersion?: number,
    idempotent?: IdempotentRequest,
  ): Promise<ReopenTaskResult> {
    const result = await this.write(userId, idempotent, (transaction) =>
      this.change(transaction, userId, id, {}, true, expectedVersion),
    );
    this.logger.info(
      { taskId: id, userId, removedInstanceId: result.removedInstanceId },
      'task reopened',
    );
    return result;
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
    idempotent?: IdempotentRequest,
  ): Promise<CompleteTaskResult> {
    const result = await this.write(userId, idempotent, async (transaction) => {
      const model = await taskFor(userId, id, 'write', transaction);
      this.checkVersion(model, expectedVersion);
      if (model.status === 'completed')
        return { task: await toDto(model, transaction), nextInstance: null };
      if (alsoChange.listId && alsoChange.listId !== model.listId) {
        const target = await listFor(userId, alsoChange.listId, 'write', transaction);
        if (target.userId !== model.userId) await moveToOwner(model, target.userId, transaction);
      }
      if (alsoChange.assigneeId)
        await assertAssignable(
          alsoChange.listId ?? model.listId,
          alsoChange.assigneeId,
          transaction,
        );
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
      const task = await commitChange(transaction, model, 'completed', changed, userId);
      const pattern = await patternOf(model, transaction);
      if (!pattern) return { task, nextInstance: null };
      const preferences = await getPreferences(model.userId, transaction);
      const next = nextOccurrence({
        pattern: toRecurrencePattern(pattern),
        timeZone: preferences.timezone,
        previousDue: model.dueDate,
        completedAt: model.completedAt,
        occurrenceIndex: model.occurrenceIndex ?? 1,
      });
      return { task, nextInstance: next ? { scheduledFor: next.toISOString() } : null };
    });
    this.logger.info(
      { taskId: id, userId, nextInstanceAt: result.nextInstance?.scheduledFor ?? null },
      'task completed',
    );
    return result;
  }

  /** Soft-deletes the task (it stays in the change feed); deleting a recurring task ends its series. */
  async remove(
    userId: string,
    id: string,
    expectedVersion?: number,
    idempotent?: IdempotentRequest,
  ): Promise<void> {
    await this.write(userId, idempotent, async (transaction) => {
      const model = await taskFor(userId, id, 'write', transaction);
      this.checkVersion(model, expectedVersion);
      await softDeleteTask(model, transaction, userId);
      return null;
    });
    this.logger.info({ taskId: id, userId }, 'task deleted');
  }

  /**
   * Brings a deleted task back as it was (open or done), with a newer version so every tab and
   * the workers take it as a change (`updated`): its reminder is scheduled again. A series its
   * deletion ended repeats again, as before. Restoring a live task changes nothing.
   */
  async restore(
    userId: string,
    id: string,
    expectedVersion?: number,
    idempotent?: IdempotentRequest,
  ): Promise<Task> {
    let task: Task;
    try {
      task = await this.write(userId, idempotent, async (transaction) => {
        const model = await taskFor(userId, id, 'write', transaction, {
          includeDeleted: true,
        });
        this.checkVersion(model, expectedVersion);
        if (model.status !== 'deleted') return toDto(model, transaction);
        model.status = model.completedAt ? 'completed' : 'pending';
        model.deletedAt = null;
        const changed = ['status', 'deletedAt'];
        if (model.seriesId && !(await patternOf(model, transaction))) {
          const before = await recurrenceBeforeDeletion(model, transaction);
          if (before) {
            await RecurrencePatternModel.create(
              { seriesId: model.seriesId, userId: model.userId, ...patternColumns(before) },
              { transaction },
            );
            changed.push('recurrence');
          }
        }
        return commitChange(transaction, model, 'updated', changed, userId);
      });
    } catch (error) {
      // Its place in the series was taken meanwhile (an undone completion freed it).
      if (error instanceof UniqueConstraintError)
        throw new ConflictError(`task ${id} cannot come back: its series has moved on`);
      throw error;
    }
    this.logger.info({ taskId: id, userId, version: task.version }, 'task restored');
    return task;
  }

  /** One user's write: in a transaction holding the user's lock, once per idempotency key. */
  private write<T>(
    userId: string,
    idempotent: IdempotentRequest | undefined,
    fn: (transaction: Transaction) => Promise<T>,
  ): Promise<T> {
    return inUserTransaction(
      this.sequelize,
      userId,
      (transaction) => once(userId, idempotent, transaction, () => fn(transaction)),
      // Without a key the first statement of `fn` takes the lock (one round trip less);
      // with one, the key is read under the lock first.
      { lockInFirstQuery: !idempotent },
    );
  }

  /** Applies `fields` (and a reopen) to the task; see `update` and `reopen`. */
  private async change(
    transaction: Transaction,
    userId: string,
    id: string,
    changes: Omit<UpdateTaskInput, 'status'>,
    reopen: boolean,
    expectedVersion: number | undefined,
  ): Promise<ReopenTaskResult> {
    let fields = changes;
    const model = await taskFor(userId, id, 'write', transaction);
    this.checkVersion(model, expectedVersion);
    // Moving it: the target must be a list the user may write to. Only the list changes, so
    // its series, reminder and history stay as they are.
    if (fields.listId && fields.listId !== model.listId) {
      const target = await listFor(userId, fields.listId, 'write', transaction);
      // Another owner's list: the task goes with the list, to that account (ADR 321).
      if (target.userId !== model.userId) await moveToOwner(model, target.userId, transaction);
      // An assignee who is not in the new list is no longer one.
      if (
        fields.assigneeId === undefined &&
        model.assigneeId &&
        !(await isMember(target.id, model.assigneeId, transaction))
      )
        fields = { ...fields, assigneeId: null };
    }
    if (fields.assigneeId)
      await assertAssignable(fields.listId ?? model.listId, fields.assigneeId, transaction);
    const changed: string[] = [];
    for (const [key, value] of Object.entries(fields) as [keyof typeof fields, unknown][]) {
      if (!sameValue(model.get(key), value)) {
        model.set(key, value as never);
        changed.push(key);
      }
    }
    let removedInstanceId: string | null = null;
    if (reopen && model.status === 'completed') {
      model.status = 'pending';
      model.completedAt = null;
      changed.push('status', 'completedAt');
      removedInstanceId = await this.removeUntouchedNextInstance(model, transaction, userId);
    }
    if (changed.includes('reminderOffset')) {
      model.reminderEnabled = model.reminderOffset !== null;
      if (!changed.includes('reminderEnabled')) changed.push('reminderEnabled');
    }
    if (changed.length === 0) return { task: await toDto(model, transaction), removedInstanceId };
    return {
      task: await commitChange(transaction, model, 'updated', changed, userId),
      removedInstanceId,
    };
  }

  /**
   * Removes the next instance the completion of `model` created, if it is as it was created
   * (first version, open). It is deleted like any task (its `deleted` event removes its
   * reminder) and gives its place in the series back, so completing `model` again makes a new
   * one.
   */
  private async removeUntouchedNextInstance(
    model: TaskModel,
    transaction: Transaction,
    actorId: string,
  ): Promise<string | null> {
    const next = await liveNextInstance(model, transaction);
    if (!next || next.version !== 1 || next.status !== 'pending') return null;
    next.status = 'deleted';
    next.deletedAt = new Date();
    next.occurrenceIndex = null;
    await commitChange(transaction, next, 'deleted', ['status', 'deletedAt'], actorId);
    return next.id;
  }

  private checkVersion(model: TaskModel, expected: number | undefined): void {
    if (expected !== undefined && model.version !== expected) {
      throw new ConflictError(
        `task ${model.id} is at version ${model.version}, not ${expected}: reload it and apply your change again`,
      );
    }
  }
}
