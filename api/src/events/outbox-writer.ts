import type { Transaction } from 'sequelize';
import {
  REMINDER_DUE_TYPE,
  TASK_CHANGED_TYPE,
  TASK_EVENT_TYPES,
  TOPICS,
  type CloudEvent,
  type ReminderDueData,
  type Task,
  type TaskChangeAction,
  type TaskChangedData,
  type TaskEventData,
  type Topic,
} from '@todo/contracts';
import { OutboxEventModel, TaskChangeModel } from '../models/index.js';
import { buildCloudEvent } from './cloud-event-factory.js';

/** Channel the relay LISTENs on; NOTIFY is delivered at commit, so it never sees uncommitted rows. */
export const OUTBOX_CHANNEL = 'outbox_pending';

/** Inserts the events and wakes the relay; NOTIFY is delivered at commit, once per transaction. */
async function enqueue(transaction: Transaction, events: [Topic, CloudEvent][]): Promise<void> {
  await OutboxEventModel.bulkCreate(
    events.map(([topic, event]) => ({
      eventId: event.id,
      topic,
      partitionKey: event.userid,
      payload: event,
    })),
    { transaction },
  );
  await OutboxEventModel.sequelize!.query(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`, {
    transaction,
  });
}

/**
 * Records one change of a task inside the caller's transaction: a change-feed row and the
 * `task-events` and `task-updates` CloudEvents. Either all of it commits with the task, or none.
 * Returns the change's feed cursor.
 */
export async function recordTaskChange(
  transaction: Transaction,
  change: { action: TaskChangeAction; task: Task; changedFields: string[] },
): Promise<string> {
  const { action, task, changedFields } = change;
  const row = await TaskChangeModel.create(
    { userId: task.userId, taskId: task.id, action, changedFields, snapshot: task },
    { transaction },
  );
  const seq = String(row.seq);
  const taskEvent = buildCloudEvent<TaskEventData, string>({
    type: TASK_EVENT_TYPES[action],
    taskId: task.id,
    userId: task.userId,
    data: { task, changedFields },
  });
  const changedEvent = buildCloudEvent<TaskChangedData, typeof TASK_CHANGED_TYPE>({
    type: TASK_CHANGED_TYPE,
    taskId: task.id,
    userId: task.userId,
    data: {
      action,
      taskId: task.id,
      userId: task.userId,
      task,
      changedFields,
      seq,
      timestamp: row.createdAt.toISOString(),
    },
  });
  await enqueue(transaction, [
    [TOPICS.taskEvents, taskEvent],
    [TOPICS.taskUpdates, changedEvent],
  ]);
  return seq;
}

/** Records a `com.todo.reminder.due` event for the notification worker. */
export async function recordReminderDue(
  transaction: Transaction,
  data: ReminderDueData,
): Promise<CloudEvent<ReminderDueData>> {
  const event = buildCloudEvent({
    type: REMINDER_DUE_TYPE,
    taskId: data.taskId,
    userId: data.userId,
    data,
  });
  await enqueue(transaction, [[TOPICS.reminders, event]]);
  return event;
}
