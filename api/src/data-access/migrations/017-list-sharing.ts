import type { MigrationFn } from 'umzug';
import type { QueryInterface } from 'sequelize';

/**
 * Sharing lists (ADR 320, 321).
 *
 * - `list_members`: who may use a list and as what. Every existing list gets its owner as
 *   `owner`; from now on the list repository adds that row whenever it creates a list, so
 *   "member of" is the one question the policy asks.
 * - `list_invites`: an invite by email. Only a SHA-256 of the token is stored (the link is the
 *   secret); `accepted_at` makes it single use; the address binds it to one account.
 * - `tasks.assignee_id`: a member the task is assigned to; the account's deletion unassigns.
 * - `task_changes.list_id`: the list a feed row belongs to, so a member's feed reads the rows
 *   of every list they are in, not only the rows written under their own id.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    CREATE TABLE list_members (
      list_id uuid NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
      user_id text NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
      role varchar(8) NOT NULL CHECK (role IN ('viewer', 'editor', 'owner')),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (list_id, user_id)
    );
    CREATE INDEX list_members_user_idx ON list_members (user_id, list_id);
    INSERT INTO list_members (list_id, user_id, role, created_at)
    SELECT id, user_id, 'owner', created_at FROM lists;

    CREATE TABLE list_invites (
      id uuid PRIMARY KEY,
      list_id uuid NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
      email varchar(254) NOT NULL,
      role varchar(8) NOT NULL CHECK (role IN ('viewer', 'editor', 'owner')),
      token_hash char(64) NOT NULL UNIQUE,
      invited_by text NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
      expires_at timestamptz NOT NULL,
      accepted_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX list_invites_list_idx ON list_invites (list_id, created_at);

    ALTER TABLE tasks ADD COLUMN assignee_id text REFERENCES "user" (id) ON DELETE SET NULL;
    CREATE INDEX tasks_assignee_idx ON tasks (assignee_id) WHERE assignee_id IS NOT NULL;

    ALTER TABLE task_changes ADD COLUMN list_id uuid;
    UPDATE task_changes SET list_id = CASE WHEN kind = 'list' THEN task_id
      ELSE (snapshot->>'listId')::uuid END
    WHERE kind = 'list' OR snapshot ? 'listId';
    CREATE INDEX task_changes_list_seq_idx ON task_changes (list_id, seq) WHERE list_id IS NOT NULL;
  `);
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    DROP INDEX IF EXISTS task_changes_list_seq_idx;
    ALTER TABLE task_changes DROP COLUMN IF EXISTS list_id;
    ALTER TABLE tasks DROP COLUMN IF EXISTS assignee_id;
    DROP TABLE IF EXISTS list_invites;
    DROP TABLE IF EXISTS list_members;
  `);
};
