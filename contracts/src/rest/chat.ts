import Joi from 'joi';
import { uuid } from './common.js';

export const CHAT_MESSAGE_MAX = 4000;

/** `POST /api/v1/chat` */
export interface ChatRequest {
  message: string;
  /** Continue a conversation; omitted = start a new one. */
  conversationId?: string;
}

export const chatRequestSchema = Joi.object<ChatRequest>({
  message: Joi.string().trim().min(1).max(CHAT_MESSAGE_MAX).required(),
  conversationId: uuid,
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

/** One stored turn of a conversation. */
export interface ChatMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  actions: ChatAction[];
  createdAt: string;
}
