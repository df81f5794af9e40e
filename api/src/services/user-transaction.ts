import type { Sequelize, Transaction } from 'sequelize';

/**
 * Runs `fn` in a transaction holding the user's advisory lock. Serialising one user's
 * writes makes change-feed sequence numbers and outbox ids commit in the order they were
 * allocated, so a client resuming from a cursor can never skip a change, and one task's
 * events always leave in order.
 */
export function inUserTransaction<T>(
  sequelize: Sequelize,
  userId: string,
  fn: (transaction: Transaction) => Promise<T>,
): Promise<T> {
  return sequelize.transaction(async (transaction) => {
    await sequelize.query('SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))', {
      replacements: { key: `user:${userId}` },
      transaction,
    });
    return fn(transaction);
  });
}
