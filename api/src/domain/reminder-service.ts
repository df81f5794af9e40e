import type { Sequelize } from 'sequelize';
import type { Reminder, Task, UpdateReminderInput } from '@todo/contracts';
import { recordReminderDue } from '../data-access/events/outbox-writer.js';
import { NotFoundError } from './errors.js';
import type { Logger } from '@todo/platform';
import { ProcessedEventModel, TaskModel } from '../data-access/models/index.js';
import { reminderTime } from '../data-access/task-mapper.js';
import { commitChange, loadOwnedTask, toDto } from '../data-access/task-repository.js';
import { inUserTransaction } from '../data-access/user-transaction.js';

const REMINDER_DUE_CONSUMER = 'api.reminder-due';

export function toReminder(task: TaskModel): Reminder {
  return {
    enabled: task.reminderEnabled,
    offsetMinutes: task.reminderOffset,
    channels: task.reminderChannels,
    scheduledFor: reminderTime(task)?.toISOString() ?? null,
  };
}

export type ReminderDueOutcome = 'published' | 'already-published' | 'stale';

/** A task's reminder settings, and turning a fired reminder job into a `reminder.due` event. */
export class ReminderService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly logger: Logger,
  ) {}

  async get(userId: string, taskId: string): Promise<Reminder> {
    return toReminder(await loadOwnedTask(userId, taskId));
  }

  async update(
    userId: string,
    taskId: string,
    input: UpdateReminderInput,
  ): Promise<{ reminder: Reminder; task: Task }> {
    return inUserTransaction(this.sequelize, userId, async (transaction) => {
      const task = await loadOwnedTask(userId, taskId, transaction);
      const changed: string[] = [];
      if (input.offsetMinutes !== undefined && input.offsetMinutes !== task.reminderOffset) {
        task.reminderOffset = input.offsetMinutes;
        changed.push('reminderOffset');
      }
      if (input.enabled !== undefined && input.enabled !== task.reminderEnabled) {
        task.reminderEnabled = input.enabled;
        changed.push('reminderEnabled');
      }
      if (
        input.channels &&
        JSON.stringify(input.channels) !== JSON.stringify(task.reminderChannels)
      ) {
        task.reminderChannels = input.channels;
        changed.push('reminderChannels');
      }
      if (task.reminderEnabled && task.reminderOffset === null) {
        // Enabling without an offset means "at the due time".
        task.reminderOffset = 0;
        changed.push('reminderOffset');
      }
      const dto = changed.length ? await commitChange(transaction, task, 'updated', changed) : null;
      return { reminder: toReminder(task), task: dto ?? (await toDto(task, transaction)) };
    });
  }

  /**
   * Called by the reminder scheduler when a delayed job fires. Publishes `reminder.due`
   * only if the task still wants a reminder at exactly that time (a completed, deleted or
   * rescheduled task is `stale`), and only once per job id.
   */
  async publishDue(taskId: string, scheduledFor: Date, jobId: string): Promise<ReminderDueOutcome> {
    const owner = await TaskModel.findByPk(taskId, { attributes: ['userId'] });
    if (!owner) throw new NotFoundError(`task ${taskId}`);
    const outcome = await inUserTransaction(this.sequelize, owner.userId, async (transaction) => {
      const task = await TaskModel.findByPk(taskId, { transaction });
      const at = task ? reminderTime(task) : null;
      if (!task || !at || !task.dueDate || at.getTime() !== scheduledFor.getTime())
        return 'stale' as const;
      const [, created] = await ProcessedEventModel.findOrCreate({
        where: { eventId: jobId, consumer: REMINDER_DUE_CONSUMER },
        transaction,
      });
      if (!created) return 'already-published' as const;
      await recordReminderDue(transaction, {
        taskId: task.id,
        userId: task.userId,
        title: task.title,
        dueDate: task.dueDate.toISOString(),
        scheduledFor: at.toISOString(),
        offsetMinutes: task.reminderOffset ?? 0,
        channels: task.reminderChannels,
      });
      return 'published' as const;
    });
    this.logger.info({ taskId, userId: owner.userId, jobId, outcome }, 'reminder due');
    return outcome;
  }
}
