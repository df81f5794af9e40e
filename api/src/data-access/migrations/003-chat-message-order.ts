import type { MigrationFn } from 'umzug';
import type { QueryInterface } from 'sequelize';

/**
 * A total order of a conversation's messages for reading history back page by page. Both
 * messages of a turn share a timestamp and concurrent turns can share a millisecond, so
 * created_at alone cannot be a keyset; an identity column is assigned in insertion order
 * (rows that existed before this migration get theirs in table order, which for this
 * append-only table is insertion order too).
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    ALTER TABLE chat_messages ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
    CREATE INDEX chat_messages_conversation_seq_idx ON chat_messages (conversation_id, seq);
  `);
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    DROP INDEX IF EXISTS chat_messages_conversation_seq_idx;
    ALTER TABLE chat_messages DROP COLUMN IF EXISTS seq;
  `);
};
