import { QueryTypes, type Transaction } from 'sequelize';
import {
  DEFAULT_NOTIFICATION_PREFERENCES,
  NOTIFICATION_CREATED_TYPE,
  PREFERENCES_UPDATED_TYPE,
  TASK_CHANGED_TYPE,
  TASK_EVENT_TYPES,
  TOPICS,
  type CloudEvent,
  type Notification,
  type NotificationPreferences,
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

/**
 * A statement writing the task row itself, numbering its parameters from `first`; it must
 * return one row (`RETURNING id`), or the change is not recorded.
 */
export type RowWrite = (first: number) => { sql: string; bind: unknown[] };

/**
 * Records one change of a task inside the caller's transaction: a change-feed row and the
 * `task-events` and `task-updates` CloudEvents. Either all of it commits with the task, or none.
 * Returns the change's feed cursor.
 */
export async function recordTaskChange(
  transaction: Transaction,
  change: { action: TaskChangeAction; task: Task; changedFields: string[] },
  taskWrite?: RowWrite,
): Promise<string> {
  const { action, task, changedFields } = change;
  const createdAt = new Date();
  const taskEvent = buildCloudEvent<TaskEventData, string>({
    type: TASK_EVENT_TYPES[action],
    taskId: task.id,
    userId: task.userId,
    // The owner's preferences are filled in by the statement below, read in the same
    // transaction (defaults when they never saved any); the workers need them for the reminder.
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
      seq: '', // the feed row's, set by the statement below
      timestamp: createdAt.toISOString(),
    },
  });
  // The task row (when given), the feed row, both events (the second carrying the feed row's
  // seq) and the relay's wake-up in one statement, so one round trip; seq and outbox ids are
  // still allocated under the caller's user lock. The feed row is inserted only if the task
  // write returned its row.
  const write = taskWrite?.(13);
  const rows = await db().query<{ seq: string }>(
    `WITH ${write ? `task_write AS (${write.sql}),` : ''}
     change AS (
       INSERT INTO task_changes (user_id, task_id, action, changed_fields, snapshot, created_at)
       SELECT $1, $2, $3, $4::text[], $5::jsonb, $6::timestamptz
       ${write ? 'FROM task_write' : ''}
       RETURNING seq),
     events AS (
       INSERT INTO outbox (event_id, topic, partition_key, payload)
       SELECT e.event_id, e.topic, $1,
         CASE WHEN e.ord = 2
           THEN jsonb_set(e.payload, '{data,seq}', to_jsonb(change.seq::text))
           ELSE jsonb_set(e.payload, '{data,preferences}', COALESCE(
             (SELECT jsonb_build_object(
                'emailEnabled', p.email_enabled, 'pushEnabled', p.push_enabled,
                'quietHoursStart', p.quiet_hours_start, 'quietHoursEnd', p.quiet_hours_end,
                'timezone', p.timezone, 'timezoneChosen', p.timezone_chosen,
                'defaultReminderOffset', p.default_reminder_offset)
              FROM notification_preferences p WHERE p.user_id = $1),
             e.payload #> '{data,preferences}')) END
       FROM change,
         (VALUES (1, $7::uuid, $8::text, $9::jsonb), (2, $10::uuid, $11::text, $12::jsonb))
           AS e(ord, event_id, topic, payload)
       ORDER BY e.ord
       RETURNING id)
     SELECT change.seq::text AS seq, pg_notify('${OUTBOX_CHANNEL}', '') FROM change`,
    {
      bind: [
        task.userId,
        task.id,
        action,
        changedFields,
        JSON.stringify(task),
        createdAt,
        taskEvent.id,
        TOPICS.taskEvents,
        JSON.stringify(taskEvent),
        changedEvent.id,
        TOPICS.taskUpdates,
        JSON.stringify(changedEvent),
        ...(write?.bind ?? []),
      ],
      transaction,
      type: QueryTypes.SELECT,
    },
  );
  const seq = rows[0]?.seq;
  if (!seq) throw new Error('the change-feed row was not inserted');
  return seq;
}

/** Records a `com.todo.notification.created` event: socket nodes push it to the owner's tabs. */
export async function recordNotificationCreated(
  transaction: Transaction,
  notification: Notification,
): Promise<void> {
  const event = buildCloudEvent({
    type: NOTIFICATION_CREATED_TYPE,
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
  preferences: NotificationPreferences,
): Promise<void> {
  const event = buildCloudEvent({
    type: PREFERENCES_UPDATED_TYPE,
    subject: `users/${userId}`,
    userId,
    data: { userId, preferences },
  });
  await enqueue(transaction, [[TOPICS.taskEvents, event]]);
}
