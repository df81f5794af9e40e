import type { MigrationFn } from 'umzug';
import type { QueryInterface } from 'sequelize';

/** Core schema: tasks, recurrence patterns, preferences, inbox, idempotency, outbox, change feed. */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    CREATE TABLE tasks (
      id uuid PRIMARY KEY,
      user_id text NOT NULL,
      title varchar(255) NOT NULL,
      description text,
      status varchar(16) NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'completed', 'deleted')),
      priority varchar(8) NOT NULL DEFAULT 'medium'
        CHECK (priority IN ('low', 'medium', 'high')),
      priority_rank smallint GENERATED ALWAYS AS (
        CASE priority WHEN 'low' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END) STORED,
      tags text[] NOT NULL DEFAULT '{}',
      due_date timestamptz,
      reminder_enabled boolean NOT NULL DEFAULT true,
      reminder_offset integer CHECK (reminder_offset >= 0),
      reminder_channels text[] NOT NULL DEFAULT '{email,push}',
      series_id uuid,
      parent_task_id uuid REFERENCES tasks (id),
      occurrence_index integer CHECK (occurrence_index >= 1),
      version integer NOT NULL DEFAULT 1,
      completed_at timestamptz,
      deleted_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    -- A series can never get two instances for the same occurrence.
    CREATE UNIQUE INDEX tasks_series_occurrence_uq ON tasks (series_id, occurrence_index)
      WHERE series_id IS NOT NULL;
    CREATE INDEX tasks_user_status_created_idx ON tasks (user_id, status, created_at DESC, id);
    CREATE INDEX tasks_user_due_idx ON tasks (user_id, due_date);
    CREATE INDEX tasks_tags_idx ON tasks USING gin (tags);

    CREATE TABLE recurrence_patterns (
      series_id uuid PRIMARY KEY,
      user_id text NOT NULL,
      frequency varchar(16) NOT NULL
        CHECK (frequency IN ('daily', 'weekly', 'monthly', 'yearly', 'custom')),
      interval integer NOT NULL DEFAULT 1 CHECK (interval >= 1),
      by_weekday smallint[],
      by_monthday smallint CHECK (by_monthday BETWEEN 1 AND 31),
      end_date timestamptz,
      max_occurrences integer CHECK (max_occurrences >= 1),
      rrule text,
      anchor varchar(16) NOT NULL DEFAULT 'due' CHECK (anchor IN ('due', 'completion')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((end_date IS NULL) <> (max_occurrences IS NULL))
    );

    CREATE TABLE notification_preferences (
      user_id text PRIMARY KEY,
      email_enabled boolean NOT NULL DEFAULT true,
      push_enabled boolean NOT NULL DEFAULT true,
      quiet_hours_start varchar(5),
      quiet_hours_end varchar(5),
      timezone varchar(64) NOT NULL DEFAULT 'UTC',
      default_reminder_offset integer,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE notifications (
      id uuid PRIMARY KEY,
      user_id text NOT NULL,
      title varchar(255) NOT NULL,
      body text NOT NULL,
      task_ids uuid[] NOT NULL DEFAULT '{}',
      channels text[] NOT NULL DEFAULT '{}',
      -- A redelivered "deliver" job finds its notification instead of writing a second one.
      idempotency_key varchar(200) UNIQUE,
      read_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX notifications_user_created_idx ON notifications (user_id, created_at DESC);

    CREATE TABLE processed_events (
      event_id varchar(200) NOT NULL,
      consumer varchar(100) NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (event_id, consumer)
    );

    CREATE TABLE outbox (
      id bigserial PRIMARY KEY,
      event_id uuid NOT NULL UNIQUE,
      topic varchar(100) NOT NULL,
      partition_key varchar(200) NOT NULL,
      payload jsonb NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz
    );
    CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;

    -- Change feed for catch-up after a reconnect; seq is the cursor.
    CREATE TABLE task_changes (
      seq bigserial PRIMARY KEY,
      user_id text NOT NULL,
      task_id uuid NOT NULL,
      action varchar(16) NOT NULL,
      changed_fields text[] NOT NULL DEFAULT '{}',
      snapshot jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX task_changes_user_seq_idx ON task_changes (user_id, seq);
  `);
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    DROP TABLE IF EXISTS task_changes, outbox, processed_events, notifications,
      notification_preferences, recurrence_patterns, tasks;
  `);
};
