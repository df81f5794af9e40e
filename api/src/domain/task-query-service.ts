import { Op, literal, type WhereOptions } from 'sequelize';
import { ME, dueWindow, searchWords, statusOf, unstorableTextFields } from '@todo/contracts';
import type {
  List,
  ListChangeAction,
  ListTasksQuery,
  Task,
  TaskChangeAction,
  TaskChangesPage,
  TaskPage,
  TaskSort,
} from '@todo/contracts';
import { CursorExpiredError, ValidationError } from './errors.js';
import {
  RecurrencePatternModel,
  TaskChangeHorizonModel,
  TaskChangeModel,
  TaskModel,
} from '../data-access/models/index.js';
import { toTaskDto } from '../data-access/task-mapper.js';
import { latestFeedSeq } from '../data-access/feed-position.js';
import { getPreferences } from './preferences-service.js';
import { feedOf, listFor, readableListIdsSql } from './list-policy.js';

/** SQL sort key of each sort, non-null so keyset pagination needs no NULL special cases. */
const SORT_KEYS: Record<string, { expression: string; type: string }> = {
  createdAt: { expression: '"Task"."created_at"', type: 'timestamptz' },
  updatedAt: { expression: '"Task"."updated_at"', type: 'timestamptz' },
  // Tasks without a due date sort last in both directions.
  dueDate: {
    expression: `COALESCE("Task"."due_date", 'infinity'::timestamptz)`,
    type: 'timestamptz',
  },
  '-dueDate': {
    expression: `COALESCE("Task"."due_date", '-infinity'::timestamptz)`,
    type: 'timestamptz',
  },
  priority: { expression: '"Task"."priority_rank"', type: 'smallint' },
  title: { expression: 'lower("Task"."title")', type: 'text' },
};

/** A page boundary: the last row's sort key, its tie-breaks (due date, title) and id. */
interface Cursor {
  k: string;
  d: string;
  t: string;
  id: string;
}

function sortKey(sort: TaskSort) {
  const descending = sort.startsWith('-');
  const field = descending ? sort.slice(1) : sort;
  const key = SORT_KEYS[sort] ?? SORT_KEYS[field];
  if (!key) throw new Error(`no sort key for ${sort}`);
  return { ...key, descending };
}

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** PostgreSQL's text form of a timestamptz (UTC session), or the infinities dueDate sorts use. */
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2}) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

/**
 * Whether a cursor's sort key can be cast to its column's type: a forged or edited cursor
 * must be a 400, not a failed cast in the database.
 */
function castable(value: string, type: string): boolean {
  switch (type) {
    case 'timestamptz': {
      if (value === 'infinity' || value === '-infinity') return true;
      const parts = TIMESTAMP.exec(value);
      if (!parts) return false;
      const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
      const monthDays = new Date(Date.UTC(year, month, 0)).getUTCDate();
      return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= monthDays;
    }
    case 'smallint':
      return /^-?\d{1,5}$/.test(value) && Math.abs(Number(value)) <= 32_767;
    default:
      return value.length <= 1_000;
  }
}

function decodeCursor(raw: string, keyType: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (
      typeof parsed.k === 'string' &&
      typeof parsed.d === 'string' &&
      typeof parsed.t === 'string' &&
      typeof parsed.id === 'string' &&
      UUID.test(parsed.id) &&
      unstorableTextFields(parsed.k).length === 0 &&
      unstorableTextFields(parsed.t).length === 0 &&
      castable(parsed.k, keyType) &&
      castable(parsed.d, 'timestamptz') &&
      castable(parsed.t, 'text')
    ) {
      return { k: parsed.k, d: parsed.d, t: parsed.t, id: parsed.id };
    }
  } catch {
    // falls through to the validation error
  }
  throw new ValidationError('invalid query: cursor', [
    {
      field: 'cursor',
      message: 'cursor must be a value returned as nextCursor for the same sort',
      type: 'any.invalid',
    },
  ]);
}

/**
 * Ties of any sort are ordered by due date (soonest first, none last), then title (A–Z), then
 * id, which keeps the keyset cursor total. The web app's `compareTasks` orders the same way.
 */
const TIE_DUE = `COALESCE("Task"."due_date", 'infinity'::timestamptz)`;
const TIE_TITLE = 'lower("Task"."title")';

/** Reading tasks: filtered, searched, sorted lists with keyset pagination, and the change feed. */
export class TaskQueryService {
  /** `changeFeedRetentionDays` only words the 410 of an expired cursor. */
  constructor(private readonly changeFeedRetentionDays = 30) {}

  async list(userId: string, query: ListTasksQuery, now = new Date()): Promise<TaskPage> {
    const key = sortKey(query.sort);
    // The tasks of every list the user is a member of (the policy's question, as SQL).
    const replacements: Record<string, string> = { me: userId };
    const where: WhereOptions[] = [literal(`"Task"."list_id" IN ${readableListIdsSql(':me')}`)];
    if (query.assignee) {
      replacements.assignee = query.assignee === ME ? userId : query.assignee;
      where.push(literal('"Task"."assignee_id" = :assignee'));
    }
    if (query.listId) {
      // A list the user may not read is a 404, like a list that does not exist (ADR 271).
      await listFor(userId, query.listId, 'read');
      where.push({ listId: query.listId });
    }
    if (query.due === 'overdue' && query.status === 'completed')
      throw new ValidationError('invalid query: status', [
        {
          field: 'status',
          message: 'status must be pending or all with due=overdue (a done task is never overdue)',
          type: 'any.invalid',
        },
      ]);
    const status = statusOf(query.status, query.due);
    where.push({ status: status && status !== 'all' ? status : { [Op.ne]: 'deleted' } });
    if (query.due) {
      // The user's saved zone: the one the web app and the chat count days in.
      const { timezone } = await getPreferences(userId);
      const window = dueWindow(query.due, now, timezone, query.weekStart);
      if (window.before) where.push({ dueDate: { [Op.lt]: window.before } });
      if (window.after) where.push({ dueDate: { [Op.gt]: window.after } });
    }
    if (query.priority) where.push({ priority: query.priority });
    if (query.tag) where.push({ tags: { [Op.contains]: [query.tag] } });
    if (query.dueBefore) where.push({ dueDate: { [Op.lt]: query.dueBefore } });
    if (query.dueAfter) where.push({ dueDate: { [Op.gt]: query.dueAfter } });
    if (query.q) {
      // Every word, any order, ignoring case, accents and punctuation (ADR 241): the text
      // search vector of migration 013 against a prefix query of the words, so "thinking
      // fast" finds "Thinking, Fast and Slow" and "caf" finds "Café".
      const words = searchWords(query.q).slice(0, 20);
      if (!words.length) where.push(literal('false'));
      else {
        replacements.search = words.map((w) => `${w}:*`).join(' & ');
        where.push(
          literal(`"Task"."search" @@ to_tsquery('simple', public.immutable_unaccent(:search))`),
        );
      }
    }
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor, key.type);
      replacements.cursorKey = cursor.k;
      replacements.cursorId = cursor.id;
      replacements.cursorDue = cursor.d;
      replacements.cursorTitle = cursor.t;
      const op = key.descending ? '<' : '>';
      // After the boundary in the sort's direction, ties after it in the tie-break order
      // (ascending), spelled out since the directions differ.
      const k = `CAST(:cursorKey AS ${key.type})`;
      const d = 'CAST(:cursorDue AS timestamptz)';
      where.push(
        literal(
          `(${key.expression} ${op} ${k} OR (${key.expression} = ${k} AND (` +
            `${TIE_DUE} > ${d} OR (${TIE_DUE} = ${d} AND (` +
            `${TIE_TITLE} > :cursorTitle OR (${TIE_TITLE} = :cursorTitle AND ` +
            `"Task"."id" > CAST(:cursorId AS uuid)))))))`,
        ),
      );
    }
    const direction = key.descending ? 'DESC' : 'ASC';
    const rows = await TaskModel.findAll({
      where: { [Op.and]: where },
      attributes: {
        include: [
          [literal(`CAST(${key.expression} AS text)`), 'sortKey'],
          [literal(`CAST(${TIE_DUE} AS text)`), 'tieDue'],
          [literal(TIE_TITLE), 'tieTitle'],
        ],
      },
      order: [
        [literal(key.expression), direction],
        [literal(TIE_DUE), 'ASC'],
        [literal(TIE_TITLE), 'ASC'],
        ['id', 'ASC'],
      ],
      limit: query.limit + 1,
      replacements,
      // Plain rows, not model instances: building 20 models cost more than the query.
      raw: true,
    });
    const page = rows.slice(0, query.limit);
    const seriesIds = [
      ...new Set(page.map((t) => t.seriesId).filter((s): s is string => s !== null)),
    ];
    const patterns = new Map(
      (seriesIds.length
        ? await RecurrencePatternModel.findAll({ where: { seriesId: seriesIds }, raw: true })
        : []
      ).map((p) => [p.seriesId, p]),
    );
    const last = page.at(-1);
    return {
      items: page.map((t) => toTaskDto(t, (t.seriesId && patterns.get(t.seriesId)) || null)),
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor({
              k: String((last as unknown as { sortKey: unknown }).sortKey),
              d: String((last as unknown as { tieDue: unknown }).tieDue),
              t: String((last as unknown as { tieTitle: unknown }).tieTitle),
              id: last.id,
            })
          : null,
      changesCursor: await this.latestSeq(userId),
    };
  }

  /** Changes after `since`, oldest first, including deletions. */
  async changes(userId: string, since: string, limit: number): Promise<TaskChangesPage> {
    const rows = await TaskChangeModel.findAll({
      where: { [Op.and]: [feedOf(userId), { seq: { [Op.gt]: since } }] },
      order: [['seq', 'ASC']],
      limit: limit + 1,
    });
    // Read the horizon after the rows: a prune committing in between moves the horizon past
    // `since` and this answers 410, instead of a page with a silent gap.
    const horizon = await this.prunedThrough(userId);
    if (horizon !== null && BigInt(since) < BigInt(horizon))
      throw new CursorExpiredError(since, this.changeFeedRetentionDays);
    const page = rows.slice(0, limit);
    const entry = (row: TaskChangeModel) => ({
      seq: String(row.seq),
      changedFields: row.changedFields,
      timestamp: row.createdAt.toISOString(),
    });
    return {
      changes: page
        .filter((row) => row.kind !== 'list')
        .map((row) => ({
          ...entry(row),
          action: row.action as TaskChangeAction,
          taskId: row.taskId,
          // Rows written before changedBy was recorded lack it (migration 018).
          task: { ...(row.snapshot as Task), changedBy: (row.snapshot as Task).changedBy ?? null },
        })),
      listChanges: page
        .filter((row) => row.kind === 'list')
        .map((row) => ({
          ...entry(row),
          action: row.action as ListChangeAction,
          listId: row.taskId,
          list: row.snapshot as List,
        })),
      nextCursor: page.length ? String(page.at(-1)!.seq) : since,
      hasMore: rows.length > limit,
    };
  }

  private async latestSeq(userId: string): Promise<string> {
    const max = await latestFeedSeq(userId);
    if (max !== null) return max;
    // Everything of this user was pruned: the horizon is where the feed resumes.
    return (await this.prunedThrough(userId)) ?? '0';
  }

  private async prunedThrough(userId: string): Promise<string | null> {
    const horizon = await TaskChangeHorizonModel.findByPk(userId, {
      attributes: ['prunedThrough'],
    });
    return horizon ? String(horizon.prunedThrough) : null;
  }
}
