import Joi from 'joi';
import { text } from '../text.js';
import { DESCRIPTION_MAX, TAG_MAX, TAGS_MAX, TITLE_MAX } from '../lengths.js';
import { isoDate, uuid } from './common.js';
import {
  recurrencePatternSchema,
  recurrenceSchema,
  type RecurrenceInput,
  type RecurrencePattern,
  type RecurrenceRequest,
} from './recurrence.js';
import { NOTIFICATION_CHANNELS, type NotificationChannel } from './notifications.js';
import { DUE_FILTERS, type DueFilter, type WeekStart } from '../time/due.js';
import { EDITABLE_TASK_FIELDS } from '../task-fields.js';

export const TASK_PRIORITIES = ['low', 'medium', 'high'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

export const TASK_STATUSES = ['pending', 'completed', 'deleted'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export { TITLE_MAX, DESCRIPTION_MAX, TAG_MAX, TAGS_MAX } from '../lengths.js';
export { EDITABLE_TASK_FIELDS, type EditableTaskField } from '../task-fields.js';
/** Reminder offsets are minutes before the due date; four weeks at most. */
export const REMINDER_OFFSET_MAX = 40_320;

/** A task as the API returns it and as events carry it. Dates are ISO 8601 strings. */
export interface Task {
  id: string;
  userId: string;
  /** The list it belongs to (every task is in exactly one; the Inbox by default). */
  listId: string;
  /** The member it is assigned to, or null (ADR 325). */
  assigneeId: string | null;
  /**
   * Who made the latest change (a user id; the web app shows "changed by Ada just now" on a
   * shared list), or null when it was made before this was recorded or its author is deleted.
   */
  changedBy: string | null;
  title: string;
  description: string | null;
  status: TaskStatus;
  priority: TaskPriority;
  tags: string[];
  dueDate: string | null;
  reminderEnabled: boolean;
  reminderOffset: number | null;
  reminderChannels: NotificationChannel[];
  /** When the reminder will fire (`dueDate − reminderOffset`), or null when none is due. */
  reminderAt: string | null;
  recurrence: RecurrencePattern | null;
  seriesId: string | null;
  parentTaskId: string | null;
  occurrenceIndex: number | null;
  version: number;
  completedAt: string | null;
  deletedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const title = text({ min: 1, max: TITLE_MAX }).trim().description('What to do, short.');
const description = text({ max: DESCRIPTION_MAX })
  .allow('', null)
  .description('Longer notes; null or "" clears.');
const tags = Joi.array()
  .items(text({ min: 1, max: TAG_MAX }).trim().lowercase())
  .max(TAGS_MAX)
  .unique()
  .description('Labels such as "work"; the whole list is replaced.');
const reminderOffset = Joi.number()
  .integer()
  .min(0)
  .max(REMINDER_OFFSET_MAX)
  .allow(null)
  .description('Remind this many minutes before dueDate; null = no reminder.');
const channels = Joi.array()
  .items(Joi.string().valid(...NOTIFICATION_CHANNELS))
  .unique()
  .description('Where the reminder goes.');
const dueDate = isoDate
  .allow(null)
  .description('When it is due: ISO 8601 with an offset or Z; null removes the due date.');
const assigneeId = Joi.string()
  .min(1)
  .max(100)
  .allow(null)
  .description('A member of the task’s list to assign it to; null = nobody.');
const priority = Joi.string()
  .valid(...TASK_PRIORITIES)
  .description('How important.');

export interface CreateTaskInput {
  /**
   * A client-chosen id (UUID), so a task made offline has its final id at once and a retried
   * create names the same task. Omitted = the server chooses one.
   */
  id?: string;
  /** The list to put it in; omitted = the Inbox. */
  listId?: string;
  /** A member of the task's list; null = nobody. */
  assigneeId?: string | null;
  title: string;
  description?: string | null;
  dueDate?: Date | null;
  priority?: TaskPriority;
  tags?: string[];
  reminderOffset?: number | null;
  reminderChannels?: NotificationChannel[];
  recurrence?: RecurrenceInput | null;
}

/** `POST /api/v1/tasks` as a client writes it in JSON (dates as ISO strings). */
export type CreateTaskRequest = Omit<CreateTaskInput, 'dueDate' | 'recurrence'> & {
  dueDate?: string | null;
  recurrence?: RecurrenceRequest | null;
};

export const createTaskSchema = Joi.object<CreateTaskInput>({
  id: uuid.description(
    'A client-chosen id (UUID v4). Creating again with the same id and body (and the same Idempotency-Key) answers the task already made; an id already taken otherwise is a 409.',
  ),
  listId: uuid.description('The list to put it in (GET /api/v1/lists); omitted = the Inbox.'),
  assigneeId,
  title: title.required(),
  description,
  dueDate,
  priority: priority.default('medium'),
  tags: tags.default([]),
  reminderOffset,
  reminderChannels: channels,
  recurrence: recurrenceSchema
    .allow(null)
    .description('Makes the task repeat (see RecurrenceRequest); null = once.'),
});

export interface UpdateTaskInput {
  /** Moves it to another list; its series, reminder and history stay. */
  listId?: string;
  /** Assigns it to a member of its list; null unassigns. */
  assigneeId?: string | null;
  title?: string;
  description?: string | null;
  dueDate?: Date | null;
  priority?: TaskPriority;
  tags?: string[];
  reminderOffset?: number | null;
  status?: 'pending' | 'completed';
}

/** `PATCH /api/v1/tasks/{id}` as a client writes it in JSON. */
export type UpdateTaskRequest = Omit<UpdateTaskInput, 'dueDate'> & { dueDate?: string | null };

/** PATCH is partial; `status` may complete or reopen (deleting is `DELETE`). */
export const updateTaskSchema = Joi.object<UpdateTaskInput>({
  listId: uuid.description('Moves the task to this list; its series, reminder and history stay.'),
  assigneeId,
  title,
  description,
  dueDate,
  priority,
  tags,
  reminderOffset,
  status: Joi.string()
    .valid('pending', 'completed')
    .description('"completed" completes the task, "pending" reopens it.'),
})
  // `or` of every key rather than `min(1)`: the same rule, and one JSON Schema can state.
  .or(...EDITABLE_TASK_FIELDS, 'assigneeId', 'status')
  .messages({ 'object.missing': 'the body must change at least one field' });

export const TASK_SORTS = [
  'dueDate',
  '-dueDate',
  'createdAt',
  '-createdAt',
  'updatedAt',
  '-updatedAt',
  'priority',
  '-priority',
  'title',
  '-title',
] as const;
export type TaskSort = (typeof TASK_SORTS)[number];

export interface ListTasksQuery {
  /** Only the tasks of this list. */
  listId?: string;
  /** `me` = assigned to the caller; a user id = assigned to that member. */
  assignee?: string;
  status?: 'pending' | 'completed' | 'all';
  priority?: TaskPriority;
  tag?: string;
  q?: string;
  dueBefore?: Date;
  dueAfter?: Date;
  /** today / overdue / this week in the user's saved zone (contracts' `dueWindow`). */
  due?: DueFilter;
  weekStart?: WeekStart;
  sort: TaskSort;
  limit: number;
  cursor?: string;
}

/** `GET /api/v1/tasks` query as a client writes it (dates as ISO strings, defaults left out). */
export type ListTasksRequest = Omit<ListTasksQuery, 'dueBefore' | 'dueAfter' | 'sort' | 'limit'> & {
  dueBefore?: string;
  dueAfter?: string;
  sort?: TaskSort;
  limit?: number;
};

export const listTasksQuerySchema = Joi.object<ListTasksQuery>({
  listId: uuid.description('Only the tasks of this list; a list that is not the user’s is a 404.'),
  assignee: Joi.string()
    .min(1)
    .max(100)
    .description('Only tasks assigned to this user id; `me` = assigned to the caller.'),
  status: Joi.string()
    .valid('pending', 'completed', 'all')
    .description('Omitted = pending and completed (deleted tasks are never listed).'),
  priority,
  tag: text({ min: 1, max: TAG_MAX })
    .trim()
    .lowercase()
    .description('Only tasks carrying this tag.'),
  q: text({ min: 1, max: 200 })
    .trim()
    .description(
      'Text search in title and description: every word must occur, in any order, ignoring case, accents and punctuation ("thinking fast" finds "Thinking, Fast and Slow").',
    ),
  dueBefore: isoDate.description(
    'Only tasks due strictly before this ISO 8601 time (e.g. overdue: now).',
  ),
  dueAfter: isoDate.description('Only tasks due strictly after this ISO 8601 time.'),
  due: Joi.string()
    .valid(...DUE_FILTERS)
    .description(
      "Due today, overdue or this week, in calendar days of the user's saved zone; overdue lists pending tasks only. Combines with dueBefore/dueAfter (both apply).",
    ),
  weekStart: Joi.number()
    .integer()
    .min(1)
    .max(7)
    .description(
      "First day of the week for due=week: 1 = Monday (the default) … 7 = Sunday, as the user's locale says.",
    ),
  sort: Joi.string()
    .valid(...TASK_SORTS)
    .default('-createdAt')
    .description('Sort field; a leading "-" sorts descending.'),
  limit: Joi.number().integer().min(1).max(200).default(50).description('Page size.'),
  cursor: Joi.string().max(500).description('The nextCursor of the previous page.'),
});

export interface TaskPage {
  items: Task[];
  /** Opaque cursor for the next page, or null on the last page. */
  nextCursor: string | null;
  /** Cursor of the change feed as of this response: pass it to `GET /tasks/changes?since=`. */
  changesCursor: string;
}

export interface CompleteTaskResult {
  task: Task;
  nextInstance: { scheduledFor: string | null } | null;
}

/** `POST /api/v1/tasks/{id}/reopen`: the completion taken back. */
export interface ReopenTaskResult {
  task: Task;
  /**
   * The next instance that completion had created, removed with it (it was untouched since);
   * null when there was none, or it had been changed (then it stays).
   */
  removedInstanceId: string | null;
}

/**
 * The `Idempotency-Key` request header: any mutation may carry one. The same key again, with
 * the same request, answers what the first answered without doing anything twice; the same key
 * with a different request is a 422 naming the header.
 */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const idempotencyKeySchema = Joi.string()
  .min(8)
  .max(200)
  .pattern(/^[\x21-\x7e]+$/)
  .messages({ 'string.pattern.base': '{{#label}} must be printable ASCII without spaces' })
  .description('A client-generated unique key (a UUID is best), 8-200 printable characters.');

export const taskIdParamsSchema = Joi.object<{ id: string }>({
  id: uuid.required().description('The id of the task.'),
});

/** Reminder sub-resource of a task. */
export interface Reminder {
  enabled: boolean;
  offsetMinutes: number | null;
  channels: NotificationChannel[];
  scheduledFor: string | null;
}

export interface UpdateReminderInput {
  enabled?: boolean;
  offsetMinutes?: number | null;
  channels?: NotificationChannel[];
}

export const updateReminderSchema = Joi.object<UpdateReminderInput>({
  enabled: Joi.boolean().description(
    'false turns the reminder off; true turns it on (at the due time if no offset is set).',
  ),
  offsetMinutes: reminderOffset.description('Minutes before the due date (60 = an hour before).'),
  channels: channels.description('Where to send it.'),
})
  .or('enabled', 'offsetMinutes', 'channels')
  .messages({ 'object.missing': 'the body must change at least one field' });

export { recurrenceSchema };

// ---- response bodies: joi schemas paired with the interfaces above (each names its OpenAPI
// component with `id`; keys are required unless marked optional, and objects are closed) ----

const dateTime = Joi.string().isoDate();
const nullable = (schema: Joi.Schema) => schema.allow(null);
const channelList = Joi.array()
  .items(Joi.string().valid(...NOTIFICATION_CHANNELS))
  .unique();

export const taskSchema = Joi.object<Task>({
  id: Joi.string().guid(),
  userId: Joi.string(),
  listId: Joi.string().guid().description('The list it belongs to.'),
  assigneeId: nullable(Joi.string()).description('The member it is assigned to, or null.'),
  changedBy: nullable(Joi.string()).description(
    'The user who made the latest change, or null when unknown (before it was recorded, or their account is deleted).',
  ),
  title: Joi.string(),
  description: nullable(Joi.string()),
  status: Joi.string().valid(...TASK_STATUSES),
  priority: Joi.string().valid(...TASK_PRIORITIES),
  tags: Joi.array().items(Joi.string()),
  dueDate: nullable(dateTime),
  reminderEnabled: Joi.boolean(),
  reminderOffset: nullable(Joi.number().integer().min(0)).description(
    'Minutes before the due date the reminder fires.',
  ),
  reminderChannels: channelList,
  reminderAt: nullable(dateTime).description(
    'When the reminder will fire (dueDate − reminderOffset), or null when none is pending.',
  ),
  // An alternative rather than `allow(null)`, which would make the shared component nullable.
  recurrence: Joi.alternatives(recurrencePatternSchema, Joi.valid(null)),
  seriesId: nullable(Joi.string().guid()),
  parentTaskId: nullable(Joi.string().guid()),
  occurrenceIndex: nullable(Joi.number().integer().min(1)),
  version: Joi.number()
    .integer()
    .min(1)
    .description(
      'Increases on every change; send it back as If-Match: "<version>" for a conditional write.',
    ),
  completedAt: nullable(dateTime),
  deletedAt: nullable(dateTime),
  createdAt: dateTime,
  updatedAt: dateTime,
})
  .prefs({ presence: 'required' })
  .id('Task')
  .description('A task. Dates are ISO 8601 timestamps in UTC.');

export const taskPageSchema = Joi.object<TaskPage>({
  items: Joi.array().items(taskSchema),
  nextCursor: nullable(Joi.string()).description(
    'Pass as `cursor` to get the next page; null on the last page.',
  ),
  changesCursor: Joi.string().description(
    'Cursor of the change feed as of this response: pass it to GET /api/v1/tasks/changes?since=.',
  ),
})
  .prefs({ presence: 'required' })
  .id('TaskPage')
  .description('One page of tasks.');

/** `GET /api/v1/tasks/{id}/instances` */
export interface TaskList {
  items: Task[];
}

export const taskListSchema = Joi.object<TaskList>({ items: Joi.array().items(taskSchema) })
  .prefs({ presence: 'required' })
  .id('TaskList')
  .description('Every live instance of a recurring series, first to last.');

export const completeTaskResultSchema = Joi.object<CompleteTaskResult>({
  task: taskSchema,
  nextInstance: nullable(
    Joi.object({ scheduledFor: nullable(dateTime) })
      .prefs({ presence: 'required' })
      .description('The next instance of the series is being created.'),
  ).description('null when the task does not recur (or its series has ended).'),
})
  .prefs({ presence: 'required' })
  .id('CompleteTaskResult')
  .description('The completed task and, for a recurring task, when its next instance is due.');

export const reopenTaskResultSchema = Joi.object<ReopenTaskResult>({
  task: taskSchema,
  removedInstanceId: nullable(Joi.string().guid()).description(
    'The next instance the completion had created, removed with it; null when none was removed.',
  ),
})
  .prefs({ presence: 'required' })
  .id('ReopenTaskResult')
  .description('The reopened task and the next instance its completion had created, if removed.');

export const reminderSchema = Joi.object<Reminder>({
  enabled: Joi.boolean(),
  offsetMinutes: nullable(Joi.number().integer().min(0)).description(
    'Minutes before the due date.',
  ),
  channels: channelList,
  scheduledFor: nullable(dateTime).description('When it will fire; null when none is pending.'),
})
  .prefs({ presence: 'required' })
  .id('Reminder')
  .description("A task's reminder.");
