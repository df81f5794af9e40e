import { Router } from 'express';
import {
  chatRequestSchema,
  conversationIdParamsSchema,
  listChatMessagesQuerySchema,
  listConversationsQuerySchema,
} from '@todo/contracts';
import { userIdOf } from '../auth/require-user.js';
import type { ChatService } from '../../../domain/chat/chat-service.js';
import { validate } from '../../../domain/validate.js';

/** `/api/v1/chat`: a turn of a conversation with the chatbot, and reading conversations back. */
export function chatRouter(chat: ChatService): Router {
  const router = Router();
  const idOf = (params: unknown) => validate(conversationIdParamsSchema, params, 'params').id;

  router.post('/', async (req, res) => {
    const request = validate(chatRequestSchema, req.body, 'body');
    res.json(await chat.handle(userIdOf(req), request));
  });

  router.get('/conversations', async (req, res) => {
    const query = validate(listConversationsQuerySchema, req.query, 'query');
    res.json(await chat.conversations(userIdOf(req), query));
  });

  router.get('/conversations/:id/messages', async (req, res) => {
    const id = idOf(req.params);
    const query = validate(listChatMessagesQuerySchema, req.query, 'query');
    res.json(await chat.messages(userIdOf(req), id, query));
  });

  router.delete('/conversations/:id', async (req, res) => {
    await chat.deleteConversation(userIdOf(req), idOf(req.params));
    res.status(204).end();
  });

  return router;
}
