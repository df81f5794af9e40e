import type { Sequelize, Transaction } from 'sequelize';

/**
 * SQL taking the user's advisory lock for the rest of the transaction; `param` is the bind
 * placeholder of the user id. Re-entrant: taking it twice in one transaction is harmless.
 */
export const userLockSql = (param: string) =>
  `pg_advisory_xact_lock(hashtextextended('user:' || ${param}::text, 0))`;

/**
 * Runs `fn` in a transaction holding the user's advisory lock. Serialising one user's
 * writes makes change-feed sequence numbers and outbox ids commit in the order they were
 * allocated, so a client resuming from a cursor can never skip a change, and one task's
 * events always leave in order.
 *
 * With `lockInFirstQuery`, `fn`'s first statement takes the lock itself (`userLockSql`, as
 * `loadTaskWithRole` and `lockUserAndGetPreferences` do), saving a round trip on hot writes;
 * nothing may be written before it.
 */
export async function inUserTransaction<T>(
  sequelize: Sequelize,
  userId: string,
  fn: (transaction: Transaction) => Promise<T>,
  options: { lockInFirstQuery?: boolean } = {},
): Promise<T> {
  // A write to a shared list also takes its members' locks (ADR 321), after the caller's: two
  // members writing to each other's lists can deadlock. PostgreSQL breaks it by failing one
  // transaction, which rolled back whole and is simply run again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await sequelize.transaction(async (transaction) => {
        if (!options.lockInFirstQuery) {
          await sequelize.query(`SELECT ${userLockSql('$1')}`, { bind: [userId], transaction });
        }
        return fn(transaction);
      });
    } catch (error) {
      if (attempt >= DEADLOCK_ATTEMPTS || !isDeadlock(error)) throw error;
    }
  }
}

const DEADLOCK_ATTEMPTS = 3;

const isDeadlock = (error: unknown): boolean =>
  (error as { parent?: { code?: string } } | null)?.parent?.code === '40P01';
