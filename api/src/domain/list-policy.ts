import type { Transaction } from 'sequelize';
import { findList } from '../data-access/list-repository.js';
import type { ListModel } from '../data-access/models/index.js';
import { NotFoundError } from './errors.js';

// Who may do what with a list: the one place that decides it (ADR 271). Every list route, every
// task write naming a list, and the change feed ask here. Today a list has one member, its
// owner; sharing adds members without changing the callers.

type ListLike = Pick<ListModel, 'userId'>;

/** May see the list and its tasks. */
export const canRead = (list: ListLike, userId: string): boolean => list.userId === userId;

/** May add, change, complete and delete the list's tasks. */
export const canWrite = (list: ListLike, userId: string): boolean => list.userId === userId;

/** May rename, colour, order, archive or delete the list itself (and, later, its members). */
export const canManage = (list: ListLike, userId: string): boolean => list.userId === userId;

const checks = { read: canRead, write: canWrite, manage: canManage } as const;

/**
 * The list `id` if `userId` may `need` it; otherwise a 404 that says no more than for a list
 * that does not exist (another user's list is never a 403: it would confirm the id).
 */
export async function listFor(
  userId: string,
  id: string,
  need: keyof typeof checks,
  transaction?: Transaction,
): Promise<ListModel> {
  const list = await findList(id, transaction);
  if (!list || !checks[need](list, userId)) throw new NotFoundError(`list ${id}`);
  return list;
}
