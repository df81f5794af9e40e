import Joi from 'joi';
import { isoDate, uuid } from './common.js';
import { recurrenceSchema, type RecurrenceInput, type RecurrencePattern } from './recurrence.js';
import { NOTIFICATION_CHANNELS, type NotificationChannel } from './notifications.js';

export const TASK_PRIORITIES = ['low', 'medium', 'high'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

export const TASK_STATUSES = ['pending', 'completed', 'deleted'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TITLE_MAX = 255;
export const DESCRIPTION_MAX = 10_000;
export const TAG_MAX = 50;
export const TAGS_MAX = 20;
/** Reminder offsets are minutes before the due date; four weeks at most. */
export const REMINDER_OFFSET_MAX = 40_320;

/** A task as the API returns it and as events carry it. Dates are ISO 8601 strings. */
export interface Task {
  id: string;
  userId: string;
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

const title = Joi.string().trim().min(1).max(TITLE_MAX);
const description = Joi.string().max(DESCRIPTION_MAX).allow('', null);
const tags = Joi.array()
  .items(Joi.string().trim().lowercase().min(1).max(TAG_MAX))
  .max(TAGS_MAX)
  .unique();
const reminderOffset = Joi.number().integer().min(0).max(REMINDER_OFFSET_MAX).allow(null);
const channels = Joi.array()
  .items(Joi.string().valid(...NOTIFICATION_CHANNELS))
  .unique();

export interface CreateTaskInput {
  title: string;
  description?: string | null;
  dueDate?: Date | null;
  priority?: TaskPriority;
  tags?: string[];
  reminderOffset?: number | null;
  reminderChannels?: NotificationChannel[];
  recurrence?: RecurrenceInput | null;
}

export const createTaskSchema = Joi.object<CreateTaskInput>({
  title: title.required(),
  description,
  dueDate: isoDate.allow(null),
  priority: Joi.string()
    .valid(...TASK_PRIORITIES)
    .default('medium'),
  tags: tags.default([]),
  reminderOffset,
  reminderChannels: channels,
  recurrence: recurrenceSchema.allow(null),
});

export interface UpdateTaskInput {
  title?: string;
  description?: string | null;
  dueDate?: Date | null;
  priority?: TaskPriority;
  tags?: string[];
  reminderOffset?: number | null;
  status?: 'pending' | 'completed';
}

/** PATCH is partial; `status` may complete or reopen (deleting is `DELETE`). */
export const updateTaskSchema = Joi.object<UpdateTaskInput>({
  title,
  description,
  dueDate: isoDate.allow(null),
  priority: Joi.string().valid(...TASK_PRIORITIES),
  tags,
  reminderOffset,
  status: Joi.string().valid('pending', 'completed'),
})
  .min(1)
  .messages({ 'object.min': 'the body must change at least one field' });

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
  status?: 'pending' | 'completed' | 'all';
  priority?: TaskPriority;
  tag?: string;
  q?: string;
  dueBefore?: Date;
  dueAfter?: Date;
  sort: TaskSort;
  limit: number;
  cursor?: string;
}

export const listTasksQuerySchema = Joi.object<ListTasksQuery>({
  status: Joi.string().valid('pending', 'completed', 'all'),
  priority: Joi.string().valid(...TASK_PRIORITIES),
  tag: Joi.string().trim().lowercase().min(1).max(TAG_MAX),
  q: Joi.string().trim().min(1).max(200),
  dueBefore: isoDate,
  dueAfter: isoDate,
  sort: Joi.string()
    .valid(...TASK_SORTS)
    .default('-createdAt'),
  limit: Joi.number().integer().min(1).max(200).default(50),
  cursor: Joi.string().max(500),
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

export const taskIdParamsSchema = Joi.object<{ id: string }>({ id: uuid.required() });

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
  enabled: Joi.boolean(),
  offsetMinutes: reminderOffset,
  channels,
})
  .min(1)
  .messages({ 'object.min': 'the body must change at least one field' });

export { recurrenceSchema };
