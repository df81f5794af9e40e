import type { Sequelize } from 'sequelize';
import { randomUUID } from 'node:crypto';
import {
  reminderJobId,
  type Reminder,
  type ReminderFiredData,
  type Task,
  type UpdateReminderInput,
} from '@todo/contracts';
import type { Logger } from '@todo/platform';
import { recordNotificationCreated } from '../data-access/events/outbox-writer.js';
import { NotificationModel, TaskModel } from '../data-access/models/index.js';
import { markProcessed } from '../data-access/processed-events.js';
import { isReminderRecipient } from '../data-access/list-members.js';
import { toNotificationDto } from './notification-service.js';
import { reminderTime } from '../data-access/task-mapper.js';
import { commitChange, toDto } from '../data-access/task-repository.js';
import { taskFor } from './list-policy.js';
import { inUserTransaction } from '../data-access/user-transaction.js';

/** schedule_view's `reminder_published` reads this consumer's rows (migration 008). */
const REMINDER_CONSUMER = 'api.reminder-due';
const REMINDER_FIRED_CONSUMER = 'api.reminder-fired';
const REMINDER_RECIPIENT_CONSUMER = 'api.reminder-recipient';

export function toReminder(task: TaskModel): Reminder {
  return {
    enabled: task.reminderEnabled,
    offsetMinutes: task.reminderOffset,
    channels: task.reminderChannels,
    scheduledFor: reminderTime(task)?.toISOString() ?? null,
  };
}

export type ReminderFiredOutcome = 'stored' | 'duplicate' | 'stale';

/** A task's reminder settings, and storing the notification a fired batch of reminders became. */
export class ReminderService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly logger: Logger,
  ) {}

  async get(userId: string, taskId: string): Promise<Reminder> {
    return toReminder(await taskFor(userId, taskId, 'read'));
  }

  async update(
    userId: string,
    taskId: string,
    input: UpdateReminderInput,
  ): Promise<{ reminder: Reminder; task: Task }> {
    return inUserTransaction(this.sequelize, userId, async (transaction) => {
      const task = await taskFor(userId, taskId, 'write', transaction);
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
      const dto = changed.length
        ? await commitChange(transaction, task, 'updated', changed, userId)
        : null;
      return { reminder: toReminder(task), task: dto ?? (await toDto(task, transaction)) };
    });
  }

  /**
   * Stores the inbox row of a `reminder.fired` batch and announces it on `notifications`, in
   * one transaction. Idempotent per event id and per reminder job: a redelivered event, or a
   * reminder rebuilt by the reconciler after it was stored, adds nothing. Reminders whose
   * task no longer wants them at that time (completed, deleted or moved meanwhile) are left
   * out; a batch left empty stores nothing.
   */
  async recordFired(fired: ReminderFiredData, eventId: string): Promise<ReminderFiredOutcome> {
    const outcome = await inUserTransaction(this.sequelize, fired.userId, async (transaction) => {
      // On the path of every reminder to the screen: one statement per step (ADR 280).
      if (!(await markProcessed(transaction, eventId, REMINDER_FIRED_CONSUMER)))
        return 'duplicate' as const;
      const taskIds: string[] = [];
      for (const reminder of fired.reminders) {
        const at = new Date(reminder.scheduledFor);
        const task = await TaskModel.findByPk(reminder.taskId, { transaction });
        const wanted = task ? reminderTime(task) : null;
        if (!wanted || wanted.getTime() !== at.getTime()) continue;
        // Still one of its recipients now (ADR 376): a member removed, unassigned or opted
        // out since the workers read the list gets nothing.
        if (!(await isReminderRecipient(reminder.taskId, fired.userId, transaction))) continue;
        const jobId = reminderJobId(reminder.taskId, at);
        // Keyed by the reminder's job id, which schedule_view reads (ADR 100): once any
        // recipient's is stored, the reminder is never rebuilt.
        await markProcessed(transaction, jobId, REMINDER_CONSUMER);
        // Keyed by reminder and recipient: each recipient's is stored once.
        const fresh = await markProcessed(
          transaction,
          `${jobId}:${fired.userId}`,
          REMINDER_RECIPIENT_CONSUMER,
        );
        if (fresh && !taskIds.includes(reminder.taskId)) taskIds.push(reminder.taskId);
      }
      if (taskIds.length === 0) return 'stale' as const;
      // The user lock is held: nobody else can insert this key between the two statements.
      const model =
        (await NotificationModel.findOne({
          where: { idempotencyKey: fired.idempotencyKey },
          transaction,
        })) ??
        (await NotificationModel.create(
          {
            id: randomUUID(),
            userId: fired.userId,
            title: fired.title,
            body: fired.body,
            taskIds,
            channels: fired.channels,
            deliveries: fired.deliveries ?? [],
            idempotencyKey: fired.idempotencyKey,
            readAt: null,
          },
          { transaction },
        ));
      await recordNotificationCreated(transaction, toNotificationDto(model));
      return 'stored' as const;
    });
    this.logger.info(
      { userId: fired.userId, eventId, outcome, reminders: fired.reminders.length },
      'reminder batch received',
    );
    return outcome;
  }
}
