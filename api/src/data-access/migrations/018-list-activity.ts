import type { MigrationFn } from 'umzug';
import type { QueryInterface } from 'sequelize';

/**
 * Who changed what (ADR 373).
 *
 * - `tasks.changed_by`: the user whose request made the task's latest change; the account's
 *   deletion leaves null ("someone"), like `assignee_id`. Rows from before stay null.
 * - `list_activity`: each list's activity log, one row per change, written in the transaction
 *   of the change it records. `actor_id` and `member_id` (the member a member event or an
 *   assignment is about) go null when that account is deleted, so the log of a shared list
 *   outlives its members' accounts without keeping their names. `id` orders the log (newest
 *   first) and is the page cursor. Pruned by age like the change feed (ADR 374).
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    ALTER TABLE tasks ADD COLUMN changed_by text REFERENCES "user" (id) ON DELETE SET NULL;
    -- ON DELETE SET NULL scans tasks for the deleted account: without an index, each account
    -- deletion would read the whole table.
    CREATE INDEX tasks_changed_by_idx ON tasks (changed_by) WHERE changed_by IS NOT NULL;

    CREATE TABLE list_activity (
      id bigserial PRIMARY KEY,
      list_id uuid NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
      actor_id text REFERENCES "user" (id) ON DELETE SET NULL,
      action varchar(32) NOT NULL,
      task_id uuid,
      task_title varchar(80),
      member_id text REFERENCES "user" (id) ON DELETE SET NULL,
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX list_activity_list_idx ON list_activity (list_id, id DESC);
    CREATE INDEX list_activity_created_idx ON list_activity (created_at);
    CREATE INDEX list_activity_actor_idx ON list_activity (actor_id) WHERE actor_id IS NOT NULL;
    CREATE INDEX list_activity_member_idx ON list_activity (member_id) WHERE member_id IS NOT NULL;
  `);
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    DROP TABLE IF EXISTS list_activity;
    ALTER TABLE tasks DROP COLUMN IF EXISTS changed_by;
  `);
};
