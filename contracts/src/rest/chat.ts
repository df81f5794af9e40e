import Joi from 'joi';
import { uuid } from './common.js';

export const CHAT_MESSAGE_MAX = 4000;

/** `POST /api/v1/chat` */
export interface ChatRequest {
  message: string;
  /** Continue a conversation; omitted = start a new one. */
  conversationId?: string;
  /**
   * The device's IANA zone. The chat still computes in the user's saved zone; when this one
   * differs, replies name the saved zone ("18:00 Europe/Berlin time").
   */
  timeZone?: string;
}

/** An IANA zone name this runtime knows (`Europe/Berlin`, `Asia/Kolkata`, `UTC`). */
export const ianaTimeZone = Joi.string()
  .max(64)
  .custom((value: string, helpers) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: value });
      return value;
    } catch {
      return helpers.error('any.invalid');
    }
  })
  .messages({ 'any.invalid': '{{#label}} must be an IANA time zone such as Europe/Berlin' });

export const chatRequestSchema = Joi.object<ChatRequest>({
  message: Joi.string().trim().min(1).max(CHAT_MESSAGE_MAX).required(),
  conversationId: uuid,
  timeZone: ianaTimeZone,
});

export const CHAT_ACTION_TYPES = [
  'task.created',
  'task.updated',
  'task.completed',
  'task.reopened',
  'task.deleted',
  'tasks.listed',
  'recurrence.set',
  'recurrence.removed',
  'reminder.set',
  'reminder.disabled',
  'preferences.updated',
] as const;
export type ChatActionType = (typeof CHAT_ACTION_TYPES)[number];

/** One thing the chatbot did, so a client can show it and refresh what it changed. */
export interface ChatAction {
  type: ChatActionType;
  taskId?: string;
  /** The fields it set, as sent to the REST API (or, for `tasks.listed`, the filter and ids). */
  fields?: Record<string, unknown>;
}

export interface ChatResponse {
  reply: string;
  actions: ChatAction[];
  conversationId: string;
}

/** A conversation in the user's list (`GET /api/v1/chat/conversations`). */
export interface ConversationSummary {
  id: string;
  /** The start of the first thing the user said, or null before the first turn is stored. */
  title: string | null;
  createdAt: string;
  /** When the last turn was stored: the list is ordered by it, most recent first. */
  updatedAt: string;
  messageCount: number;
}

export interface ConversationPage {
  items: ConversationSummary[];
  /** Opaque cursor for the next (less recent) page, or null on the last page. */
  nextCursor: string | null;
}

/** One stored message of a conversation. */
export interface ChatMessage {
  id: string;
  role: 'user' | 'assistant';
  text: string;
  /** What the assistant did in this turn; only on assistant messages. */
  actions?: ChatAction[];
  createdAt: string;
}

/**
 * A page of a conversation's messages, oldest → newest. Without a cursor it is the latest
 * messages; `nextCursor` leads to the messages before them (a chat view loads upwards).
 */
export interface ChatMessagePage {
  items: ChatMessage[];
  /** Pass as `cursor` for the page of earlier messages; null when this page starts the conversation. */
  nextCursor: string | null;
}

export const CONVERSATION_TITLE_MAX = 80;

export interface ChatPageQuery {
  limit: number;
  cursor?: string;
}

export const listConversationsQuerySchema = Joi.object<ChatPageQuery>({
  limit: Joi.number().integer().min(1).max(100).default(20),
  cursor: Joi.string().max(500),
});

export const listChatMessagesQuerySchema = Joi.object<ChatPageQuery>({
  limit: Joi.number().integer().min(1).max(200).default(50),
  cursor: Joi.string().max(500),
});

export const conversationIdParamsSchema = Joi.object<{ id: string }>({ id: uuid.required() });
