import { randomUUID } from 'node:crypto';
import { QueryTypes, type Transaction } from 'sequelize';
import type {
  List,
  ListChangeAction,
  ListMember,
  ListRole,
  ListSummary,
  MemberChangeAction,
} from '@todo/contracts';
import { recordListChanged, recordMemberChanged } from './events/outbox-writer.js';
import { ListModel, TaskChangeModel } from './models/index.js';
import { deleteMember, membersOf, upsertMember } from './list-members.js';
import { recordActivity } from './list-activity.js';
import { unassignMember } from './task-repository.js';

// The repository of lists: the only module that writes a list row, and it writes the row, its
// change-feed row (kind 'list', same feed and cursor as tasks) and its `list.changed` event in
// the caller's transaction, which holds the owner's advisory lock (feed order, ADR 270).

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function toListDto(list: ListModel): List {
  return {
    id: list.id,
    userId: list.userId,
    name: list.name,
    color: list.color,
    position: list.position,
    isInbox: list.isInbox,
    archivedAt: iso(list.archivedAt),
    version: list.version,
    createdAt: list.createdAt.toISOString(),
    updatedAt: list.updatedAt.toISOString(),
  };
}

/** A list by id, whoever's it is, or null; callers decide access (list-policy.ts). */
export async function findList(id: string, transaction?: Transaction): Promise<ListModel | null> {
  return ListModel.findByPk(id, transaction ? { transaction, lock: transaction.LOCK.UPDATE } : {});
}

/**
 * The user's Inbox, made now if the account has none yet (accounts made after migration 016
 * get it on first use, whatever made the account). Needs the user's lock held.
 */
export async function ensureInbox(userId: string, transaction: Transaction): Promise<ListModel> {
  const inbox = await ListModel.findOne({ where: { userId, isInbox: true }, transaction });
  if (inbox) return inbox;
  const created = ListModel.build({
    id: randomUUID(),
    userId,
    name: 'Inbox',
    color: null,
    position: 0,
    isInbox: true,
    archivedAt: null,
  });
  await commitListChange(transaction, created, 'created', ['name']);
  return created;
}

/**
 * Every list the user is a member of (their own and those shared with them) in display order,
 * each with its number of open tasks, the user's role and its number of members.
 */
export async function listSummaries(userId: string): Promise<ListSummary[]> {
  const rows = await ListModel.sequelize!.query<{
    id: string;
    role: ListRole;
    open: string;
    members: string;
  }>(
    `SELECT m.list_id AS id, m.role,
       (SELECT count(*) FROM tasks t WHERE t.list_id = m.list_id AND t.status = 'pending') AS open,
       (SELECT count(*) FROM list_members x WHERE x.list_id = m.list_id) AS members
     FROM list_members m WHERE m.user_id = $1`,
    { bind: [userId], type: QueryTypes.SELECT },
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  const lists = rows.length
    ? await ListModel.findAll({
        where: { id: [...byId.keys()] },
        order: [
          ['isInbox', 'DESC'],
          ['position', 'ASC'],
          ['createdAt', 'ASC'],
          ['id', 'ASC'],
        ],
      })
    : [];
  // Someone else's Inbox is never shared, so "the Inbox first" is the user's own.
  return lists.map((list) => {
    const row = byId.get(list.id)!;
    return {
      ...toListDto(list),
      openTaskCount: Number(row.open),
      role: row.role,
      memberCount: Number(row.members),
    };
  });
}

/** The next free position at the end of the user's lists. */
export async function nextPosition(userId: string, transaction: Transaction): Promise<number> {
  const max = await ListModel.max<number, ListModel>('position', {
    where: { userId },
    transaction,
  });
  return typeof max === 'number' ? Math.min(max + 1, 1_000_000) : 1;
}

/**
 * Saves a change of `list` (a new row, changed columns, or its removal), bumps its version,
 * and records the feed row and the event. Returns the list as clients see it.
 */
export async function commitListChange(
  transaction: Transaction,
  list: ListModel,
  action: ListChangeAction,
  changedFields: string[],
): Promise<List> {
  const now = new Date();
  if (action !== 'created') list.version += 1;
  if (action === 'deleted') await list.destroy({ transaction });
  else await list.save({ transaction });
  const dto = toListDto(list);
  // A new list's first member is its owner (ADR 320): every access question is "member of?".
  // They get its reminders, as the one person of a list always did (ADR 376).
  if (action === 'created')
    await ListModel.sequelize!.query(
      `INSERT INTO list_members (list_id, user_id, role, reminders, created_at)
       VALUES ($1, $2, 'owner', true, $3)`,
      { bind: [list.id, list.userId, now], transaction },
    );
  const change = await TaskChangeModel.create(
    {
      userId: list.userId,
      kind: 'list',
      taskId: list.id,
      listId: list.id,
      action,
      changedFields,
      snapshot: dto,
      createdAt: now,
    },
    { transaction },
  );
  await recordListChanged(transaction, {
    action,
    listId: list.id,
    userId: list.userId,
    list: dto,
    changedFields,
    seq: String(change.seq),
    timestamp: now.toISOString(),
  });
  return dto;
}

/**
 * Records that `member` joined, changed role in, or left `list`, for the open tabs of the list's
 * members and of that member (`member_update`), in the caller's transaction. Not a feed row: a
 * tab that missed it reads the members again when it next opens the list's settings.
 */
export async function recordMemberChange(
  transaction: Transaction,
  list: ListModel,
  action: MemberChangeAction,
  member: ListMember,
): Promise<void> {
  await recordMemberChanged(transaction, {
    action,
    listId: list.id,
    userId: list.userId,
    member,
    timestamp: new Date().toISOString(),
  });
}

/**
 * Moves every task of `fromListId` (deleted ones, the only ones a deleted list still holds)
 * to `toListId`, so restoring one brings it back into that list.
 */
export async function moveRemainingTasks(
  fromListId: string,
  toListId: string,
  transaction: Transaction,
): Promise<void> {
  await ListModel.sequelize!.query('UPDATE tasks SET list_id = $2 WHERE list_id = $1', {
    bind: [fromListId, toListId],
    transaction,
  });
}

/**
 * Tells `userId` they are no longer a member of `list` (removed, left, or it was deleted): a
 * feed row of theirs alone (no list id, so the list's other members never read it) and a
 * `list.changed` event with action `access_revoked` that socket nodes send to that user only.
 * The list is sent as it is now, which they could read until this moment.
 */
export async function recordAccessRevoked(
  transaction: Transaction,
  list: ListModel,
  userId: string,
): Promise<void> {
  const now = new Date();
  const dto = toListDto(list);
  const change = await TaskChangeModel.create(
    {
      userId,
      kind: 'list',
      taskId: list.id,
      listId: null,
      action: 'access_revoked',
      changedFields: [],
      snapshot: dto,
      createdAt: now,
    },
    { transaction },
  );
  await recordListChanged(transaction, {
    action: 'access_revoked',
    listId: list.id,
    userId,
    list: dto,
    changedFields: [],
    seq: String(change.seq),
    timestamp: now.toISOString(),
  });
}

/**
 * Makes `to` (a member) the list's owner of record: its row, its tasks and their series move
 * to that account and `to` becomes an owner. Used by transfer and by account deletion.
 */
export async function handOverList(list: ListModel, to: string, t: Transaction): Promise<void> {
  const db = list.sequelize;
  await db.query(
    `UPDATE recurrence_patterns p SET user_id = $2 FROM tasks k
     WHERE k.list_id = $1 AND k.series_id = p.series_id`,
    { bind: [list.id, to], transaction: t, type: QueryTypes.UPDATE },
  );
  await db.query('UPDATE tasks SET user_id = $2 WHERE list_id = $1', {
    bind: [list.id, to],
    transaction: t,
    type: QueryTypes.UPDATE,
  });
  const before = (await membersOf(list.id, t)).find((m) => m.userId === to);
  await upsertMember(list.id, to, 'owner', t);
  list.userId = to;
  await commitListChange(t, list, 'updated', ['userId']);
  // An editor or viewer made owner of record: every member's tabs show the new role.
  if (before && before.role !== 'owner')
    await recordMemberChange(t, list, 'updated', { ...before, role: 'owner' });
}

/**
 * Before an account is erased: each list it holds that has other members goes to one of them
 * (the longest-standing owner, else editor, else viewer), so deleting an account never deletes
 * what others share (ADR 323). Lists nobody else is in go with the account.
 */
export async function handOverSharedLists(
  userId: string,
  transaction: Transaction,
): Promise<number> {
  const heirs = await ListModel.sequelize!.query<{ listId: string; heir: string }>(
    `SELECT DISTINCT ON (m.list_id) m.list_id AS "listId", m.user_id AS heir
     FROM list_members m JOIN lists l ON l.id = m.list_id
     WHERE l.user_id = $1 AND m.user_id <> $1
     ORDER BY m.list_id, CASE m.role WHEN 'owner' THEN 0 WHEN 'editor' THEN 1 ELSE 2 END,
       m.created_at, m.user_id`,
    { bind: [userId], type: QueryTypes.SELECT, transaction },
  );
  for (const { listId, heir } of heirs) {
    const list = await ListModel.findByPk(listId, { transaction, lock: transaction.LOCK.UPDATE });
    if (list) await handOverList(list, heir, transaction);
  }
  return heirs.length;
}

/**
 * Before an account is erased, after `handOverSharedLists`: it leaves every list someone else
 * holds as leaving one does (ADR 383). Its assigned tasks there are unassigned, the log says
 * it left (the entry outlives the account, naming nobody once the account row is gone), the
 * list's change updates every member's counts, and `member_update` `removed` reaches their
 * open tabs, naming the account by id alone: no name or address is written for it anymore,
 * and the entries of the invites it accepted lose its address.
 * Needs the locks of every member of those lists held (`lockMembersOfListsOf`).
 */
export async function leaveSharedLists(userId: string, transaction: Transaction): Promise<number> {
  const lists = await ListModel.sequelize!.query<{ listId: string }>(
    `SELECT m.list_id AS "listId" FROM list_members m JOIN lists l ON l.id = m.list_id
     WHERE m.user_id = $1 AND l.user_id <> $1 ORDER BY m.list_id`,
    { bind: [userId], type: QueryTypes.SELECT, transaction },
  );
  for (const { listId } of lists) {
    const list = await ListModel.findByPk(listId, { transaction, lock: transaction.LOCK.UPDATE });
    const member = (await membersOf(listId, transaction)).find((m) => m.userId === userId);
    if (!list || !member) continue;
    await deleteMember(listId, userId, transaction);
    await unassignMember(listId, userId, userId, transaction);
    await recordActivity(transaction, userId, [
      { listId, action: 'member.left', memberId: userId, details: { role: member.role } },
    ]);
    await commitListChange(transaction, list, 'updated', ['members']);
    await recordMemberChange(transaction, list, 'removed', { ...member, name: '', email: '' });
  }
  // The invites that brought the account in name its address; the entries stay, without it.
  await ListModel.sequelize!.query(
    `UPDATE list_activity a SET details = a.details - 'email' FROM "user" u
     WHERE u.id = $1 AND a.list_id = ANY($2::uuid[]) AND a.details ? 'email'
       AND lower(a.details->>'email') = lower(u.email)`,
    { bind: [userId, lists.map((l) => l.listId)], transaction },
  );
  return lists.length;
}
