import type { Router } from 'express';
import {
  chatMessagePageSchema,
  chatRequestSchema,
  chatResponseSchema,
  conversationIdParamsSchema,
  conversationPageSchema,
  listChatMessagesQuerySchema,
  listConversationsQuerySchema,
} from '@todo/contracts';
import { userIdOf } from '../auth/require-user.js';
import type { ChatService } from '../../../domain/chat/chat-service.js';
import { validate } from '../../../domain/validate.js';
import { AUTHED, WITH_BODY, documentedRouter, type Operation } from '../openapi/operation.js';

/** `/api/v1/chat`: a turn of a conversation with the chatbot, and reading conversations back. */
export function chatRouter(chat: ChatService): { router: Router; operations: Operation[] } {
  const { router, operations, route } = documentedRouter('/api/v1/chat');
  const idOf = (params: unknown) => validate(conversationIdParamsSchema, params, 'params').id;

  route(
    'post',
    '/',
    {
      operationId: 'chat',
      tag: 'chat',
      summary: 'Manage tasks in plain words',
      description:
        'Sends one message to the Todo chatbot (e.g. "add buy milk tomorrow at 9", "what is overdue?", "complete the second one"). Send conversationId back to continue a conversation. The reply says what was done; actions lists it.',
      body: {
        name: 'ChatRequest',
        schema: chatRequestSchema,
        examples: {
          start: {
            summary: 'Start a conversation',
            value: { message: 'add buy milk tomorrow at 9am' },
          },
          followUp: {
            summary: 'Continue it',
            value: {
              message: 'make it every Friday',
              conversationId: '0190f3c5-6c1e-7b7a-9a43-2f1d4c8e5a11',
            },
          },
        },
      },
      success: {
        status: 200,
        description: 'The reply and what was done.',
        schema: chatResponseSchema,
      },
      errors: [...WITH_BODY, 404, ...AUTHED],
    },
    async (req, res) => {
      const request = validate(chatRequestSchema, req.body, 'body');
      res.json(await chat.handle(userIdOf(req), request));
    },
  );

  route(
    'get',
    '/conversations',
    {
      operationId: 'listConversations',
      tag: 'chat',
      summary: 'List chat conversations',
      description:
        'The user’s conversations with the chatbot, most recent activity first, each with the start of its first message as title and its message count. Pass nextCursor back as cursor for the next page.',
      query: listConversationsQuerySchema,
      success: {
        status: 200,
        description: 'A page of conversations.',
        schema: conversationPageSchema,
      },
      errors: [400, ...AUTHED],
    },
    async (req, res) => {
      const query = validate(listConversationsQuerySchema, req.query, 'query');
      res.json(await chat.conversations(userIdOf(req), query));
    },
  );

  route(
    'get',
    '/conversations/:id/messages',
    {
      operationId: 'listConversationMessages',
      tag: 'chat',
      summary: 'Read a conversation back',
      description:
        'Messages of one conversation, oldest to newest: the latest ones first; nextCursor (passed as cursor) gives the messages before them. Assistant messages carry the actions taken.',
      params: conversationIdParamsSchema,
      query: listChatMessagesQuerySchema,
      success: { status: 200, description: 'A page of messages.', schema: chatMessagePageSchema },
      errors: [400, 404, ...AUTHED],
    },
    async (req, res) => {
      const id = idOf(req.params);
      const query = validate(listChatMessagesQuerySchema, req.query, 'query');
      res.json(await chat.messages(userIdOf(req), id, query));
    },
  );

  route(
    'delete',
    '/conversations/:id',
    {
      operationId: 'deleteConversation',
      tag: 'chat',
      summary: 'Delete a conversation',
      description:
        'Deletes the conversation and its messages; the chatbot forgets what it referred to. Sending its conversationId to chat afterwards answers 404.',
      params: conversationIdParamsSchema,
      success: { status: 204, description: 'Deleted.' },
      errors: [400, 404, ...AUTHED],
    },
    async (req, res) => {
      await chat.deleteConversation(userIdOf(req), idOf(req.params));
      res.status(204).end();
    },
  );

  return { router, operations };
}
