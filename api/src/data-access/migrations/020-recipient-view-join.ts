import type { MigrationFn } from 'umzug';
import type { QueryInterface } from 'sequelize';

/**
 * `reminder_recipient_view` with the same rule, columns and grant, written as joins (ADR 385).
 * Migration 019 asked "is the assignee still a member?" with EXISTS inside a CASE, which
 * PostgreSQL cannot turn into a join: it plans a hashed subplan, built by scanning the whole
 * of `list_members` whenever a task in the answer has an assignee, so such a read grows with
 * every list of every account. The workers now read the view for every task event with a
 * reminder (and when it fires, and the api when it stores one): a LEFT JOIN on the member's
 * key lets the planner probe `list_members_pkey` once per task instead.
 */
/** The columns and the joins to each member's preferences and address, as in 019. */
const VIEW_HEAD = `
    CREATE OR REPLACE VIEW reminder_recipient_view AS
    SELECT t.id AS task_id,
           t.list_id,
           m.user_id,
           COALESCE(np.email_enabled, true) AS email_enabled,
           COALESCE(np.push_enabled, true) AS push_enabled,
           np.quiet_hours_start,
           np.quiet_hours_end,
           COALESCE(np.timezone, 'UTC') AS timezone,
           u.email,
           COALESCE(u."emailVerified", false) AS email_verified
    FROM tasks t`;
const MEMBERS = `
    JOIN list_members m ON m.list_id = t.list_id
    LEFT JOIN notification_preferences np ON np.user_id = m.user_id
    LEFT JOIN "user" u ON u.id = m.user_id`;

export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`${VIEW_HEAD}
    LEFT JOIN list_members a ON a.list_id = t.list_id AND a.user_id = t.assignee_id${MEMBERS}
    -- The assignee while they are a member; else every member who opted in.
    WHERE CASE WHEN a.user_id IS NOT NULL THEN m.user_id = t.assignee_id ELSE m.reminders END;
  `);
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`${VIEW_HEAD}${MEMBERS}
    WHERE CASE
      WHEN t.assignee_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM list_members a WHERE a.list_id = t.list_id AND a.user_id = t.assignee_id)
      THEN m.user_id = t.assignee_id
      ELSE m.reminders
    END;
  `);
};
