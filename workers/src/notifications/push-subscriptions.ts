import type pg from 'pg';
import { PUSH_SUBSCRIPTION_VIEW, type PushSubscriptionRow } from '@todo/contracts';
import type { Logger } from '@todo/platform';
import { viewReaderPool } from '../database/view-reader-pool.js';

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
    this.pool = viewReaderPool({
      databaseUrl,
      logger,
      queryTimeoutMs,
      max: 4,
      name: 'push',
      what: 'push subscription reader',
    });
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
