import { randomBytes, randomUUID } from 'node:crypto';
import type { Sequelize, Transaction } from 'sequelize';
import {
  INVITE_TTL_DAYS,
  ME,
  type AcceptInviteResult,
  type CreateInviteInput,
  type CreatedListInvite,
  type ListInvite,
  type ListMember,
  type ListRole,
  type UpdateMemberInput,
} from '@todo/contracts';
import type { Logger } from '@todo/platform';
import {
  deleteMember,
  lockListMembers,
  membersOf,
  setMemberReminders,
  upsertMember,
} from '../../data-access/list-members.js';
import {
  accountAddress,
  deleteInvite,
  insertInvite,
  inviteByTokenHash,
  inviteOfList,
  markAccepted,
  openInvites,
  renewInvite,
  toInviteDto,
  tokenHash,
} from '../../data-access/list-invites.js';
import {
  commitListChange,
  handOverList,
  recordAccessRevoked,
  recordMemberChange,
} from '../../data-access/list-repository.js';
import { unassignMember } from '../../data-access/task-repository.js';
import { recordActivity } from '../../data-access/list-activity.js';
import { ListModel } from '../../data-access/models/index.js';
import { inUserTransaction } from '../../data-access/user-transaction.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import { listFor, membershipOf } from '../list-policy.js';

/** A new invite token: 32 random bytes, in the link only (ADR 320). */
const newToken = () => randomBytes(32).toString('base64url');
const inviteExpiry = () => new Date(Date.now() + INVITE_TTL_DAYS * 86_400_000);

/** An invite to someone already in the list is a 409 (address compared as stored, lowercase). */
async function notAMember(listId: string, email: string, t: Transaction): Promise<void> {
  const members = await membersOf(listId, t);
  if (members.some((m) => m.email.toLowerCase() === email.toLowerCase()))
    throw new ConflictError(`${email} is already a member of this list`);
}

/** What sharing needs from outside the database; each is best effort and optional. */
export interface SharingHooks {
  /** Mails the invite link to the address (the account mailer). */
  mailInvite?: (to: string, invite: { url: string; listName: string; role: ListRole }) => void;
  /** The member's open sockets join / leave the list's room (ADR 322). */
  joined?: (userId: string, listId: string) => Promise<void>;
  left?: (userId: string, listId: string) => Promise<void>;
  /** Base URL of the web app: invite links point there. */
  appUrl?: string;
}

/**
 * Members, roles and invites of lists (ADR 320). Every decision about who may do it is the
 * policy's (list-policy.ts); this service says what changes. Membership changes run under the
 * locks of every member (and the caller), like writes to the list's tasks (ADR 321).
 */
export class SharingService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly logger: Logger,
    private readonly hooks: SharingHooks = {},
  ) {}

  async members(userId: string, listId: string): Promise<ListMember[]> {
    await membershipOf(userId, listId);
    return membersOf(listId);
  }

  async invites(userId: string, listId: string): Promise<ListInvite[]> {
    await listFor(userId, listId, 'manage');
    return (await openInvites(listId, new Date())).map(toInviteDto);
  }

  async invite(
    userId: string,
    listId: string,
    input: CreateInviteInput,
  ): Promise<CreatedListInvite> {
    const token = newToken();
    const { invite, listName } = await this.inListTransaction(userId, listId, async (t) => {
      const list = await listFor(userId, listId, 'manage', t);
      if (list.isInbox) throw new ConflictError('the Inbox cannot be shared: share another list');
      await notAMember(listId, input.email, t);
      const invite = await insertInvite(
        {
          id: randomUUID(),
          listId,
          email: input.email,
          role: input.role,
          invitedBy: userId,
          expiresAt: inviteExpiry(),
          tokenHash: tokenHash(token),
        },
        t,
      );
      await recordActivity(t, userId, [
        { listId, action: 'invite.sent', details: { email: input.email, role: input.role } },
      ]);
      return { invite, listName: list.name };
    });
    const url = this.mailLink(invite.email, token, listName, invite.role);
    this.logger.info({ listId, userId, inviteId: invite.id, role: input.role }, 'list invite sent');
    return { ...toInviteDto(invite), acceptUrl: url };
  }

  /**
   * Sends a pending invite again (owners only) with a new token and a new expiry, so the link
   * mailed before stops working: only a hash of the token is stored, so the old link cannot be
   * mailed again, and one working link per invite keeps "withdraw" meaning what it says. An
   * expired invite may be sent again; an accepted one, or one to an address that became a
   * member, is a 409; a withdrawn one no longer exists (404).
   */
  async resendInvite(userId: string, listId: string, inviteId: string): Promise<CreatedListInvite> {
    const token = newToken();
    const { invite, listName } = await this.inListTransaction(userId, listId, async (t) => {
      const list = await listFor(userId, listId, 'manage', t);
      const current = await inviteOfList(listId, inviteId, t);
      if (!current) throw new NotFoundError(`invite ${inviteId}`);
      if (current.acceptedAt)
        throw new ConflictError('this invite was accepted already: there is nothing to resend');
      await notAMember(listId, current.email, t);
      const invite = await renewInvite(current.id, tokenHash(token), inviteExpiry(), t);
      await recordActivity(t, userId, [
        { listId, action: 'invite.resent', details: { email: invite.email, role: invite.role } },
      ]);
      return { invite, listName: list.name };
    });
    const url = this.mailLink(invite.email, token, listName, invite.role);
    this.logger.info({ listId, userId, inviteId }, 'list invite sent again');
    return { ...toInviteDto(invite), acceptUrl: url };
  }

  /** Mails the invite link (after commit, never awaited: the account mailer) and returns it. */
  private mailLink(to: string, token: string, listName: string, role: ListRole): string {
    const url = `${(this.hooks.appUrl ?? '').replace(/\/+$/, '')}/invites/${token}`;
    this.hooks.mailInvite?.(to, { url, listName, role });
    return url;
  }

  async revokeInvite(userId: string, listId: string, inviteId: string): Promise<void> {
    await this.inListTransaction(userId, listId, async (t) => {
      await listFor(userId, listId, 'manage', t);
      const revoked = await deleteInvite(listId, inviteId, t);
      if (!revoked) throw new NotFoundError(`invite ${inviteId}`);
      await recordActivity(t, userId, [{ listId, action: 'invite.revoked', details: revoked }]);
    });
  }

  /**
   * Accepts an invite: single use, bound to its address (the signed-in account's confirmed
   * address must be the one invited). Every refusal says nothing about the list.
   */
  async accept(userId: string, token: string): Promise<AcceptInviteResult> {
    const invalid = () => new NotFoundError('this invite link');
    const result = await inUserTransaction(this.sequelize, userId, async (t) => {
      const invite = await inviteByTokenHash(tokenHash(token), t);
      if (!invite || invite.acceptedAt || invite.expiresAt.getTime() <= Date.now()) throw invalid();
      const address = await accountAddress(userId, t);
      if (!address || address.email.toLowerCase() !== invite.email.toLowerCase())
        throw new ForbiddenError(
          'this invite was sent to another address: sign in with the account it was sent to',
        );
      if (!address.verified)
        throw new ForbiddenError('confirm your email address first, then open the link again');
      await lockListMembers(invite.listId, userId, t);
      const list = await ListModel.findByPk(invite.listId, { transaction: t, lock: t.LOCK.UPDATE });
      if (!list) throw invalid();
      const current = (await membersOf(invite.listId, t)).find((m) => m.userId === userId);
      // Accepting never lowers a role one already has.
      const rank = { viewer: 1, editor: 2, owner: 3 } as const;
      const changes = !current || rank[invite.role] > rank[current.role];
      if (changes) {
        await upsertMember(invite.listId, userId, invite.role, t);
        await recordActivity(t, userId, [
          current
            ? {
                listId: invite.listId,
                action: 'member.role_changed',
                memberId: userId,
                details: { role: invite.role, previousRole: current.role },
              }
            : {
                listId: invite.listId,
                action: 'member.joined',
                memberId: userId,
                details: { role: invite.role },
              },
        ]);
      }
      await markAccepted(invite.id, new Date(), t);
      // Every member's tabs hear that the list changed (its member count).
      const dto = await commitListChange(t, list, 'updated', ['members']);
      const member = (await membersOf(invite.listId, t)).find((m) => m.userId === userId)!;
      if (changes) await recordMemberChange(t, list, current ? 'updated' : 'added', member);
      return { list: dto, member };
    });
    await this.hooks.joined?.(userId, result.list.id);
    this.logger.info(
      { listId: result.list.id, userId, role: result.member.role },
      'invite accepted',
    );
    return result;
  }

  /**
   * Changes a member's role (owners only; the last owner cannot be demoted) and/or whether they
   * get the list's reminders (only for oneself, any role: a viewer reads the tasks a reminder
   * names). Both are refused as a whole before anything changes.
   */
  async updateMember(
    userId: string,
    listId: string,
    memberId: string,
    input: UpdateMemberInput,
  ): Promise<ListMember> {
    const target = memberId === ME ? userId : memberId;
    return this.inListTransaction(userId, listId, async (t) => {
      const list = await listFor(userId, listId, input.role !== undefined ? 'manage' : 'read', t);
      if (input.reminders !== undefined && target !== userId)
        throw new ForbiddenError(
          'reminders can be turned on or off only for yourself: use members/me',
        );
      const members = await membersOf(listId, t);
      const member = members.find((m) => m.userId === target);
      if (!member) throw new NotFoundError(`member ${memberId}`);
      const role = input.role ?? member.role;
      const reminders = input.reminders ?? member.reminders;
      if (role !== member.role) {
        if (member.role === 'owner') {
          if (list.userId === target)
            throw new ConflictError(
              'the owner of record cannot be demoted: transfer ownership to another member first',
            );
          if (members.filter((m) => m.role === 'owner').length <= 1)
            throw new ConflictError('a list needs at least one owner');
        }
        await upsertMember(listId, target, role, t);
        await recordActivity(t, userId, [
          {
            listId,
            action: 'member.role_changed',
            memberId: target,
            details: { role, previousRole: member.role },
          },
        ]);
      }
      if (reminders !== member.reminders) await setMemberReminders(listId, target, reminders, t);
      if (role !== member.role || reminders !== member.reminders) {
        await commitListChange(t, list, 'updated', ['members']);
        await recordMemberChange(t, list, 'updated', { ...member, role, reminders });
      }
      return { ...member, role, reminders };
    });
  }

  /**
   * Removes a member (owners) or leaves (`me`, anyone). The last owner cannot leave, nor the
   * owner of record (transfer first). The removed member's feed gets `access_revoked` and their
   * sockets leave the list's room; tasks assigned to them are unassigned.
   */
  async removeMember(userId: string, listId: string, memberId: string): Promise<void> {
    const target = memberId === ME ? userId : memberId;
    await this.inListTransaction(userId, listId, async (t) => {
      const list = await listFor(userId, listId, target === userId ? 'read' : 'manage', t);
      const members = await membersOf(listId, t);
      const member = members.find((m) => m.userId === target);
      if (!member) throw new NotFoundError(`member ${memberId}`);
      if (member.role === 'owner' && members.filter((m) => m.role === 'owner').length <= 1)
        throw new ConflictError(
          'the last owner cannot leave: make another member an owner, or delete the list',
        );
      if (list.userId === target)
        throw new ConflictError(
          'the owner of record cannot leave: transfer ownership to another member first',
        );
      await deleteMember(listId, target, t);
      await unassignMember(listId, target, userId, t);
      await recordAccessRevoked(t, list, target);
      await recordActivity(t, userId, [
        {
          listId,
          action: target === userId ? 'member.left' : 'member.removed',
          memberId: target,
          details: { role: member.role },
        },
      ]);
      await commitListChange(t, list, 'updated', ['members']);
      await recordMemberChange(t, list, 'removed', member);
    });
    await this.hooks.left?.(target, listId);
    this.logger.info({ listId, userId, memberId: target }, 'list member removed');
  }

  /**
   * Makes another member the owner of record: the list and its tasks move to their account
   * (it survives the previous owner's account). Both stay owners.
   */
  async transfer(userId: string, listId: string, to: string): Promise<ListMember[]> {
    await this.inListTransaction(userId, listId, async (t) => {
      const list = await listFor(userId, listId, 'manage', t);
      const members = await membersOf(listId, t);
      if (!members.some((m) => m.userId === to)) throw new NotFoundError(`member ${to}`);
      if (list.userId === to) return;
      await handOverList(list, to, t);
      await recordActivity(t, userId, [{ listId, action: 'list.transferred', memberId: to }]);
    });
    await this.hooks.joined?.(userId, listId);
    this.logger.info({ listId, userId, to }, 'list ownership transferred');
    return membersOf(listId);
  }

  /** A transaction holding the locks of the caller and every member of the list, sorted. */
  private inListTransaction<T>(
    userId: string,
    listId: string,
    fn: (t: Transaction) => Promise<T>,
  ): Promise<T> {
    return inUserTransaction(
      this.sequelize,
      userId,
      async (t) => {
        await lockListMembers(listId, userId, t);
        return fn(t);
      },
      { lockInFirstQuery: true },
    );
  }
}
