import { Op, QueryTypes } from 'sequelize';
import { CONVERSATION_TITLE_MAX, type ExportedConversation, type Task } from '@todo/contracts';
import {
  ConversationModel,
  NotificationModel,
  RecurrencePatternModel,
  TaskModel,
} from './models/index.js';
import { toTaskDto } from './task-mapper.js';

/**
 * Reads for the data export: everything of one user's, each kind in one or two queries (not a
 * query per task, as the single-task read does).
 */

/** Open and completed tasks with their series' patterns, oldest first. */
export async function exportTasks(userId: string): Promise<Task[]> {
  const [tasks, patterns] = await Promise.all([
    TaskModel.findAll({
      where: { userId, status: { [Op.ne]: 'deleted' } },
      order: [
        ['createdAt', 'ASC'],
        ['id', 'ASC'],
      ],
    }),
    RecurrencePatternModel.findAll({ where: { userId } }),
  ]);
  const bySeries = new Map(patterns.map((p) => [p.seriesId, p]));
  return tasks.map((task) =>
    toTaskDto(task, task.seriesId ? (bySeries.get(task.seriesId) ?? null) : null),
  );
}

interface MessageRow {
  id: string;
  conversationId: string;
  role: 'user' | 'assistant';
  content: string;
  actions: ExportedConversation['messages'][number]['actions'];
  createdAt: Date;
}

/** Every conversation with all its messages, oldest conversation and message first. */
export async function exportConversations(userId: string): Promise<ExportedConversation[]> {
  const conversations = await ConversationModel.findAll({
    where: { userId },
    order: [
      ['createdAt', 'ASC'],
      ['id', 'ASC'],
    ],
  });
  if (conversations.length === 0) return [];
  const rows = await ConversationModel.sequelize!.query<MessageRow>(
    `SELECT id, conversation_id AS "conversationId", role, content, actions, created_at AS "createdAt"
       FROM chat_messages WHERE conversation_id = ANY($1::uuid[])
      ORDER BY conversation_id, seq`,
    { bind: [conversations.map((c) => c.id)], type: QueryTypes.SELECT },
  );
  const byConversation = new Map<string, MessageRow[]>();
  for (const row of rows) {
    const list = byConversation.get(row.conversationId) ?? [];
    list.push(row);
    byConversation.set(row.conversationId, list);
  }
  return conversations.map((c) => {
    const messages = byConversation.get(c.id) ?? [];
    const first = messages.find((m) => m.role === 'user');
    return {
      id: c.id,
      title: first ? first.content.slice(0, CONVERSATION_TITLE_MAX) : null,
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
      messages: messages.map((m) => ({
        id: m.id,
        role: m.role,
        text: m.content,
        ...(m.role === 'assistant' ? { actions: m.actions } : {}),
        createdAt: new Date(m.createdAt).toISOString(),
      })),
    };
  });
}

/** The whole inbox, newest first. */
export function exportNotifications(userId: string): Promise<NotificationModel[]> {
  return NotificationModel.findAll({
    where: { userId },
    order: [
      ['createdAt', 'DESC'],
      ['id', 'DESC'],
    ],
  });
}
