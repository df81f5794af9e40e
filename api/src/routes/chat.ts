import { Router } from 'express';
import { chatRequestSchema } from '@todo/contracts';
import { userIdOf } from '../auth/require-user.js';
import type { ChatService } from '../chat/chat-service.js';
import { validate } from '../http/validate.js';

/** `/api/v1/chat`: one turn of a conversation with the chatbot. */
export function chatRouter(chat: ChatService): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    const request = validate(chatRequestSchema, req.body, 'body');
    res.json(await chat.handle(userIdOf(req), request));
  });
  return router;
}
