import Joi from 'joi';
import { text } from '../text.js';
import { uuid } from './common.js';
import type { WeekStart } from '../time/due.js';

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
  /** First day of the week in the user's locale (1 = Monday … 7 = Sunday) for "this week". */
  weekStart?: WeekStart;
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
  message: text({ min: 1, max: CHAT_MESSAGE_MAX })
    .trim()
    .required()
    .description('What the user said, in plain words.'),
  conversationId: uuid.description(
    'The conversationId of an earlier reply, to continue that conversation.',
  ),
  timeZone: ianaTimeZone.description(
    "The device's IANA zone; replies name the saved zone when it differs.",
  ),
  weekStart: Joi.number()
    .integer()
    .min(1)
    .max(7)
    .description(
      'First day of the week for "this week", as the user\'s locale says: 1 = Monday (the default) … 7 = Sunday.',
    ),
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
  'list.created',
  'list.updated',
  'list.deleted',
  'list.shared',
  'lists.listed',
] as const;
export type ChatActionType = (typeof CHAT_ACTION_TYPES)[number];

/** One thing the chatbot did, so a client can show it and refresh what it changed. */
export interface ChatAction {
  type: ChatActionType;
  taskId?: string;
  /** The list it made, changed or deleted (`list.*`), or moved a task into. */
  listId?: string;
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
  limit: Joi.number()
    .integer()
    .min(1)
    .max(100)
    .default(20)
    .description('At most this many conversations.'),
  cursor: Joi.string().max(500).description('nextCursor of the previous page.'),
});

export const listChatMessagesQuerySchema = Joi.object<ChatPageQuery>({
  limit: Joi.number()
    .integer()
    .min(1)
    .max(200)
    .default(50)
    .description('At most this many messages.'),
  cursor: Joi.string()
    .max(500)
    .description('nextCursor of the previous page: the messages before it.'),
});

export const conversationIdParamsSchema = Joi.object<{ id: string }>({
  id: uuid.required().description('The conversationId of a chat reply.'),
});

// ---- response bodies, paired with the interfaces above ----

const dateTime = Joi.string().isoDate();

export const chatActionSchema = Joi.object<ChatAction>({
  type: Joi.string()
    .valid(...CHAT_ACTION_TYPES)
    .required(),
  taskId: Joi.string().guid(),
  listId: Joi.string().guid(),
  fields: Joi.object()
    .unknown(true)
    .description(
      'The fields it set, as sent to the REST API (for tasks.listed: the filter and ids).',
    ),
})
  // Optional keys stay optional inside a response whose keys are all required.
  .prefs({ presence: 'optional' })
  .id('ChatAction')
  .description('One thing the chatbot did.');

export const chatResponseSchema = Joi.object<ChatResponse>({
  reply: Joi.string().description('What was done (or a question back), in plain words.'),
  actions: Joi.array().items(chatActionSchema),
  conversationId: Joi.string().guid().description('Send it with the next message to continue.'),
})
  .prefs({ presence: 'required' })
  .id('ChatResponse')
  .description("The chatbot's answer.");

export const conversationSummarySchema = Joi.object<ConversationSummary>({
  id: Joi.string().guid().description('The conversationId.'),
  title: Joi.string()
    .allow(null)
    .description(
      'The start of the first user message (up to 80 characters); null before the first turn.',
    ),
  createdAt: dateTime,
  updatedAt: dateTime.description('When the last turn was stored.'),
  messageCount: Joi.number().integer().min(0),
})
  .prefs({ presence: 'required' })
  .id('ConversationSummary')
  .description('One conversation with the chatbot.');

export const conversationPageSchema = Joi.object<ConversationPage>({
  items: Joi.array().items(conversationSummarySchema),
  nextCursor: Joi.string()
    .allow(null)
    .description('Pass as cursor for the next page; null on the last.'),
})
  .prefs({ presence: 'required' })
  .id('ConversationPage')
  .description('Conversations, most recent activity first.');

export const chatMessageSchema = Joi.object<ChatMessage>({
  id: Joi.string().guid(),
  role: Joi.string().valid('user', 'assistant'),
  text: Joi.string(),
  actions: Joi.array()
    .items(chatActionSchema)
    .optional()
    .description('What the assistant did in this turn (assistant messages only).'),
  createdAt: dateTime,
})
  .prefs({ presence: 'required' })
  .id('ChatMessage')
  .description('One message of a conversation.');

export const chatMessagePageSchema = Joi.object<ChatMessagePage>({
  items: Joi.array().items(chatMessageSchema),
  nextCursor: Joi.string()
    .allow(null)
    .description(
      'Pass as cursor for the messages before these; null when this page starts the conversation.',
    ),
})
  .prefs({ presence: 'required' })
  .id('ChatMessagePage')
  .description('Messages of a conversation, oldest to newest.');
