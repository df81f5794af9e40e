import { randomUUID } from 'node:crypto';
import { Op, UniqueConstraintError, type Sequelize } from 'sequelize';
import type {
  CreateListInput,
  List,
  ListActivityPage,
  ListActivityQuery,
  ListSummary,
  UpdateListInput,
} from '@todo/contracts';
import type { Logger } from '@todo/platform';
import {
  commitListChange,
  ensureInbox,
  listSummaries,
  moveRemainingTasks,
  recordAccessRevoked,
  nextPosition,
  toListDto,
} from '../data-access/list-repository.js';
import { ListModel, TaskModel } from '../data-access/models/index.js';
import { inUserTransaction } from '../data-access/user-transaction.js';
import { membersOf } from '../data-access/list-members.js';
import { activityPage, recordActivity, type ActivityEntry } from '../data-access/list-activity.js';
import { ConflictError, ValidationError } from './errors.js';
import { listFor, membershipOf } from './list-policy.js';
import { softDeleteTask } from './task-service.js';

/** How many lists one account may have: a sidebar, not a table. */
const LISTS_MAX = 500;

/**
 * Lists of tasks (ADR 270). Writes run under the owner's advisory lock, like task writes, so a
 * list's change-feed row commits in order with the owner's task changes.
 */
export class ListService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly logger: Logger,
  ) {}

  /** Every list of the user (the Inbox first, made now if the account has none yet). */
  async list(userId: string): Promise<ListSummary[]> {
    if (!(await ListModel.findOne({ where: { userId, isInbox: true }, attributes: ['id'] })))
      await inUserTransaction(this.sequelize, userId, (t) => ensureInbox(userId, t));
    return listSummaries(userId);
  }

  async get(userId: string, id: string): Promise<List> {
    return toListDto(await listFor(userId, id, 'read'));
  }

  /**
   * A page of the list's activity log, newest first, to its members only (a non-member, or a
   * removed one, gets the 404 of a list that does not exist, before the cursor is read).
   */
  async activity(userId: string, id: string, query: ListActivityQuery): Promise<ListActivityPage> {
    await membershipOf(userId, id);
    const page = await activityPage(
      id,
      query.limit,
      query.cursor ? decodeCursor(query.cursor) : null,
    );
    const last = page.items[page.items.length - 1];
    return { items: page.items, nextCursor: page.more && last ? encodeCursor(last.id) : null };
  }

  async create(userId: string, input: CreateListInput): Promise<List> {
    let list: List;
    try {
      list = await inUserTransaction(this.sequelize, userId, async (transaction) => {
        await ensureInbox(userId, transaction);
        if ((await ListModel.count({ where: { userId }, transaction })) >= LISTS_MAX)
          throw new ConflictError(`an account has at most ${LISTS_MAX} lists: delete one first`);
        const model = ListModel.build({
          id: input.id ?? randomUUID(),
          userId,
          name: input.name,
          color: input.color ?? null,
          position: input.position ?? (await nextPosition(userId, transaction)),
          isInbox: false,
          archivedAt: null,
        });
        const created = await commitListChange(transaction, model, 'created', Object.keys(input));
        await recordActivity(transaction, userId, [
          { listId: model.id, action: 'list.created', details: { name: model.name } },
        ]);
        return created;
      });
    } catch (error) {
      if (input.id && error instanceof UniqueConstraintError)
        throw new ConflictError(`a list with id ${input.id} already exists: choose another id`);
      throw error;
    }
    this.logger.info({ listId: list.id, userId }, 'list created');
    return list;
  }

  /** Renames, recolours, moves, archives or unarchives; `If-Match` makes it conditional. */
  async update(
    userId: string,
    id: string,
    input: UpdateListInput,
    expectedVersion?: number,
  ): Promise<List> {
    const list = await inUserTransaction(this.sequelize, userId, async (transaction) => {
      const model = await listFor(userId, id, 'manage', transaction);
      checkVersion(model, expectedVersion);
      const changed: string[] = [];
      const previousName = model.name;
      const { archived, ...fields } = input;
      for (const [key, value] of Object.entries(fields) as [keyof typeof fields, unknown][]) {
        if (model.get(key) !== value) {
          model.set(key, value as never);
          changed.push(key);
        }
      }
      if (archived !== undefined && archived !== (model.archivedAt !== null)) {
        if (model.isInbox) throw new ConflictError('the Inbox cannot be archived');
        model.archivedAt = archived ? new Date() : null;
        changed.push('archivedAt');
      }
      if (!changed.length) return toListDto(model);
      const activity: ActivityEntry[] = [];
      if (changed.includes('name'))
        activity.push({
          listId: id,
          action: 'list.renamed',
          details: { name: model.name, previousName },
        });
      if (changed.includes('archivedAt'))
        activity.push({ listId: id, action: archived ? 'list.archived' : 'list.unarchived' });
      await recordActivity(transaction, userId, activity);
      return commitListChange(transaction, model, 'updated', changed);
    });
    this.logger.info({ listId: id, userId, version: list.version }, 'list updated');
    return list;
  }

  /**
   * Deletes a list and, as Todoist does, the tasks in it: each is deleted as `DELETE /tasks/{id}`
   * deletes it (its reminder goes, its series ends, every tab hears of it) and can be restored,
   * then into the Inbox. The Inbox cannot be deleted. Returns how many tasks went with it.
   */
  async remove(userId: string, id: string, expectedVersion?: number): Promise<number> {
    const deleted = await inUserTransaction(this.sequelize, userId, async (transaction) => {
      const model = await listFor(userId, id, 'manage', transaction);
      checkVersion(model, expectedVersion);
      if (model.isInbox) throw new ConflictError('the Inbox cannot be deleted');
      const tasks = await TaskModel.findAll({
        where: { listId: id, status: { [Op.ne]: 'deleted' } },
        order: [['createdAt', 'ASC']],
        transaction,
        lock: transaction.LOCK.UPDATE,
      });
      for (const task of tasks) await softDeleteTask(task, transaction, userId);
      // Its tasks stay with the owner of record's account (restorable into their Inbox).
      const inbox = await ensureInbox(model.userId, transaction);
      await moveRemainingTasks(id, inbox.id, transaction);
      // Every other member loses it: their feed and tabs are told (ADR 320).
      for (const member of await membersOf(id, transaction))
        if (member.userId !== model.userId)
          await recordAccessRevoked(transaction, model, member.userId);
      await commitListChange(transaction, model, 'deleted', []);
      return tasks.length;
    });
    this.logger.info({ listId: id, userId, deletedTasks: deleted }, 'list deleted');
    return deleted;
  }
}

function checkVersion(model: ListModel, expected: number | undefined): void {
  if (expected !== undefined && model.version !== expected)
    throw new ConflictError(
      `list ${model.id} is at version ${model.version}, not ${expected}: reload it and apply your change again`,
    );
}

// An activity cursor is the id of the last entry shown, wrapped so clients treat it as opaque.
const encodeCursor = (id: string): string => Buffer.from(`a:${id}`).toString('base64url');

function decodeCursor(cursor: string): string {
  const match = /^a:(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (match) return match[1]!;
  throw new ValidationError('invalid query: cursor', [
    {
      field: 'cursor',
      message: 'cursor must be a value returned as nextCursor',
      type: 'any.invalid',
    },
  ]);
}
