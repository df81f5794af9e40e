import { QueryTypes, type Transaction } from 'sequelize';
import { TaskModel } from './models/index.js';

/** What a mutation with an `Idempotency-Key` answered the first time (ADR 230). */
export interface StoredAnswer {
  requestHash: string;
  response: unknown;
}

/** The answer stored for the user's key, or null. Call it under the user's lock. */
export async function findAnswer(
  userId: string,
  key: string,
  transaction: Transaction,
): Promise<StoredAnswer | null> {
  const rows = await TaskModel.sequelize!.query<{ requestHash: string; response: unknown }>(
    `SELECT request_hash AS "requestHash", response FROM idempotency_keys
     WHERE user_id = $1 AND key = $2`,
    { bind: [userId, key], type: QueryTypes.SELECT, transaction },
  );
  return rows[0] ?? null;
}

/** Records the answer in the transaction of the change, so both commit or neither does. */
export async function saveAnswer(
  userId: string,
  key: string,
  requestHash: string,
  statusCode: number,
  response: unknown,
  transaction: Transaction,
): Promise<void> {
  await TaskModel.sequelize!.query(
    `INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, response)
     VALUES ($1, $2, $3, $4, $5::jsonb)`,
    {
      bind: [userId, key, requestHash, statusCode, JSON.stringify(response ?? null)],
      type: QueryTypes.INSERT,
      transaction,
    },
  );
}
