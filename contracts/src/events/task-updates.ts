import Joi from 'joi';
import type { Task } from '../rest/tasks.js';
import type { List } from '../rest/lists.js';
import { MEMBER_CHANGE_ACTIONS, type MemberUpdateMessage } from '../rest/sharing.js';
import type { CloudEvent } from './cloudevent.js';

export const TASK_CHANGED_TYPE = 'com.todo.task.changed' as const;

export const TASK_CHANGE_ACTIONS = ['created', 'updated', 'completed', 'deleted'] as const;
export type TaskChangeAction = (typeof TASK_CHANGE_ACTIONS)[number];

/**
 * `data` of a `task-updates` CloudEvent; socket nodes forward it as `task_update`.
 * `seq` is the change-feed cursor of this change (`GET /tasks/changes?since=`).
 */
export interface TaskChangedData {
  action: TaskChangeAction;
  taskId: string;
  userId: string;
  task: Task;
  changedFields: string[];
  seq: string;
  timestamp: string;
}

export type TaskChangedEvent = CloudEvent<TaskChangedData, typeof TASK_CHANGED_TYPE>;

export const taskChangedDataSchema = Joi.object({
  action: Joi.string()
    .valid(...TASK_CHANGE_ACTIONS)
    .required(),
  taskId: Joi.string().required(),
  userId: Joi.string().required(),
  task: Joi.object().unknown(true).required(),
  changedFields: Joi.array().items(Joi.string()).required(),
  seq: Joi.string().required(),
  timestamp: Joi.string().isoDate().required(),
});

export const LIST_CHANGED_TYPE = 'com.todo.list.changed' as const;

/**
 * `access_revoked` (the `list.access_revoked` change): the reader is no longer a member of the
 * list (removed, left, or the list was deleted by another owner). It reaches only that user;
 * clients drop the list and its tasks. Its `list` is the list as it was when access ended.
 */
export const LIST_CHANGE_ACTIONS = ['created', 'updated', 'deleted', 'access_revoked'] as const;
export type ListChangeAction = (typeof LIST_CHANGE_ACTIONS)[number];

/**
 * `data` of a `com.todo.list.changed` CloudEvent on `task-updates`: socket nodes forward it as
 * `list_update`. `seq` is its place in the same change feed as tasks.
 */
export interface ListChangedData {
  action: ListChangeAction;
  listId: string;
  userId: string;
  list: List;
  changedFields: string[];
  seq: string;
  timestamp: string;
}

export type ListChangedEvent = CloudEvent<ListChangedData, typeof LIST_CHANGED_TYPE>;

export const listChangedDataSchema = Joi.object({
  action: Joi.string()
    .valid(...LIST_CHANGE_ACTIONS)
    .required(),
  listId: Joi.string().required(),
  userId: Joi.string().required(),
  list: Joi.object().unknown(true).required(),
  changedFields: Joi.array().items(Joi.string()).required(),
  seq: Joi.string().required(),
  timestamp: Joi.string().isoDate().required(),
});

export const MEMBER_CHANGED_TYPE = 'com.todo.list.member-changed' as const;

/**
 * `data` of a `com.todo.list.member-changed` CloudEvent on `task-updates`: someone joined a
 * list, changed role, or left / was removed. Socket nodes forward it as `member_update` to the
 * list's room and to the member's own room (a removed member hears it too). `userId` is the
 * list's owner of record, the envelope's owner: the same partition key as the list's other
 * changes, so a tab never sees a member before the list they joined.
 */
export interface MemberChangedData extends MemberUpdateMessage {
  userId: string;
}

export type MemberChangedEvent = CloudEvent<MemberChangedData, typeof MEMBER_CHANGED_TYPE>;

export const memberChangedDataSchema = Joi.object({
  action: Joi.string()
    .valid(...MEMBER_CHANGE_ACTIONS)
    .required(),
  listId: Joi.string().required(),
  userId: Joi.string().required(),
  // Only the member's user id is needed to address it; the rest is passed on as received.
  member: Joi.object({ userId: Joi.string().required() }).unknown(true).required(),
  timestamp: Joi.string().isoDate().required(),
});
