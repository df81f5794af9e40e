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
