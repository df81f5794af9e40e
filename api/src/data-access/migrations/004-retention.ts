import type { MigrationFn } from 'umzug';
import type { QueryInterface } from 'sequelize';

/**
 * Retention of the append-only tables: where each user's change feed was cut, and BRIN indexes
 * (tiny, nearly free on insert) so the janitor finds old rows without scanning whole tables.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    -- The highest change-feed seq of this user that was pruned: older cursors get 410.
    CREATE TABLE task_change_horizons (
      user_id text PRIMARY KEY,
      pruned_through bigint NOT NULL
    );
    CREATE INDEX outbox_created_brin ON outbox USING brin (created_at);
    CREATE INDEX task_changes_created_brin ON task_changes USING brin (created_at);
    CREATE INDEX processed_events_processed_brin ON processed_events USING brin (processed_at);
  `);
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    DROP INDEX IF EXISTS processed_events_processed_brin, task_changes_created_brin,
      outbox_created_brin;
    DROP TABLE IF EXISTS task_change_horizons;
  `);
};
