import Joi from 'joi';
import { EMAIL_PATTERN } from './auth.js';
import { uuid } from './common.js';
import { LIST_ROLES, listSchema, type List, type ListRole } from './lists.js';

export { LIST_ROLES, type ListRole } from './lists.js';

// Sharing a list (ADR 320): its members, each with a role (LIST_ROLES), and invites by email.

/** How long an invite link works (days). */
export const INVITE_TTL_DAYS = 7;

/** One member of a list, as its other members see it. */
export interface ListMember {
  listId: string;
  userId: string;
  name: string;
  email: string;
  role: ListRole;
  /**
   * Whether they get the reminders of the list's tasks nobody is assigned to (an assigned
   * task's reminder goes to its assignee). Each member sets their own; off when one joins
   * (ADR 376).
   */
  reminders: boolean;
  /** When they joined (the owner who made the list: when it was made). */
  joinedAt: string;
}

export interface ListMemberPage {
  items: ListMember[];
}

/** An invite not yet accepted (owners see them; the token itself is never shown again). */
export interface ListInvite {
  id: string;
  listId: string;
  /** The address it was sent to: only the account with this address may accept it. */
  email: string;
  role: ListRole;
  invitedBy: string;
  expiresAt: string;
  createdAt: string;
}

/**
 * `POST /api/v1/lists/{id}/invites` answers the invite and, once, its link; so does
 * `POST .../invites/{inviteId}/resend`, with the new link (the previous one stops working).
 */
export interface CreatedListInvite extends ListInvite {
  /** The link mailed to the address (single use, bound to the address, expires). */
  acceptUrl: string;
}

export interface ListInvitePage {
  items: ListInvite[];
}

export interface CreateInviteInput {
  email: string;
  role: ListRole;
}

const role = Joi.string()
  .valid(...LIST_ROLES)
  .description('viewer = read; editor = read and write tasks; owner = also manage the list.');

export const createInviteSchema = Joi.object<CreateInviteInput>({
  email: Joi.string()
    .trim()
    .lowercase()
    .max(254)
    .pattern(EMAIL_PATTERN)
    .required()
    .description('Who to invite; they need an account with this address to accept.')
    .messages({
      'string.pattern.base': '{{#label}} must be an email address such as ada@example.com',
    }),
  role: role.required(),
});

export interface AcceptInviteInput {
  token: string;
}

export const acceptInviteSchema = Joi.object<AcceptInviteInput>({
  token: Joi.string()
    .pattern(/^[A-Za-z0-9_-]{20,100}$/)
    .required()
    .description('The token of the invite link.')
    .messages({ 'string.pattern.base': '{{#label}} must be the token of an invite link' }),
});

export interface AcceptInviteResult {
  list: List;
  member: ListMember;
}

/** `PATCH .../members/{userId}`: at least one of the two. */
export interface UpdateMemberInput {
  /** Owners only. */
  role?: ListRole;
  /** Only for oneself (`me`, or one's own id). */
  reminders?: boolean;
}

export const updateMemberSchema = Joi.object<UpdateMemberInput>({
  role,
  reminders: Joi.boolean()
    .strict()
    .description(
      'Get the reminders of this list’s unassigned tasks (only for yourself; an assigned task’s reminder goes to its assignee).',
    ),
})
  .or('role', 'reminders')
  .messages({ 'object.missing': '{{#label}} must contain role or reminders (or both)' });

export interface TransferOwnershipInput {
  /** A member who becomes the list's owner of record; the caller stays an owner. */
  userId: string;
}

export const transferOwnershipSchema = Joi.object<TransferOwnershipInput>({
  userId: Joi.string()
    .min(1)
    .max(100)
    .required()
    .description('The member who becomes the owner of record (their account holds the list).'),
});

/** Path of a member route: `userId` may be `me` (leaving is removing yourself). */
export const memberParamsSchema = Joi.object<{ id: string; userId: string }>({
  id: uuid.required().description('The id of the list.'),
  userId: Joi.string().min(1).max(100).required().description('A member’s user id, or `me`.'),
});

export const inviteParamsSchema = Joi.object<{ id: string; inviteId: string }>({
  id: uuid.required().description('The id of the list.'),
  inviteId: uuid.required().description('The id of the invite.'),
});

// ---- response bodies ----

const dateTime = Joi.string().isoDate();

export const listMemberSchema = Joi.object<ListMember>({
  listId: Joi.string().guid(),
  userId: Joi.string(),
  name: Joi.string().allow(''),
  email: Joi.string(),
  role,
  reminders: Joi.boolean(),
  joinedAt: dateTime,
})
  .prefs({ presence: 'required' })
  .id('ListMember')
  .description('A member of a list and their role.');

export const listMemberPageSchema = Joi.object<ListMemberPage>({
  items: Joi.array().items(listMemberSchema),
})
  .prefs({ presence: 'required' })
  .id('ListMemberPage')
  .description('Every member of the list, owners first.');

const inviteKeys = {
  id: Joi.string().guid(),
  listId: Joi.string().guid(),
  email: Joi.string(),
  role,
  invitedBy: Joi.string(),
  expiresAt: dateTime,
  createdAt: dateTime,
};

export const listInviteSchema = Joi.object<ListInvite>(inviteKeys)
  .prefs({ presence: 'required' })
  .id('ListInvite')
  .description('An invite waiting to be accepted.');

export const createdListInviteSchema = Joi.object<CreatedListInvite>({
  ...inviteKeys,
  acceptUrl: Joi.string().description('The link mailed to the address; shown only now.'),
})
  .prefs({ presence: 'required' })
  .id('CreatedListInvite')
  .description('The invite made, with its link.');

export const listInvitePageSchema = Joi.object<ListInvitePage>({
  items: Joi.array().items(listInviteSchema),
})
  .prefs({ presence: 'required' })
  .id('ListInvitePage')
  .description('Invites of the list not yet accepted or expired.');

export const acceptInviteResultSchema = Joi.object<AcceptInviteResult>({
  list: listSchema,
  member: listMemberSchema,
})
  .prefs({ presence: 'required' })
  .id('AcceptInviteResult')
  .description('The list joined and the membership it gave.');

/** Socket.IO room of one list: every open tab of every member joins it (ADR 322). */
export const listRoom = (listId: string): string => `list:${listId}`;

/**
 * Redis set of the list ids a user is a member of, kept by the api (written after each
 * membership change commits). A socket node reads it at connect to join the user's list rooms
 * without knowing the api's tables (ADR 322).
 */
export const listMembershipsKey = (userId: string): string => `list-memberships:${userId}`;

/** The user id of a member route that means "the caller". */
export const ME = 'me';

export const MEMBER_CHANGE_ACTIONS = ['added', 'updated', 'removed'] as const;
export type MemberChangeAction = (typeof MEMBER_CHANGE_ACTIONS)[number];

/**
 * `member_update` on the socket (to the list's room, and to the member's own room so a removed
 * member hears it too): someone joined, changed role or left/was removed.
 */
export interface MemberUpdateMessage {
  action: MemberChangeAction;
  listId: string;
  member: ListMember;
  timestamp: string;
}
