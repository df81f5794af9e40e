import type { Task } from '@todo/contracts';
import type { ConversationState } from '../models/index.js';
import { findDate } from './interpreter/dates.js';
import type { Intent } from './interpreter/intent.js';
import { parseIntent, splitCorrection } from './interpreter/parse-intent.js';
import type { ChatExecutor, Execution, ExecutionContext } from './executor.js';
import { matchTask } from './task-matcher.js';

/**
 * The built-in interpreter as a conversation partner: parses the message, answers pending
 * "which one?" questions, applies corrections ("no, I meant …") to the last action, and runs
 * the intent. Needs no network.
 */
export class BuiltinAgent {
  constructor(
    private readonly executor: ChatExecutor,
    private readonly loadTasks: (userId: string, ids: string[]) => Promise<Task[]>,
  ) {}

  async respond(message: string, ctx: ExecutionContext): Promise<Execution> {
    const parseContext = { now: ctx.now, timeZone: ctx.preferences.timezone };
    const { correction, text } = splitCorrection(message);
    let intent = parseIntent(text, parseContext);
    const state = ctx.state;

    if (state.pending) {
      const chosen = await this.answerToQuestion(intent, text, ctx);
      if (chosen)
        intent = { ...(state.pending.intent as Intent), ref: { kind: 'id', id: chosen } } as Intent;
    } else if (intent.type === 'select') {
      return this.focusOn(intent, ctx);
    }

    if (correction && intent.type === 'unknown' && state.lastAction?.taskId) {
      return this.correct(text, ctx, parseContext);
    }
    return this.executor.execute(intent, ctx);
  }

  /** The candidate the user picked: by position, or by a title that matches one of them. */
  private async answerToQuestion(
    intent: Intent,
    text: string,
    ctx: ExecutionContext,
  ): Promise<string | null> {
    const ids = ctx.state.pending?.candidateIds ?? [];
    if (intent.type === 'select' && intent.ref.kind === 'position') {
      return (intent.ref.index === -1 ? ids.at(-1) : ids[intent.ref.index - 1]) ?? null;
    }
    if (intent.type !== 'unknown') return null;
    const match = matchTask(await this.loadTasks(ctx.userId, ids), text);
    return match.task?.id ?? null;
  }

  private async focusOn(
    intent: Extract<Intent, { type: 'select' }>,
    ctx: ExecutionContext,
  ): Promise<Execution> {
    const ids = ctx.state.lastListIds ?? [];
    const id =
      intent.ref.kind === 'position'
        ? intent.ref.index === -1
          ? ids.at(-1)
          : ids[intent.ref.index - 1]
        : undefined;
    const [task] = id ? await this.loadTasks(ctx.userId, [id]) : [];
    if (!task)
      return {
        reply: 'Which task do you mean? Ask for your list first.',
        actions: [],
        state: ctx.state,
      };
    return {
      reply: `OK, “${task.title}”. What should I do with it — complete, move, rename, delete?`,
      actions: [],
      state: { ...ctx.state, lastTaskId: task.id },
    };
  }

  /**
   * "No, I meant …" after an action: a date reschedules the task just touched; after a
   * completion, the wrong task is reopened and the meant one completed; after an add, the
   * title is corrected.
   */
  private async correct(
    text: string,
    ctx: ExecutionContext,
    parseContext: { now: Date; timeZone: string },
  ): Promise<Execution> {
    const last = ctx.state.lastAction!;
    const lastId = last.taskId!;
    const date = findDate(text, parseContext.now, parseContext.timeZone);
    if (date && date.index === 0 && date.text.trim().length >= text.trim().length - 3) {
      return this.executor.execute(
        {
          type: 'reschedule',
          ref: { kind: 'id', id: lastId },
          dueDate: date.date.toISOString(),
          ...(date.timeOnly ? { timeOnly: true } : {}),
        },
        ctx,
      );
    }
    if (last.type === 'task.completed') {
      const undo = await this.executor.execute(
        { type: 'reopen', ref: { kind: 'id', id: lastId } },
        ctx,
      );
      const redo = await this.executor.execute(
        { type: 'complete', ref: { kind: 'title', text } },
        { ...ctx, state: undo.state },
      );
      return {
        reply: `${undo.reply} ${redo.reply}`,
        actions: [...undo.actions, ...redo.actions],
        state: redo.state,
      };
    }
    if (last.type === 'task.created') {
      return this.executor.execute(
        { type: 'update', ref: { kind: 'id', id: lastId }, fields: { title: text.trim() } },
        ctx,
      );
    }
    return this.executor.execute({ type: 'unknown' }, ctx);
  }
}

export type { ConversationState };
