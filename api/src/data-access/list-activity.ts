import { QueryTypes, type Transaction } from 'sequelize';
import {
  ACTIVITY_TITLE_MAX,
  type ListActivity,
  type ListActivityAction,
  type ListActivityDetails,
  type Task,
  type TaskChangeAction,
} from '@todo/contracts';
import { ListModel } from './models/index.js';

// The lists' activity logs (ADR 373): rows are only ever added, in the transaction of the change
// they record (a rolled-back change leaves none; a request replayed under its Idempotency-Key
// does not run again, so adds none), and removed by age (retention-janitor.ts, ADR 374).

/** One entry to add; the actor and the time are the change's. */
export interface ActivityEntry {
  listId: string;
  action: ListActivityAction;
  taskId?: string | null;
  taskTitle?: string | null;
  memberId?: string | null;
  details?: ListActivityDetails;
}

const titleOf = (title: string | null | undefined) =>
  title === null || title === undefined ? null : title.slice(0, ACTIVITY_TITLE_MAX);

/** The rows as a JSON array for `jsonb_to_recordset` (one bind parameter, any count). */
export function activityRecordset(entries: ActivityEntry[]): string {
  return JSON.stringify(
    entries.map((e) => ({
      list_id: e.listId,
      action: e.action,
      task_id: e.taskId ?? null,
      task_title: titleOf(e.taskTitle),
      member_id: e.memberId ?? null,
      details: e.details ?? {},
    })),
  );
}

/**
 * SQL selecting the rows of `recordset` (a placeholder of `activityRecordset`) as
 * `list_activity`'s insertable columns, for `actor` (a placeholder) at `at` (a placeholder).
 */
export const activityInsertSql = (recordset: string, actor: string, at: string): string =>
  `INSERT INTO list_activity
     (list_id, actor_id, action, task_id, task_title, member_id, details, created_at)
   SELECT a.list_id, ${actor}, a.action, a.task_id, a.task_title, a.member_id, a.details, ${at}
   FROM jsonb_to_recordset(${recordset}::jsonb)
     AS a(list_id uuid, action text, task_id uuid, task_title text, member_id text, details jsonb)`;

/** Adds entries by `actorId` in the caller's transaction (list and member changes). */
export async function recordActivity(
  transaction: Transaction,
  actorId: string | null,
  entries: ActivityEntry[],
): Promise<void> {
  if (!entries.length) return;
  await ListModel.sequelize!.query(activityInsertSql('$1', '$2', 'now()'), {
    bind: [activityRecordset(entries), actorId],
    transaction,
    type: QueryTypes.INSERT,
  });
}

/** Fields a change touches as bookkeeping of another: not worth naming in the log. */
const IMPLIED = new Set(['status', 'completedAt', 'deletedAt', 'reminderEnabled', 'listId']);

/**
 * The entries a task change makes: one in its list, or, for a move, one in each list (the list
 * it left says where it went). `previousListId` is the list it was in before this change.
 */
export function taskActivity(
  task: Task,
  action: TaskChangeAction,
  changedFields: string[],
  previousListId: string | null,
): ActivityEntry[] {
  const fields = [...new Set(changedFields.filter((f) => !IMPLIED.has(f)))];
  const base = { taskId: task.id, taskTitle: task.title };
  const withFields = (details: ListActivityDetails = {}): ListActivityDetails =>
    fields.length ? { ...details, fields } : details;
  const assigned = changedFields.includes('assigneeId') ? { memberId: task.assigneeId } : {};
  if (action === 'created')
    return [{ ...base, listId: task.listId, action: 'task.created', ...assigned }];
  if (action === 'deleted') return [{ ...base, listId: task.listId, action: 'task.deleted' }];
  if (action === 'completed')
    return [{ ...base, listId: task.listId, action: 'task.completed', details: withFields() }];
  if (previousListId && previousListId !== task.listId)
    return [
      {
        ...base,
        listId: previousListId,
        action: 'task.moved_out',
        details: withFields({ toListId: task.listId }),
      },
      {
        ...base,
        listId: task.listId,
        action: 'task.moved_in',
        ...assigned,
        details: withFields({ fromListId: previousListId }),
      },
    ];
  let kind: ListActivityAction = 'task.updated';
  if (changedFields.includes('deletedAt') && task.status !== 'deleted') kind = 'task.restored';
  else if (changedFields.includes('status') && task.status === 'pending') kind = 'task.reopened';
  else if (fields.length === 1 && fields[0] === 'assigneeId') kind = 'task.assigned';
  return [{ ...base, listId: task.listId, action: kind, ...assigned, details: withFields() }];
}

interface ActivityRow {
  id: string;
  listId: string;
  action: ListActivity['action'];
  actorId: string | null;
  actorName: string | null;
  taskId: string | null;
  taskTitle: string | null;
  memberId: string | null;
  memberName: string | null;
  details: ListActivityDetails;
  createdAt: Date;
}

const person = (id: string | null, name: string | null) => (id ? { id, name: name ?? '' } : null);

/**
 * A page of the list's log, newest first: at most `limit` entries older than entry `beforeId`
 * (from the start without it), and whether older ones remain. Access is the caller's to check.
 */
export async function activityPage(
  listId: string,
  limit: number,
  beforeId: string | null,
): Promise<{ items: ListActivity[]; more: boolean }> {
  const rows = await ListModel.sequelize!.query<ActivityRow>(
    `SELECT a.id::text AS id, a.list_id AS "listId", a.action, a.actor_id AS "actorId",
       actor.name AS "actorName", a.task_id AS "taskId", a.task_title AS "taskTitle",
       a.member_id AS "memberId", member.name AS "memberName", a.details,
       a.created_at AS "createdAt"
     FROM list_activity a
       LEFT JOIN "user" actor ON actor.id = a.actor_id
       LEFT JOIN "user" member ON member.id = a.member_id
     WHERE a.list_id = $1 AND ($2::bigint IS NULL OR a.id < $2::bigint)
     ORDER BY a.id DESC
     LIMIT $3`,
    { bind: [listId, beforeId, limit + 1], type: QueryTypes.SELECT },
  );
  return {
    items: rows.slice(0, limit).map((row) => ({
      id: row.id,
      listId: row.listId,
      action: row.action,
      actor: person(row.actorId, row.actorName),
      taskId: row.taskId,
      taskTitle: row.taskTitle,
      member: person(row.memberId, row.memberName),
      details: row.details,
      createdAt: new Date(row.createdAt).toISOString(),
    })),
    more: rows.length > limit,
  };
}
