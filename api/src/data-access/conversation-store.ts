import { randomUUID } from 'node:crypto';
import { ForeignKeyConstraintError, QueryTypes, literal } from 'sequelize';
import {
  CONVERSATION_TITLE_MAX,
  type ChatAction,
  type ChatMessage,
  type ChatMessagePage,
  type ChatPageQuery,
  type ConversationPage,
  uuid,
} from '@todo/contracts';
import { DomainError, ValidationError } from '../domain/errors.js';
import { ChatMessageModel, ConversationModel, type ConversationState } from './models/index.js';

/**
 * No such conversation for this user (never existed, deleted, or someone else's): a 404 that
 * names the field that carried the id, so a client can tell it from a missing endpoint.
 */
export class ConversationNotFoundError extends DomainError {
  constructor(field: 'conversationId' | 'id', id: string) {
    super('NOT_FOUND', `${field}: conversation ${id} was not found`, [
      { field, message: `${field} names no conversation of yours`, type: 'any.notFound' },
    ]);
  }
}

interface ConversationCursor {
  /** updated_at in microseconds since the epoch. */
  u: string;
  id: string;
}

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

function decode<T>(raw: string, valid: (parsed: Partial<T>) => boolean): T {
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<T>;
    if (parsed && typeof parsed === 'object' && valid(parsed)) return parsed as T;
  } catch {
    // falls through to the validation error
  }
  throw new ValidationError('invalid query: cursor', [
    {
      field: 'cursor',
      message: 'cursor must be a value returned as nextCursor',
      type: 'any.invalid',
    },
  ]);
}

/** A cursor's parts reach SQL, so each must be what the column holds (a uuid, a bigint). */
const isUuid = (value: unknown) => typeof value === 'string' && !uuid.validate(value).error;
const PG_BIGINT_MAX = 9_223_372_036_854_775_807n;
const isSeq = (value: unknown) =>
  typeof value === 'string' && /^\d{1,19}$/.test(value) && BigInt(value) <= PG_BIGINT_MAX;

interface SummaryRow {
  id: string;
  title: string | null;
  createdAt: Date;
  updatedAt: Date;
  sortKey: string;
  messageCount: string;
}

interface MessageRow {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  actions: ChatAction[];
  createdAt: Date;
  seq: string;
}

/** Conversations and their messages, per user. Another user's conversation is a 404. */
export class ConversationStore {
  async open(userId: string, id: string | undefined): Promise<ConversationModel> {
    if (!id) return ConversationModel.create({ id: randomUUID(), userId, state: {} });
    const found = await ConversationModel.findOne({ where: { id, userId } });
    if (!found) throw new ConversationNotFoundError('conversationId', id);
    return found;
  }

  async record(
    conversation: ConversationModel,
    turn: { message: string; reply: string; actions: ChatAction[]; state: ConversationState },
  ): Promise<void> {
    try {
      await ConversationModel.sequelize!.transaction(async (transaction) => {
        await ChatMessageModel.bulkCreate(
          [
            {
              id: randomUUID(),
              conversationId: conversation.id,
              role: 'user',
              content: turn.message,
              actions: [],
            },
            {
              id: randomUUID(),
              conversationId: conversation.id,
              role: 'assistant',
              content: turn.reply,
              actions: turn.actions,
            },
          ],
          { transaction },
        );
        conversation.state = JSON.parse(JSON.stringify(turn.state)) as ConversationState;
        conversation.changed('updatedAt', true);
        await conversation.save({ transaction });
      });
    } catch (error) {
      // Deleted while this turn was being answered: the same 404 as a turn sent after it.
      if (error instanceof ForeignKeyConstraintError)
        throw new ConversationNotFoundError('conversationId', conversation.id);
      throw error;
    }
  }

  /** The last `limit` messages, oldest first (the LLM's context window). */
  async recent(conversationId: string, limit = 20): Promise<ChatMessageModel[]> {
    const rows = await ChatMessageModel.findAll({
      where: { conversationId },
      // seq (migration 003) is the total order; both messages of a turn share a timestamp.
      order: [[literal('seq'), 'DESC']],
      limit,
    });
    return rows.reverse();
  }

  /** The user's conversations, most recent activity first, keyset-paginated. */
  async list(userId: string, query: ChatPageQuery): Promise<ConversationPage> {
    const cursor = query.cursor
      ? decode<ConversationCursor>(
          query.cursor,
          (c) => typeof c.u === 'string' && /^\d{1,16}$/.test(c.u) && isUuid(c.id),
        )
      : null;
    // The sort key is updated_at in microseconds since the epoch: a JS Date would round them away.
    const rows = await ConversationModel.sequelize!.query<SummaryRow>(
      `SELECT c.id,
              c.created_at AS "createdAt",
              c.updated_at AS "updatedAt",
              (extract(epoch FROM c.updated_at) * 1000000)::bigint::text AS "sortKey",
              (SELECT left(m.content, :titleMax) FROM chat_messages m
                WHERE m.conversation_id = c.id AND m.role = 'user'
                ORDER BY m.seq LIMIT 1) AS title,
              (SELECT count(*) FROM chat_messages m WHERE m.conversation_id = c.id) AS "messageCount"
         FROM conversations c
        WHERE c.user_id = :userId
          ${
            cursor
              ? `AND (c.updated_at, c.id) <
               (timestamptz 'epoch' + CAST(:u AS bigint) * interval '1 microsecond', CAST(:id AS uuid))`
              : ''
          }
        ORDER BY c.updated_at DESC, c.id DESC
        LIMIT :limit`,
      {
        type: QueryTypes.SELECT,
        replacements: {
          userId,
          limit: query.limit + 1,
          titleMax: CONVERSATION_TITLE_MAX,
          ...(cursor ? { u: cursor.u, id: cursor.id } : {}),
        },
      },
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map((row) => ({
        id: row.id,
        title: row.title,
        createdAt: new Date(row.createdAt).toISOString(),
        updatedAt: new Date(row.updatedAt).toISOString(),
        messageCount: Number(row.messageCount),
      })),
      nextCursor:
        rows.length > query.limit && last ? encode({ u: last.sortKey, id: last.id }) : null,
    };
  }

  /**
   * A page of one conversation's messages in reading order (oldest → newest): the latest
   * `limit` without a cursor, else the `limit` before the cursor.
   */
  async messages(userId: string, id: string, query: ChatPageQuery): Promise<ChatMessagePage> {
    await this.owned(userId, id);
    const before = query.cursor ? decode<{ s: string }>(query.cursor, (c) => isSeq(c.s)).s : null;
    const rows = await ConversationModel.sequelize!.query<MessageRow>(
      `SELECT id, role, content, actions, created_at AS "createdAt", seq
         FROM chat_messages
        WHERE conversation_id = :id ${before ? 'AND seq < CAST(:before AS bigint)' : ''}
        ORDER BY seq DESC
        LIMIT :limit`,
      {
        type: QueryTypes.SELECT,
        replacements: { id, limit: query.limit + 1, ...(before ? { before } : {}) },
      },
    );
    const page = rows.slice(0, query.limit).reverse();
    const earliest = page[0];
    return {
      items: page.map(toMessage),
      nextCursor: rows.length > query.limit && earliest ? encode({ s: earliest.seq }) : null,
    };
  }

  /** Deletes the conversation and (by cascade) its messages. */
  async remove(userId: string, id: string): Promise<void> {
    const deleted = await ConversationModel.destroy({ where: { id, userId } });
    if (deleted === 0) throw new ConversationNotFoundError('id', id);
  }

  private async owned(userId: string, id: string): Promise<void> {
    const found = await ConversationModel.findOne({ where: { id, userId }, attributes: ['id'] });
    if (!found) throw new ConversationNotFoundError('id', id);
  }
}

function toMessage(row: MessageRow): ChatMessage {
  return {
    id: row.id,
    role: row.role,
    text: row.content,
    ...(row.role === 'assistant' ? { actions: row.actions } : {}),
    createdAt: new Date(row.createdAt).toISOString(),
  };
}
