import Joi from 'joi';
import { LIST_ROLES, type ListRole } from './lists.js';

// A list's activity log (issue 15 item 8, ADR 373): who did what in the list, and when, one
// entry per change, readable by its members, newest first.

export const LIST_ACTIVITY_ACTIONS = [
  'task.created',
  'task.updated',
  'task.completed',
  'task.reopened',
  'task.deleted',
  'task.restored',
  /** Moved here from another list (details.fromListId). */
  'task.moved_in',
  /** Moved from here to another list (details.toListId). */
  'task.moved_out',
  /** Assigned to `member` (null: unassigned). */
  'task.assigned',
  'member.joined',
  'member.left',
  'member.removed',
  'member.role_changed',
  'invite.sent',
  'invite.revoked',
  /** Sent again with a new link and expiry (details.email, details.role). */
  'invite.resent',
  'list.created',
  'list.renamed',
  'list.archived',
  'list.unarchived',
  /** `member` became the owner of record. */
  'list.transferred',
] as const;
export type ListActivityAction = (typeof LIST_ACTIVITY_ACTIONS)[number];

/** The longest task title an entry keeps (a snapshot: the task may be renamed or gone). */
export const ACTIVITY_TITLE_MAX = 80;

/** What else an entry says; which keys depends on its action. */
export interface ListActivityDetails {
  /** The task fields a `task.updated` (or completed, reopened, moved) changed. */
  fields?: string[];
  fromListId?: string;
  toListId?: string;
  /** The role given (joined, role_changed, invite.sent). */
  role?: ListRole;
  previousRole?: ListRole;
  /** The address an invite was sent to (only owners of the list invited it). */
  email?: string;
  /** The list's name after / before a rename. */
  name?: string;
  previousName?: string;
}

/** A person an entry names, or null when their account is deleted. */
export interface ActivityPerson {
  id: string;
  name: string;
}

export interface ListActivity {
  id: string;
  listId: string;
  action: ListActivityAction;
  /** Who did it; null when their account is deleted (the entry stays). */
  actor: ActivityPerson | null;
  /** The task it is about, and its title when it happened (both null for list events). */
  taskId: string | null;
  taskTitle: string | null;
  /** The member a member event or an assignment is about (null: unassigned, or deleted). */
  member: ActivityPerson | null;
  details: ListActivityDetails;
  createdAt: string;
}

export interface ListActivityPage {
  items: ListActivity[];
  /** Pass as `cursor` for the older entries; null on the last page. */
  nextCursor: string | null;
}

export interface ListActivityQuery {
  limit: number;
  cursor?: string;
}

export const listActivityQuerySchema = Joi.object<ListActivityQuery>({
  limit: Joi.number()
    .integer()
    .min(1)
    .max(100)
    .default(50)
    .description('At most this many entries.'),
  cursor: Joi.string()
    .max(100)
    .description('nextCursor of the previous page: the entries before it.'),
});

// ---- response bodies ----

const role = Joi.string().valid(...LIST_ROLES);
const person = Joi.object<ActivityPerson>({ id: Joi.string(), name: Joi.string().allow('') })
  .prefs({ presence: 'required' })
  .allow(null);

export const listActivitySchema = Joi.object<ListActivity>({
  id: Joi.string(),
  listId: Joi.string().guid(),
  action: Joi.string().valid(...LIST_ACTIVITY_ACTIONS),
  actor: person.description('Who did it; null when their account is deleted.'),
  taskId: Joi.string().guid().allow(null),
  taskTitle: Joi.string().allow('', null).description('The task’s title when it happened.'),
  member: person.description('The member a member event or an assignment is about.'),
  details: Joi.object<ListActivityDetails>({
    fields: Joi.array().items(Joi.string()),
    fromListId: Joi.string().guid(),
    toListId: Joi.string().guid(),
    role,
    previousRole: role,
    email: Joi.string(),
    name: Joi.string(),
    previousName: Joi.string(),
  }).prefs({ presence: 'optional' }),
  createdAt: Joi.string().isoDate(),
})
  .prefs({ presence: 'required' })
  .id('ListActivity')
  .description('One change in a list: who did what, when.');

export const listActivityPageSchema = Joi.object<ListActivityPage>({
  items: Joi.array().items(listActivitySchema),
  nextCursor: Joi.string()
    .allow(null)
    .description('Pass as cursor for older entries; null on the last page.'),
})
  .prefs({ presence: 'required' })
  .id('ListActivityPage')
  .description('A page of a list’s activity, newest first.');
