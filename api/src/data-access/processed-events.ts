import { QueryTypes, type Transaction } from 'sequelize';
import { ProcessedEventModel } from './models/index.js';

const db = () => ProcessedEventModel.sequelize!;

/**
 * Records that `consumer` handled `eventId` in `transaction`; false when it already had (a
 * redelivery). One statement: Sequelize's `findOrCreate` inside a transaction costs a
 * savepoint, a select and a temporary PL/pgSQL function created, run and dropped per call,
 * which put several round trips on the path of every reminder (ADR 280).
 */
export async function markProcessed(
  transaction: Transaction,
  eventId: string,
  consumer: string,
): Promise<boolean> {
  const rows = await db().query(
    `INSERT INTO processed_events (event_id, consumer) VALUES ($1, $2)
     ON CONFLICT DO NOTHING RETURNING 1 AS fresh`,
    { bind: [eventId, consumer], transaction, type: QueryTypes.SELECT },
  );
  return rows.length === 1;
}
