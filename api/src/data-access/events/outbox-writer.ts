import { QueryTypes, type Transaction } from 'sequelize';
import type { NOTIFICATION_UPDATED_TYPE } from '@todo/contracts';
import {
  DEFAULT_NOTIFICATION_PREFERENCES,
  LIST_CHANGED_TYPE,
  MEMBER_CHANGED_TYPE,
  NOTIFICATION_CREATED_TYPE,
  PREFERENCES_UPDATED_TYPE,
  TASK_CHANGED_TYPE,
  TASK_EVENT_TYPES,
  TEST_NOTIFICATION_REQUESTED_TYPE,
  TOPICS,
  USER_DELETED_TYPE,
  type CloudEvent,
  type ListChangedData,
  type MemberChangedData,
  type Notification,
  type PreferencesUpdatedData,
  type ReminderPreferences,
  type Task,
  type TaskChangeAction,
  type TaskChangedData,
  type TaskEventData,
  type Topic,
} from '@todo/contracts';
import { OutboxEventModel } from '../models/index.js';
import { buildCloudEvent } from './cloud-event-factory.js';

/** Channel the relay LISTENs on; NOTIFY is delivered at commit, so it never sees uncommitted rows. */
export const OUTBOX_CHANNEL = 'outbox_pending';

// Raw SQL on purpose (decision 040): every write runs these, and one statement is one round
// trip where the models took three.
const db = () => OutboxEventModel.sequelize!;

/**
 * Inserts the events in order (outbox ids follow it) and wakes the relay, in one statement.
 * NOTIFY is delivered at commit, once per transaction.
 */
async function enqueue(transaction: Transaction, events: [Topic, CloudEvent][]): Promise<void> {
  const rows = events.map(([topic, event]) => ({
    event_id: event.id,
    topic,
    partition_key: event.userid,
    payload: event,
  }));
  await db().query(
    `WITH events AS (
       INSERT INTO outbox (event_id, topic, partition_key, payload)
       SELECT e.event_id, e.topic, e.partition_key, e.payload
       FROM ROWS FROM (
         jsonb_to_recordset($1::jsonb)
           AS (event_id uuid, topic text, partition_key text, payload jsonb)
       ) WITH ORDINALITY AS e(event_id, topic, partition_key, payload, ord)
       ORDER BY e.ord
       RETURNING id)
     SELECT pg_notify('${OUTBOX_CHANNEL}', '')`,
    { bind: [JSON.stringify(rows)], transaction, type: QueryTypes.SELECT },
  );
}

/** The CloudEvents one task change publishes, each with the topic it goes to. */
export interface TaskChangeEvents {
  /** `task-events`: the change for the workers. */
  taskEvent: { topic: Topic; event: CloudEvent<TaskEventData, string> };
  /**
   * `task-updates`: the change for the tabs. Its `data.seq` is the change-feed row's, known
   * only once that row is inserted: the statement writing both sets it (task-repository.ts).
   */
  changedEvent: { topic: Topic; event: CloudEvent<TaskChangedData, typeof TASK_CHANGED_TYPE> };
}

/** Builds the events of one change of a task; the caller inserts them with the change. */
export function taskChangeEvents(
  change: { action: TaskChangeAction; task: Task; changedFields: string[] },
  createdAt: Date,
): TaskChangeEvents {
  const { action, task, changedFields } = change;
  const taskEvent = buildCloudEvent<TaskEventData, string>({
    type: TASK_EVENT_TYPES[action],
    taskId: task.id,
    userId: task.userId,
    // The owner's preferences are filled in by the statement inserting the change
    // (task-repository.ts), read in its transaction; the defaults when they never saved any.
    data: { task, changedFields, preferences: { ...DEFAULT_NOTIFICATION_PREFERENCES } },
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
      seq: '', // the feed row's, set by the statement inserting both
      timestamp: createdAt.toISOString(),
    },
  });
  return {
    taskEvent: { topic: TOPICS.taskEvents, event: taskEvent },
    changedEvent: { topic: TOPICS.taskUpdates, event: changedEvent },
  };
}

/**
 * Records a `com.todo.notification.created` (or, for a changed per-channel status,
 * `.updated`) event: socket nodes push it to the owner's tabs.
 */
export async function recordNotificationCreated(
  transaction: Transaction,
  notification: Notification,
  type:
    typeof NOTIFICATION_CREATED_TYPE | typeof NOTIFICATION_UPDATED_TYPE = NOTIFICATION_CREATED_TYPE,
): Promise<void> {
  const event = buildCloudEvent({
    type,
    subject: `notifications/${notification.id}`,
    userId: notification.userId,
    data: notification,
  });
  await enqueue(transaction, [[TOPICS.notifications, event]]);
}

/**
 * Records a `com.todo.preferences.updated` event on `task-events`: the workers deliver
 * reminders already scheduled by the owner's new preferences.
 */
export async function recordPreferencesUpdated(
  transaction: Transaction,
  userId: string,
  preferences: PreferencesUpdatedData['preferences'],
): Promise<void> {
  const event = buildCloudEvent({
    type: PREFERENCES_UPDATED_TYPE,
    subject: `users/${userId}`,
    userId,
    data: { userId, preferences },
  });
  await enqueue(transaction, [[TOPICS.taskEvents, event]]);
}

/**
 * Records a `com.todo.notification.test-requested` event on `task-events`: the workers send a
 * test notification on every channel the preferences (and address) carried here allow.
 */
export async function recordTestNotificationRequested(
  transaction: Transaction,
  userId: string,
  requestId: string,
  preferences: ReminderPreferences,
): Promise<void> {
  const event = buildCloudEvent({
    type: TEST_NOTIFICATION_REQUESTED_TYPE,
    subject: `users/${userId}`,
    userId,
    data: { userId, requestId, preferences },
  });
  await enqueue(transaction, [[TOPICS.taskEvents, event]]);
}

/**
 * Records a `com.todo.list.changed` event on `task-updates` (same partition key as the user's
 * task changes, so a tab sees a list made before a task moved into it): socket nodes push it
 * to the owner's tabs as `list_update`.
 */
export async function recordListChanged(
  transaction: Transaction,
  data: ListChangedData,
): Promise<void> {
  const event = buildCloudEvent({
    type: LIST_CHANGED_TYPE,
    subject: `lists/${data.listId}`,
    userId: data.userId,
    data,
  });
  await enqueue(transaction, [[TOPICS.taskUpdates, event]]);
}

/**
 * Records a `com.todo.list.member-changed` event on `task-updates` (keyed by the list's owner of
 * record, like the list's own changes): socket nodes push it as `member_update` to the list's
 * room and to the member's own room.
 */
export async function recordMemberChanged(
  transaction: Transaction,
  data: MemberChangedData,
): Promise<void> {
  const event = buildCloudEvent({
    type: MEMBER_CHANGED_TYPE,
    subject: `lists/${data.listId}/members/${data.member.userId}`,
    userId: data.userId,
    data,
  });
  await enqueue(transaction, [[TOPICS.taskUpdates, event]]);
}

/**
 * Records a `com.todo.user.deleted` event on `task-events`, in the transaction that erases the
 * account's rows: the workers then drop its scheduled jobs (ADR 262).
 */
export async function recordUserDeleted(
  transaction: Transaction,
  userId: string,
  deletedAt: Date,
): Promise<void> {
  const event = buildCloudEvent({
    type: USER_DELETED_TYPE,
    subject: `users/${userId}`,
    userId,
    data: { userId, deletedAt: deletedAt.toISOString() },
  });
  await enqueue(transaction, [[TOPICS.taskEvents, event]]);
}
