import { Sequelize } from 'sequelize';
import type { Logger } from '@todo/platform';

export interface DatabaseTimeouts {
  /** Server-side cap on one statement, lock waits included (PostgreSQL `statement_timeout`). */
  statementTimeoutMs: number;
  /** How long a query waits for a pooled connection. */
  acquireTimeoutMs: number;
}

/**
 * The request path's Sequelize. With timeouts, a stalled database (a held lock, a paused
 * server) fails a request within `acquire + statement` instead of a minute, and the error
 * middleware answers 503 with `Retry-After`. The client-side `query_timeout` covers a server
 * that cannot even enforce its own `statement_timeout` (paused, or the network is gone).
 * Migrations run without them (see `migrate`): building an index may rightly take longer.
 */
export function createSequelize(
  databaseUrl: string,
  logger: Logger,
  timeouts?: DatabaseTimeouts,
): Sequelize {
  return new Sequelize(databaseUrl, {
    dialect: 'postgres',
    logging: (sql) => logger.trace({ sql }, 'sql'),
    pool: {
      max: 20,
      min: 0,
      idle: 10_000,
      ...(timeouts ? { acquire: timeouts.acquireTimeoutMs } : {}),
    },
    ...(timeouts
      ? {
          dialectOptions: {
            statement_timeout: timeouts.statementTimeoutMs,
            query_timeout: timeouts.statementTimeoutMs + 1000,
            connectionTimeoutMillis: timeouts.acquireTimeoutMs,
            // A transaction left open by a stuck client must not hold the user's lock forever.
            idle_in_transaction_session_timeout: 10 * timeouts.statementTimeoutMs,
          },
        }
      : {}),
    define: { underscored: true, timestamps: true },
  });
}
