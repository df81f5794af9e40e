import type { MigrationFn } from 'umzug';
import type { QueryInterface } from 'sequelize';

/**
 * Lists (ADR 270). Every account has exactly one Inbox (`is_inbox`, one per user by a partial
 * unique index): the default list, never deleted. A task belongs to exactly one list.
 *
 * - `lists.user_id` references Better Auth's `user` with ON DELETE CASCADE, and
 *   `tasks.list_id` references `lists` with ON DELETE CASCADE: deleting an account removes its
 *   lists and their tasks in the same statement.
 * - Existing tasks move to their owner's Inbox. A task whose owner has no account row cannot
 *   be reached by anyone (nobody can sign in as that id) and has no list to go to: it is
 *   removed, as deleting the account would have removed it.
 * - An account made after this migration gets its Inbox on first use (`ensureInbox`), not at
 *   sign-up: the write that needs it creates it in its own transaction, whatever made the
 *   account.
 * - List changes share the change feed with tasks (`kind`), so one cursor covers both; for a
 *   list row `task_id` holds the list's id.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    CREATE TABLE lists (
      id uuid PRIMARY KEY,
      user_id text NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
      name varchar(100) NOT NULL,
      color varchar(7),
      position integer NOT NULL DEFAULT 0,
      is_inbox boolean NOT NULL DEFAULT false,
      archived_at timestamptz,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (NOT (is_inbox AND archived_at IS NOT NULL))
    );
    CREATE UNIQUE INDEX lists_one_inbox_uq ON lists (user_id) WHERE is_inbox;
    CREATE INDEX lists_user_position_idx ON lists (user_id, position, created_at);

    INSERT INTO lists (id, user_id, name, is_inbox)
    SELECT gen_random_uuid(), u.id, 'Inbox', true FROM "user" u;

    DELETE FROM recurrence_patterns p
    WHERE NOT EXISTS (SELECT 1 FROM "user" u WHERE u.id = p.user_id);
    -- Children first: an instance references its parent.
    DELETE FROM tasks t WHERE NOT EXISTS (SELECT 1 FROM "user" u WHERE u.id = t.user_id)
      AND parent_task_id IS NOT NULL;
    DELETE FROM tasks t WHERE NOT EXISTS (SELECT 1 FROM "user" u WHERE u.id = t.user_id);

    ALTER TABLE tasks ADD COLUMN list_id uuid REFERENCES lists (id) ON DELETE CASCADE;
    UPDATE tasks t SET list_id = l.id FROM lists l WHERE l.user_id = t.user_id AND l.is_inbox;
    ALTER TABLE tasks ALTER COLUMN list_id SET NOT NULL;
    CREATE INDEX tasks_list_status_idx ON tasks (list_id, status);

    ALTER TABLE task_changes ADD COLUMN kind varchar(8) NOT NULL DEFAULT 'task'
      CHECK (kind IN ('task', 'list'));
  `);
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    DELETE FROM task_changes WHERE kind = 'list';
    ALTER TABLE task_changes DROP COLUMN IF EXISTS kind;
    ALTER TABLE tasks DROP COLUMN IF EXISTS list_id;
    DROP TABLE IF EXISTS lists;
  `);
};
