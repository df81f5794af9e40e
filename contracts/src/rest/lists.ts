import Joi from 'joi';
import { text } from '../text.js';
import { LIST_NAME_MAX } from '../lengths.js';
import { uuid } from './common.js';

export { LIST_NAME_MAX } from '../lengths.js';

/**
 * Roles of a list's members (ADR 320):
 * - `viewer` reads the list and its tasks.
 * - `editor` also adds, changes, completes, assigns and deletes its tasks.
 * - `owner` also renames, archives and deletes the list and manages its members and invites.
 *   A list has at least one owner; the last one cannot leave or be demoted.
 */
export const LIST_ROLES = ['viewer', 'editor', 'owner'] as const;
export type ListRole = (typeof LIST_ROLES)[number];

/**
 * A list of tasks (a project). Every account has one Inbox (`isInbox`): the default list, which
 * cannot be deleted, archived or renamed away. Dates are ISO 8601 strings.
 */
export interface List {
  id: string;
  userId: string;
  name: string;
  /** `#rrggbb`, or null for the default colour. */
  color: string | null;
  /** Lists are shown by ascending position (then by when they were made). */
  position: number;
  isInbox: boolean;
  /** When it was archived (hidden from the sidebar, its tasks kept), or null. */
  archivedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A list as `GET /api/v1/lists` answers it: with how many open tasks it holds. */
export interface ListSummary extends List {
  openTaskCount: number;
  /** The caller's role in it (ADR 320). */
  role: ListRole;
  /** How many members it has (1 = not shared). */
  memberCount: number;
}

export interface ListPage {
  items: ListSummary[];
}

const name = text({ min: 1, max: LIST_NAME_MAX }).trim().description('What the list is called.');
const color = Joi.string()
  .pattern(/^#[0-9a-fA-F]{6}$/)
  .lowercase()
  .allow(null)
  .description('A colour as #rrggbb; null = the default colour.')
  .messages({ 'string.pattern.base': '{{#label}} must be a colour written #rrggbb' });
const position = Joi.number()
  .integer()
  .min(0)
  .max(1_000_000)
  .description('Where it is shown: lists are ordered by ascending position.');

export interface CreateListInput {
  /** A client-chosen id (UUID), as for tasks; omitted = the server chooses one. */
  id?: string;
  name: string;
  color?: string | null;
  position?: number;
}

export const createListSchema = Joi.object<CreateListInput>({
  id: uuid.description('A client-chosen id (UUID); an id already taken is a 409.'),
  name: name.required(),
  color,
  position,
});

export interface UpdateListInput {
  name?: string;
  color?: string | null;
  position?: number;
  /** true archives the list, false brings it back. */
  archived?: boolean;
}

export const updateListSchema = Joi.object<UpdateListInput>({
  name,
  color,
  position,
  archived: Joi.boolean().description(
    'true archives the list (the Inbox cannot be), false brings it back.',
  ),
})
  .or('name', 'color', 'position', 'archived')
  .messages({ 'object.missing': 'the body must change at least one field' });

export const listIdParamsSchema = Joi.object<{ id: string }>({
  id: uuid.required().description('The id of the list.'),
});

// ---- response bodies ----

const dateTime = Joi.string().isoDate();

const listKeys = {
  id: Joi.string().guid(),
  userId: Joi.string(),
  name: Joi.string(),
  color: Joi.string().allow(null),
  position: Joi.number().integer().min(0),
  isInbox: Joi.boolean().description('The default list: it cannot be deleted or archived.'),
  archivedAt: dateTime.allow(null),
  version: Joi.number()
    .integer()
    .min(1)
    .description('Increases on every change; send it back as If-Match for a conditional write.'),
  createdAt: dateTime,
  updatedAt: dateTime,
};

export const listSchema = Joi.object<List>(listKeys)
  .prefs({ presence: 'required' })
  .id('List')
  .description('A list of tasks.');

export const listSummarySchema = Joi.object<ListSummary>({
  ...listKeys,
  openTaskCount: Joi.number().integer().min(0).description('How many open tasks it holds.'),
  role: Joi.string()
    .valid(...LIST_ROLES)
    .description('The caller’s role in the list.'),
  memberCount: Joi.number().integer().min(1).description('How many members it has.'),
})
  .prefs({ presence: 'required' })
  .id('ListSummary')
  .description('A list with how many open tasks it holds.');

export const listPageSchema = Joi.object<ListPage>({
  items: Joi.array().items(listSummarySchema),
})
  .prefs({ presence: 'required' })
  .id('ListPage')
  .description('Every list of the user, archived ones included, in display order.');
