import type { MigrationFn } from 'umzug';
import type { QueryInterface } from 'sequelize';

/** Chat conversations (with the interpreter's memory of them) and their messages. */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    CREATE TABLE conversations (
      id uuid PRIMARY KEY,
      user_id text NOT NULL,
      -- What "it", "the second one" and a pending question refer to.
      state jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX conversations_user_idx ON conversations (user_id, updated_at DESC);

    CREATE TABLE chat_messages (
      id uuid PRIMARY KEY,
      conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
      role varchar(16) NOT NULL CHECK (role IN ('user', 'assistant')),
      content text NOT NULL,
      actions jsonb NOT NULL DEFAULT '[]',
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX chat_messages_conversation_idx ON chat_messages (conversation_id, created_at);
  `);
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query('DROP TABLE IF EXISTS chat_messages, conversations;');
};
