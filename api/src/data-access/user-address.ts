import { QueryTypes, type Transaction } from 'sequelize';
import { NotificationPreferenceModel } from './models/index.js';

export interface UserAddress {
  email: string | null;
  emailVerified: boolean;
}

/**
 * The account's address and whether it is verified, from Better Auth's `user` table: events
 * that tell the workers how to deliver carry it (they never ask the api; ADR 120).
 */
export async function userAddress(userId: string, transaction?: Transaction): Promise<UserAddress> {
  const [row] = await NotificationPreferenceModel.sequelize!.query<UserAddress>(
    `SELECT email, COALESCE("emailVerified", false) AS "emailVerified" FROM "user" WHERE id = $1`,
    { bind: [userId], type: QueryTypes.SELECT, ...(transaction ? { transaction } : {}) },
  );
  return row ?? { email: null, emailVerified: false };
}

/**
 * Whether the account still exists: a worker's event may arrive after the account was deleted
 * (ADR 262), and must not leave a row behind for nobody.
 */
export async function userExists(userId: string, transaction: Transaction): Promise<boolean> {
  const rows = await NotificationPreferenceModel.sequelize!.query(
    `SELECT 1 FROM "user" WHERE id = $1`,
    { bind: [userId], type: QueryTypes.SELECT, transaction },
  );
  return rows.length > 0;
}
