import pg from 'pg';
import { PUSH_SUBSCRIPTION_VIEW, type PushSubscriptionRow } from '@todo/contracts';
import type { Logger } from '@todo/platform';

/** Where the push sender finds a user's devices at delivery time. */
export interface PushSubscriptionSource {
  forUser(userId: string): Promise<PushSubscriptionRow[]>;
}

/**
 * Reads `push_subscription_view` (the api's migration 010) as the reconciler's role, which may
 * read that view and `schedule_view` and nothing else (ADR 220): PostgreSQL stays the one
 * truth about a user's devices, and nothing flows back to the api but events.
 */
export class PushSubscriptionReader implements PushSubscriptionSource {
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string, logger: Logger, queryTimeoutMs: number) {
    this.pool = new pg.Pool({
      connectionString: databaseUrl,
      max: 4,
      connectionTimeoutMillis: queryTimeoutMs,
      query_timeout: queryTimeoutMs,
      application_name: 'todo-workers-push',
    });
    this.pool.on('error', (error) =>
      logger.warn({ err: error }, 'push subscription reader connection lost'),
    );
  }

  async forUser(userId: string): Promise<PushSubscriptionRow[]> {
    const { rows } = await this.pool.query<PushSubscriptionRow>(
      `SELECT id, user_id AS "userId", endpoint, p256dh, auth
       FROM ${PUSH_SUBSCRIPTION_VIEW} WHERE user_id = $1 ORDER BY id`,
      [userId],
    );
    return rows;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
