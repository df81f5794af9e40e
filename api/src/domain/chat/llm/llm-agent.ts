import {
  validationOptions,
  type ChatAction,
  type CreateTaskInput,
  type ListTasksQuery,
  type NotificationPreferences,
  type RecurrenceInput,
  type UpdateReminderInput,
  type UpdateTaskInput,
} from '@todo/contracts';
import type { Logger } from '@todo/platform';
import type { ChatMessageModel } from '../../../data-access/models/index.js';
import type { Services } from '../../services.js';
import type { ChatExecutor, Execution, ExecutionContext } from '../executor.js';
import type { Command } from '../commands.js';
import { LlmError, type LlmClient, type LlmMessage, type ToolCall } from './llm-client.js';
import { TOOL_SCHEMAS, isToolName, toolDefinitions } from './tools.js';

const MAX_ROUNDS = 5;

/**
 * Lets an OpenAI-compatible model drive the same operations through tool calls. Each call is
 * validated with the contracts' joi schema and carried out by the same executor as the
 * built-in parser. A failure before anything was done throws (the built-in parser
 * then answers); after something was done, the turn ends with what was done, never re-run.
 */
export class LlmAgent {
  private readonly tools = toolDefinitions();

  constructor(
    private readonly client: LlmClient,
    private readonly services: Services,
    private readonly logger: Logger,
  ) {}

  async respond(
    message: string,
    history: ChatMessageModel[],
    ctx: ExecutionContext,
    executor: ChatExecutor,
  ): Promise<Execution> {
    const messages: LlmMessage[] = [
      { role: 'system', content: systemPrompt(ctx) },
      ...history.map((m): LlmMessage => ({ role: m.role, content: m.content })),
      { role: 'user', content: message },
    ];
    const actions: ChatAction[] = [];
    let state = ctx.state;
    try {
      for (let round = 0; round < MAX_ROUNDS; round += 1) {
        const answer = await this.client.complete(messages, this.tools);
        if (answer.toolCalls.length === 0) {
          return { reply: answer.content?.trim() || 'Done.', actions, state };
        }
        messages.push({ role: 'assistant', content: answer.content, tool_calls: answer.toolCalls });
        for (const call of answer.toolCalls) {
          const result = await this.runTool(call, { ...ctx, state }, executor);
          actions.push(...result.actions);
          state = result.state;
          messages.push({ role: 'tool', tool_call_id: call.id, content: result.content });
        }
      }
      throw new LlmError(`no answer after ${MAX_ROUNDS} rounds of tool calls`);
    } catch (error) {
      if (actions.length === 0) throw error;
      this.logger.warn({ err: error }, 'LLM failed after acting; answering with what was done');
      return {
        reply: `Done: ${actions.map((a) => a.type.replace('.', ' ')).join(', ')}.`,
        actions,
        state,
      };
    }
  }

  private async runTool(
    call: ToolCall,
    ctx: ExecutionContext,
    executor: ChatExecutor,
  ): Promise<{ content: string; actions: ChatAction[]; state: ExecutionContext['state'] }> {
    const name = call.function.name;
    const fail = (text: string) => ({
      content: JSON.stringify({ error: text }),
      actions: [],
      state: ctx.state,
    });
    if (!isToolName(name)) return fail(`unknown tool ${name}`);
    let args: unknown;
    try {
      args = JSON.parse(call.function.arguments || '{}');
    } catch {
      return fail('arguments are not valid JSON');
    }
    const { value, error } = TOOL_SCHEMAS[name].schema.validate(args, validationOptions);
    if (error) return fail(error.details.map((d) => d.message).join('; '));

    if (name === 'list_tasks') {
      const page = await this.services.queries.list(ctx.userId, value as ListTasksQuery);
      const tasks = page.items.map((t) => ({
        id: t.id,
        title: t.title,
        status: t.status,
        dueDate: t.dueDate,
        priority: t.priority,
        tags: t.tags,
      }));
      return {
        content: JSON.stringify({ tasks }),
        actions: [{ type: 'tasks.listed', fields: { taskIds: tasks.map((t) => t.id) } }],
        state: { ...ctx.state, lastListIds: tasks.map((t) => t.id) },
      };
    }
    const execution = await executor.execute(toCommand(name, value), ctx);
    return {
      content: JSON.stringify({ result: execution.reply }),
      actions: execution.actions,
      state: execution.state,
    };
  }
}

type Args = Record<string, unknown> & { taskId: string };

/** A validated tool call as the executor's command (task already identified by id). */
function toCommand(
  name: Exclude<keyof typeof TOOL_SCHEMAS, 'list_tasks'>,
  value: unknown,
): Command {
  const args = value as Args;
  const ref = { kind: 'id', id: args.taskId } as const;
  const iso = (d: unknown) =>
    d instanceof Date ? d.toISOString() : (d as string | null | undefined);
  switch (name) {
    case 'create_task': {
      const input = value as CreateTaskInput;
      const { recurrence: pattern, dueDate, ...rest } = input;
      const { endDate, ...recurrence } = pattern ?? { frequency: 'daily' as const };
      return {
        type: 'add',
        fields: {
          ...rest,
          ...(dueDate !== undefined ? { dueDate: iso(dueDate) ?? null } : {}),
          ...(pattern
            ? {
                recurrence: {
                  ...recurrence,
                  ...(endDate ? { endDate: endDate.toISOString() } : {}),
                },
              }
            : {}),
        } as Extract<Command, { type: 'add' }>['fields'],
      };
    }
    case 'update_task': {
      const changes = args.changes as UpdateTaskInput;
      if (changes.status === 'completed') return { type: 'complete', ref };
      if (changes.status === 'pending' && Object.keys(changes).length === 1)
        return { type: 'reopen', ref };
      const { status: _status, dueDate, ...rest } = changes;
      return {
        type: 'update',
        ref,
        fields: { ...rest, ...(dueDate !== undefined ? { dueDate: iso(dueDate) ?? null } : {}) },
      };
    }
    case 'delete_task':
      return { type: 'delete', ref };
    case 'set_recurrence': {
      const { endDate, ...recurrence } = args.recurrence as RecurrenceInput;
      return {
        type: 'set-recurrence',
        ref,
        recurrence: { ...recurrence, ...(endDate ? { endDate: endDate.toISOString() } : {}) },
      };
    }
    case 'remove_recurrence':
      return { type: 'remove-recurrence', ref };
    case 'update_reminder': {
      const reminder = args.reminder as UpdateReminderInput;
      if (reminder.enabled === false) return { type: 'disable-reminder', ref };
      return {
        type: 'set-reminder',
        ref,
        ...(reminder.offsetMinutes !== undefined && reminder.offsetMinutes !== null
          ? { offsetMinutes: reminder.offsetMinutes }
          : {}),
        ...(reminder.channels ? { channels: reminder.channels } : {}),
      };
    }
    case 'update_preferences':
      return { type: 'set-preferences', preferences: value as Partial<NotificationPreferences> };
  }
}

function systemPrompt(ctx: ExecutionContext): string {
  return [
    'You are the assistant of a task manager. Manage the user’s tasks only through the tools.',
    `Now is ${ctx.now.toISOString()}; the user’s time zone is ${ctx.clock.timeZone}. Send dates as ISO 8601 with an offset.`,
    'A repeating task has no end unless the user names one (an end date or a number of times); never invent one.',
    'Find a task’s id with list_tasks before changing it. If several tasks could be meant, ask which instead of guessing.',
    'Answer briefly in plain words, saying what you did.',
  ].join('\n');
}
