import type {
  ChatMessagePage,
  ChatPageQuery,
  ChatRequest,
  ChatResponse,
  ConversationPage,
  Task,
} from '@todo/contracts';
import type { Logger } from '@todo/platform';
import type { Services } from '../services.js';
import { getPreferences, updatePreferences } from '../preferences-service.js';
import { BuiltinAgent } from './builtin-agent.js';
import type { ConversationStore } from '../../data-access/conversation-store.js';
import { ChatExecutor, type Execution, type ExecutionContext } from './executor.js';
import type { LlmAgent } from './llm/llm-agent.js';

/**
 * `POST /chat`: one turn of a conversation. The LLM agent answers when configured and
 * healthy; otherwise, or when it fails, the built-in parser does (and the log says so).
 * Dates are computed in the user's saved zone. A device's zone (`timeZone`) becomes the saved
 * one while the user has not chosen one; otherwise, when it differs, replies name the saved
 * zone so "18:00" is not misread.
 */
export class ChatService {
  private readonly executor: ChatExecutor;
  private readonly builtin: BuiltinAgent;

  constructor(
    private readonly services: Services,
    private readonly store: ConversationStore,
    private readonly logger: Logger,
    private readonly llm: LlmAgent | null = null,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.executor = new ChatExecutor(services);
    this.builtin = new BuiltinAgent(this.executor, (userId, ids) => this.loadTasks(userId, ids));
  }

  async handle(userId: string, request: ChatRequest): Promise<ChatResponse> {
    const conversation = await this.store.open(userId, request.conversationId);
    let preferences = await getPreferences(userId);
    // A zone nobody chose yet is adopted from the device, as the web app does (ADR 070).
    if (
      request.timeZone &&
      !preferences.timezoneChosen &&
      request.timeZone !== preferences.timezone
    ) {
      preferences = await updatePreferences(userId, {
        timezone: request.timeZone,
        timezoneChosen: false,
      });
    }
    const now = this.clock();
    const ctx: ExecutionContext = {
      userId,
      preferences,
      now,
      clock: {
        timeZone: preferences.timezone,
        nameZone: !!request.timeZone && !sameZone(request.timeZone, preferences.timezone, now),
        now,
      },
      state: conversation.state,
      ...(request.weekStart ? { weekStart: request.weekStart } : {}),
    };
    let outcome: Execution | null = null;
    let engine = 'builtin';
    if (this.llm) {
      try {
        const history = await this.store.recent(conversation.id);
        outcome = await this.llm.respond(request.message, history, ctx, this.executor);
        engine = 'llm';
      } catch (error) {
        this.logger.warn(
          { err: error, conversationId: conversation.id },
          'LLM unavailable; the built-in parser answers',
        );
      }
    }
    outcome ??= await this.builtin.respond(request.message, ctx);
    await this.store.record(conversation, { message: request.message, ...outcome });
    this.logger.info(
      {
        conversationId: conversation.id,
        engine,
        actions: outcome.actions.map((a) => a.type),
        taskIds: outcome.actions.map((a) => a.taskId).filter(Boolean),
      },
      'chat turn',
    );
    return { reply: outcome.reply, actions: outcome.actions, conversationId: conversation.id };
  }

  /** The user's conversations, most recent activity first. */
  conversations(userId: string, query: ChatPageQuery): Promise<ConversationPage> {
    return this.store.list(userId, query);
  }

  /** A page of one of the user's conversations, oldest → newest; earlier pages via the cursor. */
  messages(userId: string, conversationId: string, query: ChatPageQuery): Promise<ChatMessagePage> {
    return this.store.messages(userId, conversationId, query);
  }

  /** Forgets a conversation: its messages and what the chat remembered. */
  async deleteConversation(userId: string, conversationId: string): Promise<void> {
    await this.store.remove(userId, conversationId);
    this.logger.info({ conversationId }, 'conversation deleted');
  }

  private async loadTasks(userId: string, ids: string[]): Promise<Task[]> {
    const tasks: Task[] = [];
    for (const id of ids) {
      try {
        tasks.push(await this.services.tasks.get(userId, id));
      } catch {
        // deleted meanwhile: no longer a candidate
      }
    }
    return tasks;
  }
}

/** Two zone names that show the same clock now (`Europe/Berlin` and `Europe/Paris`) are the same to a reader. */
function sameZone(a: string, b: string, now: Date): boolean {
  if (a === b) return true;
  const show = (timeZone: string) =>
    new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(
      now,
    );
  return show(a) === show(b);
}
