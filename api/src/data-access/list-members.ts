import { QueryTypes, type Transaction } from 'sequelize';
import { REMINDER_RECIPIENT_VIEW, type ListMember, type ListRole } from '@todo/contracts';
import { ListModel } from './models/index.js';

// The rows of `list_members` (migration 017): who is in which list, as what. Only the sharing
// service writes them; the policy (domain/list-policy.ts) reads them.

const db = () => ListModel.sequelize!;

/** `userId`'s role in the list, or null when they are not a member. */
export async function roleIn(
  listId: string,
  userId: string,
  transaction?: Transaction,
): Promise<ListRole | null> {
  const rows = await db().query<{ role: ListRole }>(
    'SELECT role FROM list_members WHERE list_id = $1 AND user_id = $2',
    { bind: [listId, userId], type: QueryTypes.SELECT, ...(transaction ? { transaction } : {}) },
  );
  return rows[0]?.role ?? null;
}

/**
 * Takes the advisory lock of every member of the list and of `userId`, in one order (sorted),
 * in one statement. Every feed row of a list is then written under the lock of each reader of
 * it, so each member's feed commits in seq order as a single user's always did (ADR 321).
 */
export async function lockListMembers(
  listId: string,
  userId: string,
  transaction: Transaction,
): Promise<void> {
  await db().query(
    `SELECT count(pg_advisory_xact_lock(hashtextextended('user:' || m.user_id, 0)))
     FROM (SELECT user_id FROM list_members WHERE list_id = $1
           UNION SELECT $2::text ORDER BY 1) AS m`,
    { bind: [listId, userId], transaction },
  );
}

/**
 * `lockListMembers` for every list `userId` is a member of at once, sorted, in one statement:
 * an account's deletion writes to all of them (hands them over, or leaves them).
 */
export async function lockMembersOfListsOf(
  userId: string,
  transaction: Transaction,
): Promise<void> {
  await db().query(
    `SELECT count(pg_advisory_xact_lock(hashtextextended('user:' || m.user_id, 0)))
     FROM (SELECT DISTINCT user_id FROM list_members
           WHERE list_id IN (SELECT list_id FROM list_members WHERE user_id = $1)
           ORDER BY 1) AS m`,
    { bind: [userId], transaction },
  );
}

/** Every member with their name and address, owners first, then by when they joined. */
export async function membersOf(listId: string, transaction?: Transaction): Promise<ListMember[]> {
  const rows = await db().query<{
    userId: string;
    name: string | null;
    email: string;
    role: ListRole;
    reminders: boolean;
    joinedAt: Date;
  }>(
    `SELECT m.user_id AS "userId", u.name, u.email, m.role, m.reminders,
            m.created_at AS "joinedAt"
     FROM list_members m JOIN "user" u ON u.id = m.user_id
     WHERE m.list_id = $1
     ORDER BY (m.role = 'owner') DESC, m.created_at, m.user_id`,
    { bind: [listId], type: QueryTypes.SELECT, ...(transaction ? { transaction } : {}) },
  );
  return rows.map((row) => ({
    listId,
    userId: row.userId,
    name: row.name ?? '',
    email: row.email,
    role: row.role,
    reminders: row.reminders,
    joinedAt: new Date(row.joinedAt).toISOString(),
  }));
}

export async function upsertMember(
  listId: string,
  userId: string,
  role: ListRole,
  transaction: Transaction,
): Promise<void> {
  await db().query(
    `INSERT INTO list_members (list_id, user_id, role) VALUES ($1, $2, $3)
     ON CONFLICT (list_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
    { bind: [listId, userId, role], transaction },
  );
}

/** Whether the member gets the reminders of the list's unassigned tasks (ADR 376). */
export async function setMemberReminders(
  listId: string,
  userId: string,
  reminders: boolean,
  transaction: Transaction,
): Promise<void> {
  await db().query('UPDATE list_members SET reminders = $3 WHERE list_id = $1 AND user_id = $2', {
    bind: [listId, userId, reminders],
    transaction,
  });
}

export async function deleteMember(
  listId: string,
  userId: string,
  transaction: Transaction,
): Promise<void> {
  await db().query('DELETE FROM list_members WHERE list_id = $1 AND user_id = $2', {
    bind: [listId, userId],
    transaction,
  });
}

/** Whether a task's reminder goes to `userId` now (the rule: `reminder_recipient_view`, ADR 376). */
export async function isReminderRecipient(
  taskId: string,
  userId: string,
  transaction: Transaction,
): Promise<boolean> {
  const rows = await db().query(
    `SELECT 1 FROM ${REMINDER_RECIPIENT_VIEW} WHERE task_id = $1 AND user_id = $2`,
    { bind: [taskId, userId], type: QueryTypes.SELECT, transaction },
  );
  return rows.length > 0;
}

/** SQL: the ids of the lists `param` (a bind placeholder of the user id) is a member of. */
export const memberListIdsSql = (param: string) =>
  `(SELECT list_id FROM list_members WHERE user_id = ${param})`;
