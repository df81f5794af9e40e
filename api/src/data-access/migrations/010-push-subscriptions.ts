import type { MigrationFn } from 'umzug';
import type { QueryInterface } from 'sequelize';

/**
 * Web Push subscriptions, one row per device (browser profile) of a user, and
 * `push_subscription_view`, what the workers read at delivery time to encrypt for each device
 * (ADR 220). The workers read it as the same role that may read `schedule_view` and nothing
 * else; the view is a contract (`PushSubscriptionRow` in @todo/contracts): columns are only added.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    CREATE TABLE push_subscriptions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id text NOT NULL,
      endpoint text NOT NULL CHECK (char_length(endpoint) <= 2048),
      p256dh text NOT NULL CHECK (char_length(p256dh) <= 88),
      auth text NOT NULL CHECK (char_length(auth) <= 24),
      expiration_time timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      -- The same browser subscribing again is the same row (the POST is idempotent).
      CONSTRAINT push_subscriptions_user_endpoint UNIQUE (user_id, endpoint)
    );

    CREATE VIEW push_subscription_view AS
    SELECT id, user_id, endpoint, p256dh, auth
    FROM push_subscriptions
    WHERE expiration_time IS NULL OR expiration_time > now();

    DO $$
    BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'todo_schedule_reader') THEN
        GRANT SELECT ON push_subscription_view TO todo_schedule_reader;
      END IF;
    END $$;
  `);
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    DROP VIEW IF EXISTS push_subscription_view;
    DROP TABLE IF EXISTS push_subscriptions;
  `);
};
