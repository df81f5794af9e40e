import type { MigrationFn } from 'umzug';
import type { QueryInterface } from 'sequelize';

/**
 * `schedule_view`: the work the database still owes the queues, read by the workers'
 * reconciler to rebuild BullMQ jobs lost with Redis (ADR 100). A contract
 * (`ScheduleRow` in @todo/contracts): columns are only ever added. It runs with this
 * owner's rights, so the reader role needs SELECT on the view and nothing else.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    CREATE VIEW schedule_view AS
    SELECT t.id AS task_id,
           t.user_id,
           t.version,
           t.status,
           t.due_date,
           r.reminder_at,
           t.reminder_channels,
           t.updated_at,
           -- The api's reminder-due dedupe key is the job id reminder-{task}-{epoch ms}.
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
              )) AS next_instance_owed
    FROM tasks t
    LEFT JOIN recurrence_patterns rp ON rp.series_id = t.series_id
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

    -- The reconciler pages through pending reminders by due date and completed series rows.
    CREATE INDEX tasks_schedule_reminder_idx ON tasks (due_date)
      WHERE status = 'pending' AND reminder_enabled AND deleted_at IS NULL;
    CREATE INDEX tasks_schedule_series_idx ON tasks (completed_at)
      WHERE status = 'completed' AND series_id IS NOT NULL AND deleted_at IS NULL;

    -- Production creates the reader role (ops/runbook.md); when it exists, grant it the view.
    DO $$
    BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'todo_schedule_reader') THEN
        GRANT SELECT ON schedule_view TO todo_schedule_reader;
      END IF;
    END $$;
  `);
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    DROP VIEW IF EXISTS schedule_view;
    DROP INDEX IF EXISTS tasks_schedule_reminder_idx, tasks_schedule_series_idx;
  `);
};
