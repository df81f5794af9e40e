import type { MigrationFn } from 'umzug';
import type { QueryInterface } from 'sequelize';

/**
 * Personal access tokens and private calendar feeds (ADR 250). Only the SHA-256 of each
 * secret is stored, unique so a request finds its row by one index read. A revoked token's
 * row is deleted: the absence of the row is the revocation, as for sessions (ADR 091).
 * One calendar feed per user; regenerating replaces its hash.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    CREATE TABLE personal_access_tokens (
      id uuid PRIMARY KEY,
      user_id text NOT NULL,
      name varchar(100) NOT NULL,
      scope varchar(8) NOT NULL CHECK (scope IN ('read', 'write')),
      token_hash char(64) NOT NULL UNIQUE,
      hint varchar(16) NOT NULL,
      last_used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX personal_access_tokens_user ON personal_access_tokens (user_id, created_at DESC);
    CREATE TABLE calendar_feeds (
      user_id text PRIMARY KEY,
      token_hash char(64) NOT NULL UNIQUE,
      last_used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `);
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    DROP TABLE IF EXISTS calendar_feeds;
    DROP TABLE IF EXISTS personal_access_tokens;
  `);
};
