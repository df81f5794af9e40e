import { randomUUID } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { UniqueConstraintError } from 'sequelize';
import {
  nextOccurrence,
  type OccurrenceDueData,
  type RecurrenceInput,
  type RecurrencePattern,
  type Task,
} from '@todo/contracts';
import { NotFoundError } from './errors.js';
import type { Logger } from '@todo/platform';
import {
  ProcessedEventModel,
  RecurrencePatternModel,
  TaskModel,
} from '../data-access/models/index.js';
import { getPreferences } from './preferences-service.js';
import { assertRuleYieldsDates, normalizePattern, patternColumns } from './recurrence-rules.js';
import { commitChange, toDto } from '../data-access/task-repository.js';
import { taskFor } from './list-policy.js';
import { toRecurrencePattern, toTaskDto } from '../data-access/task-mapper.js';
import { inUserTransaction } from '../data-access/user-transaction.js';

const NEXT_INSTANCE_CONSUMER = 'api.next-instance';

export interface NextInstanceResult {
  /** True when this call created the instance; false when it existed or the series ended. */
  created: boolean;
  task: Task | null;
  reason?: 'series-ended' | 'not-completed' | 'already-created';
}

/** A task's recurrence pattern and its series of instances. */
export class RecurrenceService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly logger: Logger,
  ) {}

  async get(userId: string, taskId: string): Promise<RecurrencePattern> {
    const task = await taskFor(userId, taskId, 'read');
    const pattern = task.seriesId ? await RecurrencePatternModel.findByPk(task.seriesId) : null;
    if (!pattern) throw new NotFoundError(`recurrence of task ${taskId}`);
    return toRecurrencePattern(pattern);
  }

  /** Sets or replaces the pattern; a change applies from the next completion on. */
  async put(userId: string, taskId: string, input: RecurrenceInput): Promise<Task> {
    await assertRuleYieldsDates(input, '');
    return inUserTransaction(this.sequelize, userId, async (transaction) => {
      const task = await taskFor(userId, taskId, 'write', transaction);
      // The zone of the list's owner of record: the one the series' dates are counted in.
      const { timezone } = await getPreferences(task.userId, transaction);
      const pattern = normalizePattern(input, task.dueDate, timezone, '');
      if (!task.seriesId) {
        task.seriesId = task.id;
        task.occurrenceIndex = 1;
      }
      await RecurrencePatternModel.upsert(
        { seriesId: task.seriesId, userId: task.userId, ...patternColumns(pattern) },
        { transaction },
      );
      return commitChange(transaction, task, 'updated', ['recurrence'], userId);
    });
  }

  /** Ends the series: no further instances; existing ones stay. */
  async remove(userId: string, taskId: string): Promise<Task> {
    return inUserTransaction(this.sequelize, userId, async (transaction) => {
      const task = await taskFor(userId, taskId, 'write', transaction);
      const deleted = task.seriesId
        ? await RecurrencePatternModel.destroy({ where: { seriesId: task.seriesId }, transaction })
        : 0;
      if (deleted === 0) throw new NotFoundError(`recurrence of task ${taskId}`);
      return commitChange(transaction, task, 'updated', ['recurrence'], userId);
    });
  }

  /** Every live instance of the task's series, first to last. */
  async instances(userId: string, taskId: string): Promise<Task[]> {
    const task = await taskFor(userId, taskId, 'read');
    if (!task.seriesId) return [await toDto(task)];
    const pattern = await RecurrencePatternModel.findByPk(task.seriesId);
    const rows = await TaskModel.findAll({
      where: { seriesId: task.seriesId, userId: task.userId },
      order: [['occurrenceIndex', 'ASC']],
    });
    return rows.filter((r) => r.status !== 'deleted').map((r) => toTaskDto(r, pattern));
  }

  /**
   * Creates the instance an `occurrence.due` event asks for: the one after a completed
   * instance. The date comes from the pattern and the owner's zone as they are now, under the
   * user's lock. Exactly once per occurrence: the event id is recorded with the instance, and
   * the series' unique (series, occurrence) index turns a concurrent second delivery into
   * `already-created`. A reopened task, an ended series or a completion no longer current
   * (it was reopened and completed again: that completion has its own event) creates nothing.
   */
  async createOccurrence(due: OccurrenceDueData, eventId: string): Promise<NextInstanceResult> {
    try {
      return await inUserTransaction(this.sequelize, due.userId, async (transaction) => {
        const [, first] = await ProcessedEventModel.findOrCreate({
          where: { eventId, consumer: NEXT_INSTANCE_CONSUMER },
          transaction,
        });
        if (!first) return { created: false, task: null, reason: 'already-created' };
        const done = await TaskModel.findByPk(due.completedTaskId, { transaction });
        if (!done || done.userId !== due.userId || done.status !== 'completed')
          return { created: false, task: null, reason: 'not-completed' };
        const pattern = done.seriesId
          ? await RecurrencePatternModel.findByPk(done.seriesId, { transaction })
          : null;
        if (!pattern || !done.seriesId)
          return { created: false, task: null, reason: 'series-ended' };
        const index = (done.occurrenceIndex ?? 1) + 1;
        const existing = await TaskModel.findOne({
          where: { seriesId: done.seriesId, occurrenceIndex: index },
          transaction,
        });
        if (existing)
          return { created: false, task: toTaskDto(existing, pattern), reason: 'already-created' };
        const { timezone } = await getPreferences(due.userId, transaction);
        const dueDate = nextOccurrence({
          pattern: toRecurrencePattern(pattern),
          timeZone: timezone,
          previousDue: done.dueDate,
          completedAt: done.completedAt ?? new Date(),
          occurrenceIndex: done.occurrenceIndex ?? 1,
        });
        if (!dueDate) return { created: false, task: null, reason: 'series-ended' };
        const next = TaskModel.build({
          id: randomUUID(),
          userId: due.userId,
          // The next instance stays in the list of the one completed (moved or not).
          listId: done.listId,
          title: done.title,
          description: done.description,
          priority: done.priority,
          tags: done.tags,
          dueDate,
          reminderEnabled: done.reminderEnabled,
          reminderOffset: done.reminderOffset,
          reminderChannels: done.reminderChannels,
          // Whoever it was assigned to stays on it (and gets its reminder, ADR 376); a member
          // removed since was unassigned from every task of the list then.
          assigneeId: done.assigneeId,
          seriesId: done.seriesId,
          parentTaskId: done.id,
          occurrenceIndex: index,
          completedAt: null,
          deletedAt: null,
        });
        // Made by whoever completed the instance before it (ADR 373): the one whose action it
        // follows from, so a shared list shows "added by Ada" rather than by nobody.
        const task = await commitChange(
          transaction,
          next,
          'created',
          ['title', 'dueDate', 'recurrence'],
          done.changedBy ?? null,
        );
        this.logger.info(
          { taskId: task.id, userId: due.userId, seriesId: done.seriesId, index, eventId },
          'next recurring instance created',
        );
        return { created: true, task };
      });
    } catch (error) {
      // A concurrent delivery of the same occurrence won the race: nothing more to do.
      if (error instanceof UniqueConstraintError)
        return { created: false, task: null, reason: 'already-created' };
      throw error;
    }
  }
}
