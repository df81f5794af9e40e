import { createHash } from 'node:crypto';
import { QueryTypes, type Transaction } from 'sequelize';
import type { ListInvite, ListRole } from '@todo/contracts';
import { ListModel } from './models/index.js';

// `list_invites` (migration 017): only a SHA-256 of an invite's token is stored, so the table
// leaking does not leak working links.

const db = () => ListModel.sequelize!;

export const tokenHash = (token: string): string =>
  createHash('sha256').update(token).digest('hex');

interface InviteRow {
  id: string;
  listId: string;
  email: string;
  role: ListRole;
  invitedBy: string;
  expiresAt: Date;
  acceptedAt: Date | null;
  createdAt: Date;
}

const COLUMNS = `id, list_id AS "listId", email, role, invited_by AS "invitedBy",
  expires_at AS "expiresAt", accepted_at AS "acceptedAt", created_at AS "createdAt"`;

export const toInviteDto = (row: InviteRow): ListInvite => ({
  id: row.id,
  listId: row.listId,
  email: row.email,
  role: row.role,
  invitedBy: row.invitedBy,
  expiresAt: new Date(row.expiresAt).toISOString(),
  createdAt: new Date(row.createdAt).toISOString(),
});

export async function insertInvite(
  invite: Omit<InviteRow, 'acceptedAt' | 'createdAt'> & { tokenHash: string },
  transaction: Transaction,
): Promise<InviteRow> {
  const rows = await db().query<InviteRow>(
    `INSERT INTO list_invites (id, list_id, email, role, token_hash, invited_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
    {
      bind: [
        invite.id,
        invite.listId,
        invite.email,
        invite.role,
        invite.tokenHash,
        invite.invitedBy,
        invite.expiresAt,
      ],
      type: QueryTypes.SELECT,
      transaction,
    },
  );
  return rows[0]!;
}

/** Invites of the list still open (not accepted, not expired), oldest first. */
export async function openInvites(listId: string, now: Date): Promise<InviteRow[]> {
  return db().query<InviteRow>(
    `SELECT ${COLUMNS} FROM list_invites
     WHERE list_id = $1 AND accepted_at IS NULL AND expires_at > $2 ORDER BY created_at, id`,
    { bind: [listId, now], type: QueryTypes.SELECT },
  );
}

/** The invite whose token hashes to `hash`, row-locked (one acceptance at a time). */
export async function inviteByTokenHash(
  hash: string,
  transaction: Transaction,
): Promise<InviteRow | null> {
  const rows = await db().query<InviteRow>(
    `SELECT ${COLUMNS} FROM list_invites WHERE token_hash = $1 FOR UPDATE`,
    { bind: [hash], type: QueryTypes.SELECT, transaction },
  );
  return rows[0] ?? null;
}

/**
 * The list's invite `id`, row-locked, accepted or not; null when there is none (withdrawing
 * deletes it).
 */
export async function inviteOfList(
  listId: string,
  id: string,
  transaction: Transaction,
): Promise<InviteRow | null> {
  const rows = await db().query<InviteRow>(
    `SELECT ${COLUMNS} FROM list_invites WHERE list_id = $1 AND id = $2 FOR UPDATE`,
    { bind: [listId, id], type: QueryTypes.SELECT, transaction },
  );
  return rows[0] ?? null;
}

/** Gives an invite a new token and expiry: the link with the previous token stops working. */
export async function renewInvite(
  id: string,
  hash: string,
  expiresAt: Date,
  transaction: Transaction,
): Promise<InviteRow> {
  const rows = await db().query<InviteRow>(
    `UPDATE list_invites SET token_hash = $2, expires_at = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
    { bind: [id, hash, expiresAt], type: QueryTypes.SELECT, transaction },
  );
  return rows[0]!;
}

export async function markAccepted(id: string, at: Date, transaction: Transaction): Promise<void> {
  await db().query('UPDATE list_invites SET accepted_at = $2 WHERE id = $1', {
    bind: [id, at],
    transaction,
  });
}

export async function deleteInvite(
  listId: string,
  id: string,
  transaction: Transaction,
): Promise<{ email: string; role: ListRole } | null> {
  const rows = await db().query<{ email: string; role: ListRole }>(
    `DELETE FROM list_invites WHERE list_id = $1 AND id = $2 AND accepted_at IS NULL
     RETURNING email, role`,
    { bind: [listId, id], transaction, type: QueryTypes.SELECT },
  );
  return rows[0] ?? null;
}

/** The account's address and whether it was confirmed. */
export async function accountAddress(
  userId: string,
  transaction: Transaction,
): Promise<{ email: string; verified: boolean } | null> {
  const rows = await db().query<{ email: string; verified: boolean | null }>(
    `SELECT email, "emailVerified" AS verified FROM "user" WHERE id = $1`,
    { bind: [userId], type: QueryTypes.SELECT, transaction },
  );
  return rows[0] ? { email: rows[0].email, verified: rows[0].verified === true } : null;
}
