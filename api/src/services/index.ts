import type { Sequelize } from 'sequelize';
import { ChatService } from '../chat/chat-service.js';
import { ConversationStore } from '../chat/conversation-store.js';
import { LlmAgent } from '../chat/llm/llm-agent.js';
import { LlmClient } from '../chat/llm/llm-client.js';
import type { ApiConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { NotificationService } from './notification-service.js';
import { RecurrenceService } from './recurrence-service.js';
import { ReminderService } from './reminder-service.js';
import { TaskQueryService } from './task-query-service.js';
import { TaskService } from './task-service.js';

export function createServices(
  sequelize: Sequelize,
  logger: Logger,
  options: { changeFeedRetentionDays?: number } = {},
) {
  return {
    tasks: new TaskService(sequelize, logger),
    queries: new TaskQueryService(options.changeFeedRetentionDays),
    recurrence: new RecurrenceService(sequelize, logger),
    reminders: new ReminderService(sequelize, logger),
    notifications: new NotificationService(),
  };
}

/** The chatbot, on top of the same services; the LLM agent only when configured. */
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

export type Services = ReturnType<typeof createServices>;
