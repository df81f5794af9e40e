import type { MigrationFn } from 'umzug';
import type { QueryInterface } from 'sequelize';

/**
 * ADR 230. What a mutation carrying an `Idempotency-Key` answered, per user and key, written in
 * the transaction of the change itself: a retry (the web app's offline outbox, a lost answer)
 * gets the same answer and changes nothing again. `request_hash` tells a reused key with a
 * different request. Kept a week (the retention janitor), far longer than any outbox waits.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    CREATE TABLE idempotency_keys (
      user_id text NOT NULL,
      key varchar(200) NOT NULL,
      request_hash char(64) NOT NULL,
      status_code smallint NOT NULL,
      response jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (user_id, key)
    );
    CREATE INDEX idempotency_keys_created_brin ON idempotency_keys USING brin (created_at);
  `);
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`DROP TABLE IF EXISTS idempotency_keys;`);
};
