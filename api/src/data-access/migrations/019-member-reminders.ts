import type { MigrationFn } from 'umzug';
import type { QueryInterface } from 'sequelize';

/**
 * Reminders follow the task on a shared list (ADR 376).
 *
 * - `list_members.reminders`: the member opted in for the reminders of the list's unassigned
 *   tasks. Backfilled TRUE for each list's owner of record (the one account reminders went to
 *   until now), FALSE for everyone else, so nobody gets a reminder they did not get before.
 * - `reminder_recipient_view`: who a task's reminder goes to now, with each one's delivery
 *   preferences and address, read by the workers when the reminder fires (as the role that
 *   reads `schedule_view`). The rule lives here once; the api's stale check uses the same view.
 *   The view is a contract (`ReminderRecipientRow` in @todo/contracts): columns are only added.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    ALTER TABLE list_members ADD COLUMN reminders boolean NOT NULL DEFAULT false;
    UPDATE list_members m SET reminders = true
    FROM lists l WHERE l.id = m.list_id AND l.user_id = m.user_id;

    -- The assignee while they are a member; else every member who opted in.
    CREATE VIEW reminder_recipient_view AS
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
    FROM tasks t
    JOIN list_members m ON m.list_id = t.list_id
    LEFT JOIN notification_preferences np ON np.user_id = m.user_id
    LEFT JOIN "user" u ON u.id = m.user_id
    WHERE CASE
      WHEN t.assignee_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM list_members a WHERE a.list_id = t.list_id AND a.user_id = t.assignee_id)
      THEN m.user_id = t.assignee_id
      ELSE m.reminders
    END;

    DO $$
    BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'todo_schedule_reader') THEN
        GRANT SELECT ON reminder_recipient_view TO todo_schedule_reader;
      END IF;
    END $$;
  `);
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    DROP VIEW IF EXISTS reminder_recipient_view;
    ALTER TABLE list_members DROP COLUMN IF EXISTS reminders;
  `);
};
