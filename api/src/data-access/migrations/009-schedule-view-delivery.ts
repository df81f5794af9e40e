import type { MigrationFn } from 'umzug';
import type { QueryInterface } from 'sequelize';
import * as m008 from './008-schedule-view.js';

/**
 * `schedule_view` gains the task's title and its owner's delivery preferences (channels,
 * quiet hours, zone), appended after 008's columns (a view's columns are only ever added):
 * the reconciler rebuilds a reminder job complete with what the workers need to deliver it,
 * since the workers never ask the api (ADR 120). Defaults match DEFAULT_NOTIFICATION_PREFERENCES.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
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
           COALESCE(np.timezone, 'UTC') AS timezone
    FROM tasks t
    LEFT JOIN recurrence_patterns rp ON rp.series_id = t.series_id
    LEFT JOIN notification_preferences np ON np.user_id = t.user_id
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
  // A view loses columns only by being recreated: drop it (and 008's indexes), run 008 again.
  await params.context.sequelize.query(`
    DROP VIEW IF EXISTS schedule_view;
    DROP INDEX IF EXISTS tasks_schedule_reminder_idx, tasks_schedule_series_idx;
  `);
  await m008.up(params);
};
