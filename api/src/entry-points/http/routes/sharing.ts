import type { Router } from 'express';
import {
  acceptInviteResultSchema,
  acceptInviteSchema,
  createInviteSchema,
  createdListInviteSchema,
  inviteParamsSchema,
  listIdParamsSchema,
  listInvitePageSchema,
  listMemberPageSchema,
  listMemberSchema,
  memberParamsSchema,
  transferOwnershipSchema,
  updateMemberSchema,
} from '@todo/contracts';
import { userIdOf } from '../auth/require-user.js';
import { validate } from '../../../domain/validate.js';
import { AUTHED, WITH_BODY, documentedRouter, type Operation } from '../openapi/operation.js';
import type { Services } from '../../../domain/services.js';

const NOT_MEMBER =
  'A list the user is not a member of is a 404, as one that does not exist; a member whose role does not allow it gets a 403.';

/** `/api/v1/lists/{id}/members|invites|transfer`: sharing a list (ADR 320). */
export function sharingRouter({ sharing }: Services): { router: Router; operations: Operation[] } {
  const { router, operations, route } = documentedRouter('/api/v1/lists');
  const idOf = (params: unknown) => validate(listIdParamsSchema, params, 'params').id;

  route(
    'get',
    '/:id/members',
    {
      operationId: 'listMembers',
      tag: 'sharing',
      summary: 'Members of a list',
      description: `Every member with their role, owners first. Any member may read it. ${NOT_MEMBER}`,
      params: listIdParamsSchema,
      success: { status: 200, description: 'The members.', schema: listMemberPageSchema },
      errors: [400, 404, ...AUTHED],
    },
    async (req, res) => {
      res.json({ items: await sharing.members(userIdOf(req), idOf(req.params)) });
    },
  );

  route(
    'patch',
    '/:id/members/:userId',
    {
      operationId: 'updateMember',
      tag: 'sharing',
      summary: 'Change a member’s role, or your own reminders',
      description: `\`role\`: owners only; the last owner and owner of record stay owners (409). \`reminders\`: only your own (\`me\`; another's is a 403): reminders of this list's unassigned tasks. ${NOT_MEMBER}`,
      params: memberParamsSchema,
      body: {
        name: 'UpdateMemberRequest',
        schema: updateMemberSchema,
        examples: {
          editor: { summary: 'Let them edit', value: { role: 'editor' } },
          reminders: { summary: 'Get this list’s reminders (me)', value: { reminders: true } },
        },
      },
      success: { status: 200, description: 'The member.', schema: listMemberSchema },
      errors: [...WITH_BODY, 403, 404, 409, ...AUTHED],
    },
    async (req, res) => {
      const { id, userId } = validate(memberParamsSchema, req.params, 'params');
      const input = validate(updateMemberSchema, req.body, 'body');
      res.json(await sharing.updateMember(userIdOf(req), id, userId, input));
    },
  );

  route(
    'delete',
    '/:id/members/:userId',
    {
      operationId: 'removeMember',
      tag: 'sharing',
      summary: 'Remove a member, or leave (userId = me)',
      description:
        'Owners remove anyone; any member may leave (me). The last owner, and the owner of record (transfer first), cannot leave: 409. The removed member’s feed gets an access_revoked list change at once. Not a member: 404; role too low: 403.',
      params: memberParamsSchema,
      success: { status: 204, description: 'Removed.' },
      errors: [400, 403, 404, 409, ...AUTHED],
    },
    async (req, res) => {
      const { id, userId } = validate(memberParamsSchema, req.params, 'params');
      await sharing.removeMember(userIdOf(req), id, userId);
      res.status(204).end();
    },
  );

  route(
    'post',
    '/:id/transfer',
    {
      operationId: 'transferList',
      tag: 'sharing',
      summary: 'Transfer ownership of a list',
      description: `Owners only. The member named becomes the owner of record: the list and its tasks move to their account (they outlive the previous owner's). Both stay owners. ${NOT_MEMBER}`,
      params: listIdParamsSchema,
      body: {
        name: 'TransferListRequest',
        schema: transferOwnershipSchema,
        examples: { to: { summary: 'To a member', value: { userId: 'u_2' } } },
      },
      success: { status: 200, description: 'The members after.', schema: listMemberPageSchema },
      errors: [...WITH_BODY, 403, 404, ...AUTHED],
    },
    async (req, res) => {
      const id = idOf(req.params);
      const { userId } = validate(transferOwnershipSchema, req.body, 'body');
      res.json({ items: await sharing.transfer(userIdOf(req), id, userId) });
    },
  );

  route(
    'get',
    '/:id/invites',
    {
      operationId: 'listInvites',
      tag: 'sharing',
      summary: 'Open invites of a list',
      description: `Owners only: invites not yet accepted or expired. ${NOT_MEMBER}`,
      params: listIdParamsSchema,
      success: { status: 200, description: 'The invites.', schema: listInvitePageSchema },
      errors: [400, 403, 404, ...AUTHED],
    },
    async (req, res) => {
      res.json({ items: await sharing.invites(userIdOf(req), idOf(req.params)) });
    },
  );

  route(
    'post',
    '/:id/invites',
    {
      operationId: 'createInvite',
      tag: 'sharing',
      summary: 'Invite someone to a list by email',
      description:
        'Owners only. Mails a link to the address: only the account with that confirmed address can accept it, once, within 7 days (one without an account signs up first). The Inbox cannot be shared (409). Not a member: 404; role too low: 403.',
      params: listIdParamsSchema,
      body: {
        name: 'CreateInviteRequest',
        schema: createInviteSchema,
        examples: {
          editor: { summary: 'An editor', value: { email: 'ada@example.com', role: 'editor' } },
        },
      },
      success: { status: 201, description: 'Invited.', schema: createdListInviteSchema },
      errors: [...WITH_BODY, 403, 404, 409, ...AUTHED],
    },
    async (req, res) => {
      const id = idOf(req.params);
      const input = validate(createInviteSchema, req.body, 'body');
      res.status(201).json(await sharing.invite(userIdOf(req), id, input));
    },
  );

  route(
    'delete',
    '/:id/invites/:inviteId',
    {
      operationId: 'revokeInvite',
      tag: 'sharing',
      summary: 'Withdraw an invite',
      description: `Owners only; its link stops working. ${NOT_MEMBER}`,
      params: inviteParamsSchema,
      success: { status: 204, description: 'Withdrawn.' },
      errors: [400, 403, 404, ...AUTHED],
    },
    async (req, res) => {
      const { id, inviteId } = validate(inviteParamsSchema, req.params, 'params');
      await sharing.revokeInvite(userIdOf(req), id, inviteId);
      res.status(204).end();
    },
  );

  route(
    'post',
    '/:id/invites/:inviteId/resend',
    {
      operationId: 'resendInvite',
      tag: 'sharing',
      summary: 'Send an invite again with a new link',
      description:
        'Owners only. Mails a new link, valid 7 days from now; the previous link stops working. An expired invite may be sent again; an accepted one, or one to a member, is a 409. Not a member, or a withdrawn invite: 404; role too low: 403.',
      params: inviteParamsSchema,
      success: {
        status: 200,
        description: 'The invite with its new expiry and, once, its new link.',
        schema: createdListInviteSchema,
      },
      errors: [400, 403, 404, 409, ...AUTHED],
    },
    async (req, res) => {
      const { id, inviteId } = validate(inviteParamsSchema, req.params, 'params');
      res.json(await sharing.resendInvite(userIdOf(req), id, inviteId));
    },
  );

  return { router, operations };
}

/** `POST /api/v1/invites/accept`: joining a list from an invite link. */
export function invitesRouter({ sharing }: Services): { router: Router; operations: Operation[] } {
  const { router, operations, route } = documentedRouter('/api/v1/invites');
  route(
    'post',
    '/accept',
    {
      operationId: 'acceptInvite',
      tag: 'sharing',
      summary: 'Accept an invite',
      description:
        'Joins the list with the role invited. The link works once, until it expires, and only for the account with the invited, confirmed address (403 otherwise). An unknown, used or expired link is a 404.',
      body: {
        name: 'AcceptInviteRequest',
        schema: acceptInviteSchema,
        examples: {
          link: { summary: 'From the link', value: { token: 'q3YhM1d5xY0cVQ2n8d8f2k9l0p7Tz' } },
        },
      },
      success: { status: 200, description: 'Joined.', schema: acceptInviteResultSchema },
      errors: [...WITH_BODY, 403, 404, ...AUTHED],
    },
    async (req, res) => {
      const { token } = validate(acceptInviteSchema, req.body, 'body');
      res.json(await sharing.accept(userIdOf(req), token));
    },
  );
  return { router, operations };
}
