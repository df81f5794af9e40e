import { QueryTypes, type Sequelize } from 'sequelize';
import { recordUserDeleted } from './events/outbox-writer.js';
import { inUserTransaction } from './user-transaction.js';
import { handOverSharedLists, leaveSharedLists } from './list-repository.js';
import { lockMembersOfListsOf } from './list-members.js';

/** Quotes an identifier read from the catalogue (never from a request). */
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Erases every row the api keeps for a user, in one transaction under the user's lock (a
 * task write racing the deletion either lands before and is erased, or waits and finds no
 * account), and records `user.deleted` for the workers in the same commit.
 *
 * Which tables: every table of the schema with a `user_id` column, read from the catalogue, so
 * a table added later is covered without touching this code (the convention every migration
 * follows; rows hanging off them by foreign key go with `ON DELETE CASCADE`). The user's
 * sent outbox rows go too; unsent ones stay so the relay still delivers them, in order, before
 * `user.deleted`. Better Auth's own rows (sessions, accounts, the user) are deleted by Better
 * Auth after this returns; its stored reset tokens (`verification.value` = user id) here.
 */
export async function eraseUserRows(sequelize: Sequelize, userId: string): Promise<string[]> {
  return inUserTransaction(sequelize, userId, async (transaction) => {
    // Shared lists first go to another member, and the account leaves every list others hold,
    // as their members' tabs and the lists' logs see it; only what nobody else uses is erased.
    // Those writes reach the other members' feeds: their locks, as for any shared write (ADR 321).
    await lockMembersOfListsOf(userId, transaction);
    await handOverSharedLists(userId, transaction);
    await leaveSharedLists(userId, transaction);
    const tables = await sequelize.query<{ table_name: string }>(
      `SELECT c.table_name
       FROM information_schema.columns c
       JOIN information_schema.tables t
         ON t.table_schema = c.table_schema AND t.table_name = c.table_name
       WHERE c.table_schema = current_schema() AND c.column_name = 'user_id'
         AND t.table_type = 'BASE TABLE'
       ORDER BY c.table_name`,
      { type: QueryTypes.SELECT, transaction },
    );
    for (const { table_name } of tables) {
      await sequelize.query(`DELETE FROM ${ident(table_name)} WHERE user_id = $1`, {
        bind: [userId],
        transaction,
      });
    }
    await sequelize.query(`DELETE FROM outbox WHERE partition_key = $1 AND sent_at IS NOT NULL`, {
      bind: [userId],
      transaction,
    });
    await sequelize.query(`DELETE FROM verification WHERE value = $1`, {
      bind: [userId],
      transaction,
    });
    await recordUserDeleted(transaction, userId, new Date());
    return tables.map((t) => t.table_name);
  });
}
