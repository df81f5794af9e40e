import { QueryTypes, type Transaction } from 'sequelize';
import type { ListRole, RecurrencePattern, Task, TaskChangeAction } from '@todo/contracts';
import { OUTBOX_CHANNEL, taskChangeEvents } from './events/outbox-writer.js';
import { activityInsertSql, activityRecordset, taskActivity } from './list-activity.js';
import { RecurrencePatternModel, TaskModel } from './models/index.js';
import { toTaskDto } from './task-mapper.js';
import { userLockSql } from './user-transaction.js';

// The repository of tasks: the only module that writes a task row, and it writes the row, its
// change-feed row and its outbox events together. The hot paths use hand-written SQL
// (decision 040): Sequelize's query building and save() cost more CPU than the queries
// themselves. Models are still what callers get.

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
 * A task by id with `userId`'s role in its list (null: not a member); null when there is no
 * such task or it is deleted (unless `includeDeleted`). Callers decide access through the
 * policy (domain/list-policy.ts `taskFor`). Inside a transaction its one statement first takes
 * the advisory locks of every member of the task's list and of `userId`, sorted (ADR 321), and
 * then the row lock, so it may be a transaction's first statement.
 */
export async function loadTaskWithRole(
  userId: string,
  id: string,
  transaction?: Transaction,
  options: { includeDeleted?: boolean } = {},
): Promise<{ task: TaskModel; role: ListRole | null } | null> {
  const role = `(SELECT m.role FROM list_members m
     WHERE m.list_id = tasks.list_id AND m.user_id = $2) AS "__role"`;
  const sql = transaction
    ? `SELECT ${taskColumns()}, ${role}
       FROM (SELECT count(${userLockSql('l.user_id')}) FROM (
         SELECT user_id FROM list_members
         WHERE list_id = (SELECT list_id FROM tasks WHERE id = $1)
         UNION SELECT $2::text ORDER BY 1) AS l) AS user_locks, tasks
       WHERE id = $1 FOR UPDATE OF tasks`
    : `SELECT ${taskColumns()}, ${role} FROM tasks WHERE id = $1`;
  const rows = await TaskModel.sequelize!.query<Record<string, unknown>>(sql, {
    bind: [id, userId],
    type: QueryTypes.SELECT,
    ...(transaction ? { transaction } : {}),
  });
  const row = rows[0];
  if (!row || (row.status === 'deleted' && !options.includeDeleted)) return null;
  const { __role, ...columns } = row;
  return {
    task: TaskModel.build(columns as never, { isNewRecord: false, raw: true }),
    role: (__role as ListRole | null) ?? null,
  };
}

/**
 * The next instance a completion of `task` created, if it is still live: the series' following
 * occurrence whose parent is `task`.
 */
export async function liveNextInstance(
  task: TaskModel,
  transaction: Transaction,
): Promise<TaskModel | null> {
  if (!task.seriesId || task.occurrenceIndex === null) return null;
  const next = await TaskModel.findOne({
    where: {
      userId: task.userId,
      seriesId: task.seriesId,
      parentTaskId: task.id,
      occurrenceIndex: task.occurrenceIndex + 1,
    },
    transaction,
    lock: transaction.LOCK.UPDATE,
  });
  return next && next.status !== 'deleted' ? next : null;
}

/**
 * The recurrence a task had before it was deleted (deleting an instance ends its series, so
 * the pattern row is gone): the last change-feed snapshot from before the deletion.
 */
export async function recurrenceBeforeDeletion(
  task: TaskModel,
  transaction: Transaction,
): Promise<RecurrencePattern | null> {
  const rows = await TaskModel.sequelize!.query<{ recurrence: RecurrencePattern | null }>(
    `SELECT snapshot->'recurrence' AS recurrence FROM task_changes
     WHERE user_id = $1 AND task_id = $2 AND action <> 'deleted'
     ORDER BY seq DESC LIMIT 1`,
    { bind: [task.userId, task.id], type: QueryTypes.SELECT, transaction },
  );
  return rows[0]?.recurrence ?? null;
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

/** Bind parameters numbered in the order they are added, so no statement counts `$n` by hand. */
class Binds {
  readonly values: unknown[] = [];
  /** The placeholder of `value`, e.g. `$3`. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The INSERT of a new task, or the UPDATE of its changed columns; it returns the row's id. */
function taskWrite(task: TaskModel, binds: Binds): string {
  const values = task.get({ plain: true }) as Record<string, unknown>;
  if (task.isNewRecord) {
    const keys = Object.keys(values).filter((key) => values[key] !== undefined);
    return `INSERT INTO tasks (${keys.map(columnOf).join(', ')}) VALUES (${keys
      .map((key) => binds.add(values[key]))
      .join(', ')}) RETURNING id`;
  }
  const keys = [...new Set(task.changed() || [])].filter((key) => key !== 'id');
  return `UPDATE tasks SET ${keys
    .map((key) => `${columnOf(key)} = ${binds.add(values[key])}`)
    .join(', ')} WHERE id = ${binds.add(task.id)} RETURNING id`;
}

/**
 * Persists a change of `task` made by `actorId` (null: nobody's request, ADR 373): bumps its
 * version, saves it with its author, and records the change-feed row, the list's activity
 * entries and the outbox events (`task-events`, `task-updates`) in the same transaction.
 * Returns the task as clients see it.
 */
export async function commitChange(
  transaction: Transaction,
  task: TaskModel,
  action: TaskChangeAction,
  changedFields: string[],
  actorId: string | null,
): Promise<Task> {
  const now = new Date();
  const previousListId = task.isNewRecord
    ? null
    : ((task.previous('listId') as string | undefined) ?? null);
  if (action !== 'created') task.version += 1;
  if (task.isNewRecord) task.createdAt = now;
  task.updatedAt = now;
  task.changedBy = actorId;
  task.changed('updatedAt', true);
  task.changed('version', true);
  task.changed('changedBy', true);
  const dto = await toDto(task, transaction);
  const activity = taskActivity(dto, action, changedFields, previousListId);
  const { taskEvent, changedEvent } = taskChangeEvents({ action, task: dto, changedFields }, now);

  // The task row, the feed row, the activity entries, both events (the second carrying the
  // feed row's seq) and the relay's wake-up in one statement, so one round trip; seq and outbox ids are still
  // allocated under the caller's user lock. The feed row is inserted only if the task write
  // returned its row; NOTIFY is delivered at commit.
  const binds = new Binds();
  const userId = binds.add(dto.userId);
  const rows = await TaskModel.sequelize!.query<{ seq: string }>(
    `WITH task_write AS (${taskWrite(task, binds)}),
     change AS (
       INSERT INTO task_changes
         (user_id, task_id, action, changed_fields, snapshot, created_at, list_id)
       SELECT ${userId}, ${binds.add(dto.id)}, ${binds.add(action)},
         ${binds.add(changedFields)}::text[], ${binds.add(JSON.stringify(dto))}::jsonb,
         ${binds.add(now)}::timestamptz, ${binds.add(dto.listId)}::uuid
       FROM task_write
       RETURNING seq),
     activity AS (${activityInsertSql(
       `(SELECT ${binds.add(activityRecordset(activity))}::jsonb FROM change)`,
       `${binds.add(actorId)}::text`,
       `${binds.add(now)}::timestamptz`,
     )}),
     events AS (
       INSERT INTO outbox (event_id, topic, partition_key, payload)
       SELECT e.event_id, e.topic, ${userId},
         CASE WHEN e.ord = 2
           THEN jsonb_set(e.payload, '{data,seq}', to_jsonb(change.seq::text))
           -- task-events carries the owner's preferences as they are in this transaction
           -- (the defaults already in the payload when they never saved any): ADR 120.
           ELSE jsonb_set(e.payload, '{data,preferences}', COALESCE(
             (SELECT jsonb_build_object(
                'emailEnabled', p.email_enabled, 'pushEnabled', p.push_enabled,
                'quietHoursStart', p.quiet_hours_start, 'quietHoursEnd', p.quiet_hours_end,
                'timezone', p.timezone, 'timezoneChosen', p.timezone_chosen,
                'defaultReminderOffset', p.default_reminder_offset)
              FROM notification_preferences p WHERE p.user_id = ${userId}),
             e.payload #> '{data,preferences}')
             -- and where reminder mail goes (migration 011; schedule_view reads the same).
             || COALESCE((SELECT jsonb_build_object('email', u.email,
                    'emailVerified', COALESCE(u."emailVerified", false))
                  FROM "user" u WHERE u.id = ${userId}), '{}'::jsonb)) END
       FROM change,
         (VALUES
           (1, ${binds.add(taskEvent.event.id)}::uuid, ${binds.add(taskEvent.topic)}::text,
             ${binds.add(JSON.stringify(taskEvent.event))}::jsonb),
           (2, ${binds.add(changedEvent.event.id)}::uuid, ${binds.add(changedEvent.topic)}::text,
             ${binds.add(JSON.stringify(changedEvent.event))}::jsonb))
           AS e(ord, event_id, topic, payload)
       ORDER BY e.ord
       RETURNING id)
     SELECT change.seq::text AS seq, pg_notify('${OUTBOX_CHANNEL}', '') FROM change`,
    { bind: binds.values, transaction, type: QueryTypes.SELECT },
  );
  if (!rows[0]?.seq) throw new Error('the change-feed row was not inserted');
  // The model now matches its row, as after save().
  task.isNewRecord = false;
  for (const key of task.changed() || []) task.changed(key as TaskKey, false);
  return dto;
}

/**
 * Hands a task (and its series' pattern) to the account of another list's owner of record
 * before it moves there: a task's `user_id` is always its list's owner of record (ADR 321).
 */
export async function moveToOwner(
  task: TaskModel,
  ownerId: string,
  transaction: Transaction,
): Promise<void> {
  if (task.seriesId)
    await RecurrencePatternModel.update(
      { userId: ownerId },
      { where: { seriesId: task.seriesId }, transaction },
    );
  task.userId = ownerId;
}

/**
 * Unassigns the member's tasks of the list (they left it, or their account is going), each as
 * a change every member hears of and the list's log records, by `actorId`. Needs the locks
 * of the list's members held (ADR 321).
 */
export async function unassignMember(
  listId: string,
  memberId: string,
  actorId: string,
  transaction: Transaction,
): Promise<void> {
  const tasks = await TaskModel.findAll({
    where: { listId, assigneeId: memberId },
    transaction,
    lock: transaction.LOCK.UPDATE,
  });
  for (const task of tasks) {
    task.assigneeId = null;
    await commitChange(transaction, task, 'updated', ['assigneeId'], actorId);
  }
}
