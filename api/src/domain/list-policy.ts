import { Op, literal, type Transaction, type WhereOptions } from 'sequelize';
import type { ListRole } from '@todo/contracts';
import { findList } from '../data-access/list-repository.js';
import { lockListMembers, memberListIdsSql, roleIn } from '../data-access/list-members.js';
import { ListModel, type TaskModel } from '../data-access/models/index.js';
import { loadTaskWithRole } from '../data-access/task-repository.js';
import { ForbiddenError, NotFoundError, UnprocessableError } from './errors.js';

// Who may do what with a list and its tasks: the one place that decides it (ADR 271, 320).
// Every list and member route, every task route by id, task listing and search, the change
// feed, the chat and MCP (through the same services) ask here. It decides by role in
// `list_members`:
//   - not a member: 404, worded as for a list or task that does not exist (never a 403, which
//     would confirm the id to someone who may not know it);
//   - a member whose role is too low (a viewer writing, an editor managing members): 403.

export type Need = 'read' | 'write' | 'manage';

const RANK: Record<ListRole, number> = { viewer: 1, editor: 2, owner: 3 };
const NEEDS: Record<Need, ListRole> = { read: 'viewer', write: 'editor', manage: 'owner' };

/** Whether `role` (null: not a member) allows `need`. */
export const allows = (role: ListRole | null, need: Need): boolean =>
  role !== null && RANK[role] >= RANK[NEEDS[need]];

function decide(role: ListRole | null, need: Need, what: string): void {
  if (role === null) throw new NotFoundError(what);
  if (!allows(role, need))
    throw new ForbiddenError(
      `your role in this list is ${role}: ${need === 'write' ? 'only editors and owners change its tasks' : 'only its owners manage it'}`,
    );
}

/**
 * The list `id` if `userId` may `need` it (404 / 403 otherwise). Writing in a transaction also
 * takes the locks of all the list's members (ADR 321), so a feed row of the list commits in
 * order for each of them.
 */
export async function listFor(
  userId: string,
  id: string,
  need: Need,
  transaction?: Transaction,
): Promise<ListModel> {
  if (transaction && need !== 'read') await lockListMembers(id, userId, transaction);
  const list = await findList(id, transaction);
  decide(list ? await roleIn(id, userId, transaction) : null, need, `list ${id}`);
  return list!;
}

/** The list `id` and `userId`'s role in it, if they are a member (404 otherwise). */
export async function membershipOf(
  userId: string,
  id: string,
  transaction?: Transaction,
): Promise<{ list: ListModel; role: ListRole }> {
  const list = await listFor(userId, id, 'read', transaction);
  return { list, role: (await roleIn(id, userId, transaction))! };
}

/**
 * The task `id` if `userId` may `need` it: a member of its list with a role allowing it. A task
 * of a list they are not in is a 404 like a missing one; a viewer's write is a 403.
 */
export async function taskFor(
  userId: string,
  id: string,
  need: Need,
  transaction?: Transaction,
  options: { includeDeleted?: boolean } = {},
): Promise<TaskModel> {
  const found = await loadTaskWithRole(userId, id, transaction, options);
  decide(found?.role ?? null, need, `task ${id}`);
  return found!.task;
}

/** Whether `userId` is a member of the list (any role). */
export async function isMember(
  listId: string,
  userId: string,
  transaction?: Transaction,
): Promise<boolean> {
  return (await roleIn(listId, userId, transaction)) !== null;
}

/**
 * A task of the list may be assigned only to one of its members: a well-formed id of someone
 * else is a 422 naming the field (the request is valid, its target is not).
 */
export async function assertAssignable(
  listId: string,
  assigneeId: string,
  transaction?: Transaction,
): Promise<void> {
  if (await isMember(listId, assigneeId, transaction)) return;
  throw new UnprocessableError('assigneeId must be a member of the task’s list', 'assigneeId');
}

/** SQL: the lists `param` (a placeholder of the user id) may read, i.e. is a member of. */
export const readableListIdsSql = memberListIdsSql;

/**
 * The change-feed rows `userId` may read: those written under their own id (their own lists'
 * rows and the `access_revoked` rows addressed to them) and every row of a list they are a
 * member of now. A removed member's feed stops returning that list's rows at once.
 */
export const feedOf = (userId: string): WhereOptions =>
  ({
    [Op.or]: [
      { userId },
      {
        listId: {
          [Op.in]: literal(memberListIdsSql(ListModel.sequelize!.escape(userId))),
        },
      },
    ],
  }) as WhereOptions;
