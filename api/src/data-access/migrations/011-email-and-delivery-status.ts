import type { MigrationFn } from 'umzug';
import type { QueryInterface } from 'sequelize';
import * as m009 from './009-schedule-view-delivery.js';

/**
 * Email reminders and per-channel status (issue 14):
 * - `notifications.deliveries`: what became of each inbox row on each channel (pending, sent,
 *   failed, skipped, with a reason), reported by the workers as events.
 * - `schedule_view` gains the owner's address and whether it is verified (Better Auth's
 *   `user` row, which exists by now: its tables are migrated before ours), appended after
 *   009's columns, so a reminder the reconciler rebuilds can still be mailed.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    ALTER TABLE notifications ADD COLUMN IF NOT EXISTS deliveries jsonb NOT NULL DEFAULT '[]';
    CREATE OR REPLACE VIEW schedule_view AS
    SELECT t.id AS task_id,
           t.user_id,
           t.version,
           t.status,
           t.due_date,
           r.reminder_at,
           t.reminder_channels,
           t.updated_at,
           -- The api records each stored reminder under its job id reminder-{task}-{epoch ms}.
           (r.reminder_at IS NOT NULL AND EXISTS (
              SELECT 1 FROM processed_events p
              WHERE p.consumer = 'api.reminder-due'
                AND p.event_id = 'reminder-' || t.id::text || '-'
                                 || floor(extract(epoch FROM r.reminder_at) * 1000)::bigint::text
           )) AS reminder_published,
           t.series_id,
           t.occurrence_index,
           t.completed_at,
           (t.status = 'completed' AND rp.series_id IS NOT NULL
              AND (rp.max_occurrences IS NULL OR t.occurrence_index < rp.max_occurrences)
              AND (rp.end_date IS NULL OR t.due_date IS NULL OR t.due_date < rp.end_date)
              AND NOT EXISTS (
                SELECT 1 FROM tasks n
                WHERE n.series_id = t.series_id AND n.occurrence_index = t.occurrence_index + 1
              )) AS next_instance_owed,
           -- Added by 009: what the workers need to deliver the reminder without asking.
           t.title,
           COALESCE(np.email_enabled, true) AS email_enabled,
           COALESCE(np.push_enabled, true) AS push_enabled,
           np.quiet_hours_start,
           np.quiet_hours_end,
           COALESCE(np.timezone, 'UTC') AS timezone,
           -- Added by 011: where reminder mail goes (Better Auth's account row).
           u.email,
           COALESCE(u."emailVerified", false) AS email_verified
    FROM tasks t
    LEFT JOIN recurrence_patterns rp ON rp.series_id = t.series_id
    LEFT JOIN notification_preferences np ON np.user_id = t.user_id
    LEFT JOIN "user" u ON u.id = t.user_id
    CROSS JOIN LATERAL (
      SELECT CASE
        WHEN t.status = 'pending' AND t.reminder_enabled AND t.reminder_offset IS NOT NULL
             AND t.due_date IS NOT NULL
        THEN t.due_date - make_interval(mins => t.reminder_offset)
      END AS reminder_at
    ) r
    WHERE t.deleted_at IS NULL
      AND ((t.status = 'pending' AND t.reminder_enabled AND t.due_date IS NOT NULL)
        OR (t.status = 'completed' AND t.series_id IS NOT NULL));
  `);
};

export const down: MigrationFn<QueryInterface> = async (params) => {
  await params.context.sequelize.query(`
    ALTER TABLE notifications DROP COLUMN IF EXISTS deliveries;
  `);
  // 009's down recreates the view from 008, then 009 appends its columns again.
  await m009.down(params);
  await m009.up(params);
};
