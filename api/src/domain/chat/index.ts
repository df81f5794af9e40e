import type { ApiConfig } from '../../config.js';
import { ConversationStore } from '../../data-access/conversation-store.js';
import type { Logger } from '@todo/platform';
import type { Services } from '../services.js';
import { ChatService } from './chat-service.js';
import { LlmAgent } from './llm/llm-agent.js';
import { LlmClient } from './llm/llm-client.js';

// Lives beside the chat, not in ../services.ts: the chat depends on the task services, and
// building it there made the two modules import each other.

/** The chatbot, on top of the task services; the LLM agent only when configured. */
export function createChatService(
  services: Services,
  config: ApiConfig,
  logger: Logger,
): ChatService {
  const llm =
    config.LLM_BASE_URL && config.LLM_API_KEY && config.LLM_MODEL
      ? new LlmAgent(
          new LlmClient(
            config.LLM_BASE_URL,
            config.LLM_API_KEY,
            config.LLM_MODEL,
            config.LLM_TIMEOUT_MS,
          ),
          services,
          logger,
        )
      : null;
  return new ChatService(services, new ConversationStore(), logger, llm);
}
