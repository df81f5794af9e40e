import pg from 'pg';
import type { Logger } from '@todo/platform';

/**
 * A pool for reading one of the api's views as the workers' read-only role (ADR 220). Each
 * reader keeps a pool of its own, named for what it reads (`application_name`, as
 * `pg_stat_activity` shows it), so a slow scan by one cannot hold up another's lookups. A
 * query waits at most `queryTimeoutMs` for a connection and for its answer.
 */
export function viewReaderPool(options: {
  databaseUrl: string;
  logger: Logger;
  queryTimeoutMs: number;
  max: number;
  /** `todo-workers-<name>` in `pg_stat_activity`. */
  name: string;
  /** What the log calls the reader when its connection is lost. */
  what: string;
}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.max,
    connectionTimeoutMillis: options.queryTimeoutMs,
    query_timeout: options.queryTimeoutMs,
    application_name: `todo-workers-${options.name}`,
  });
  pool.on('error', (error) =>
    options.logger.warn({ err: error }, `${options.what} connection lost`),
  );
  return pool;
}
