import { Sequelize } from 'sequelize';
import { recordTiming, type Logger } from '@todo/platform';

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
  const sequelize = new Sequelize(databaseUrl, {
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
  timeRoundTrips(sequelize);
  return sequelize;
}

/**
 * Adds each statement's round trip (from sending it on its connection to its answer; BEGIN
 * and COMMIT included) to the current request's `db` timing, and each wait for a pooled
 * connection to its `pool` timing: a queue for connections shows up there, not as slow SQL.
 */
function timeRoundTrips(sequelize: Sequelize): void {
  const asked = new WeakMap<object, number>();
  sequelize.addHook('beforePoolAcquire', (options: unknown) => {
    if (options && typeof options === 'object') asked.set(options, performance.now());
  });
  sequelize.addHook('afterPoolAcquire', (_connection: unknown, options: unknown) => {
    const at = options && typeof options === 'object' ? asked.get(options) : undefined;
    if (at !== undefined) recordTiming('pool', performance.now() - at);
  });
  const sent = new WeakMap<object, number>();
  sequelize.addHook('beforeQuery', (_options: unknown, query: object) => {
    sent.set(query, performance.now());
  });
  sequelize.addHook('afterQuery', (_options: unknown, query: object) => {
    const at = sent.get(query);
    if (at !== undefined) recordTiming('db', performance.now() - at);
  });
}
