import { randomUUID } from 'node:crypto';
import type { ChatAction } from '@todo/contracts';
import { NotFoundError } from '../http/errors.js';
import { ChatMessageModel, ConversationModel, type ConversationState } from '../models/index.js';

/** Conversations and their messages, per user. Another user's conversation is a 404. */
export class ConversationStore {
  async open(userId: string, id: string | undefined): Promise<ConversationModel> {
    if (!id) return ConversationModel.create({ id: randomUUID(), userId, state: {} });
    const found = await ConversationModel.findOne({ where: { id, userId } });
    if (!found) throw new NotFoundError(`conversation ${id}`);
    return found;
  }

  async record(
    conversation: ConversationModel,
    turn: { message: string; reply: string; actions: ChatAction[]; state: ConversationState },
  ): Promise<void> {
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
  }

  /** The last `limit` messages, oldest first (the LLM's context window). */
  async recent(conversationId: string, limit = 20): Promise<ChatMessageModel[]> {
    const rows = await ChatMessageModel.findAll({
      where: { conversationId },
      order: [
        ['createdAt', 'DESC'],
        ['role', 'ASC'],
      ],
      limit,
    });
    return rows.reverse();
  }
}
