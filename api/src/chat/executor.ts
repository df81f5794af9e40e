import {
  createTaskSchema,
  fromWallTime,
  recurrenceSchema,
  toWallTime,
  updatePreferencesSchema,
  updateReminderSchema,
  updateTaskSchema,
  type ChatAction,
  type ListTasksQuery,
  type NotificationPreferences,
  type Task,
} from '@todo/contracts';
import { DomainError } from '../http/errors.js';
import { validate } from '../http/validate.js';
import type { ConversationState } from '../models/index.js';
import type { Services } from '../services/index.js';
import { updatePreferences } from '../services/preferences-service.js';
import { onDayAtTime } from './interpreter/dates.js';
import { firstOccurrenceDate } from './interpreter/recurrence-phrases.js';
import type { Intent, ListFilter, TaskRef } from './interpreter/intent.js';
import {
  HELP_TEXT,
  describeRecurrence,
  describeTask,
  formatDate,
  numberedList,
  reminderText,
} from './replies.js';
import { matchTask } from './task-matcher.js';

export interface ExecutionContext {
  userId: string;
  preferences: NotificationPreferences;
  now: Date;
  state: ConversationState;
}

export interface Execution {
  reply: string;
  actions: ChatAction[];
  state: ConversationState;
}

type Resolution = { task: Task } | { ask: Task[]; query: string } | { missing: string };

/**
 * Carries out an intent through the same services, validation and events as the REST API,
 * and says what it did in plain words. A reference it cannot pin down becomes a question;
 * nothing is changed on a guess.
 */
export class ChatExecutor {
  constructor(private readonly services: Services) {}

  async execute(intent: Intent, ctx: ExecutionContext): Promise<Execution> {
    try {
      return await this.run(intent, ctx);
    } catch (error) {
      if (error instanceof DomainError) {
        const detail = error.details?.map((d) => d.message).join('; ');
        return {
          reply: `I couldn't do that: ${detail || error.message}.`,
          actions: [],
          state: ctx.state,
        };
      }
      throw error;
    }
  }

  private async run(intent: Intent, ctx: ExecutionContext): Promise<Execution> {
    const tz = ctx.preferences.timezone;
    const done = (
      reply: string,
      actions: ChatAction[],
      state: Partial<ConversationState> = {},
    ): Execution => ({
      reply,
      actions,
      state: {
        ...ctx.state,
        pending: undefined,
        ...state,
        ...(actions[0] ? { lastAction: actions[0] } : {}),
      },
    });

    switch (intent.type) {
      case 'help':
        return done(HELP_TEXT, []);
      case 'unknown':
      case 'select':
        return done("Sorry, I didn't understand that. Say “help” to see what I can do.", []);
      case 'add': {
        const input = validate(createTaskSchema, intent.fields, 'body');
        const task = await this.services.tasks.create(ctx.userId, input);
        const extras = task.dueDate && task.reminderEnabled ? `; ${reminderText(task)}` : '';
        return done(
          `Added ${describeTask(task, tz)}${extras}.`,
          [{ type: 'task.created', taskId: task.id, fields: { ...intent.fields } }],
          {
            lastTaskId: task.id,
          },
        );
      }
      case 'list':
        return this.list(intent.filter, ctx, done);
      case 'set-preferences': {
        const patch = validate(updatePreferencesSchema, intent.preferences, 'body');
        const saved = await updatePreferences(ctx.userId, patch);
        return done(preferencesReply(patch, saved), [
          { type: 'preferences.updated', fields: { ...patch } },
        ]);
      }
      default:
        break;
    }

    const resolution = await this.resolve(
      intent.ref,
      ctx,
      intent.type === 'reopen' ? 'completed' : 'pending',
    );
    if ('missing' in resolution) return done(resolution.missing, []);
    if ('ask' in resolution) {
      return {
        reply: `Which “${resolution.query}” do you mean?\n${numberedList(resolution.ask, tz)}\nSay “the first one”, “2”, or a fuller title.`,
        actions: [],
        state: {
          ...ctx.state,
          pending: { intent, candidateIds: resolution.ask.map((t) => t.id) },
          lastListIds: resolution.ask.map((t) => t.id),
        },
      };
    }
    const { task } = resolution;
    const focus = { lastTaskId: task.id };
    const { tasks, recurrence, reminders } = this.services;

    switch (intent.type) {
      case 'complete': {
        if (task.status === 'completed') return done(`“${task.title}” is already done.`, [], focus);
        const result = await tasks.complete(ctx.userId, task.id);
        const next = result.nextInstance?.scheduledFor
          ? ` The next one is due ${formatDate(result.nextInstance.scheduledFor, tz)}.`
          : '';
        return done(
          `Done: “${task.title}”.${next}`,
          [{ type: 'task.completed', taskId: task.id }],
          focus,
        );
      }
      case 'reopen': {
        if (task.status === 'pending') return done(`“${task.title}” is still open.`, [], focus);
        await tasks.update(ctx.userId, task.id, { status: 'pending' });
        return done(
          `Reopened “${task.title}”.`,
          [{ type: 'task.reopened', taskId: task.id }],
          focus,
        );
      }
      case 'delete': {
        await tasks.remove(ctx.userId, task.id);
        const series = task.recurrence ? ' Its series ends too.' : '';
        return done(
          `Deleted “${task.title}”.${series}`,
          [{ type: 'task.deleted', taskId: task.id }],
          { lastTaskId: undefined },
        );
      }
      case 'update': {
        const input = validate(updateTaskSchema, intent.fields, 'body');
        const updated = await tasks.update(ctx.userId, task.id, input);
        return done(
          `Updated ${describeTask(updated, tz)}.`,
          [{ type: 'task.updated', taskId: task.id, fields: { ...intent.fields } }],
          focus,
        );
      }
      case 'tag': {
        const next = [...new Set([...task.tags, ...intent.add])].filter(
          (t) => !intent.remove.includes(t),
        );
        const updated = await tasks.update(
          ctx.userId,
          task.id,
          validate(updateTaskSchema, { tags: next }, 'body'),
        );
        const now = updated.tags.length
          ? `now tagged ${updated.tags.map((t) => `#${t}`).join(' ')}`
          : 'no longer tagged';
        return done(
          `“${task.title}” is ${now}.`,
          [{ type: 'task.updated', taskId: task.id, fields: { tags: next } }],
          focus,
        );
      }
      case 'reschedule': {
        const due = this.newDueDate(intent, task, ctx);
        const updated = await tasks.update(
          ctx.userId,
          task.id,
          validate(updateTaskSchema, { dueDate: due }, 'body'),
        );
        return done(
          `Moved “${task.title}” to ${formatDate(updated.dueDate!, tz)}.`,
          [{ type: 'task.updated', taskId: task.id, fields: { dueDate: updated.dueDate } }],
          focus,
        );
      }
      case 'set-recurrence': {
        const pattern = validate(recurrenceSchema, intent.recurrence, 'body');
        // "Make it every Friday" on an undated task: the first Friday is when it is due.
        const firstDue = task.dueDate ? null : firstOccurrenceDate(intent.recurrence, ctx.now, tz);
        if (firstDue) await tasks.update(ctx.userId, task.id, { dueDate: firstDue });
        const updated = await recurrence.put(ctx.userId, task.id, pattern);
        const first = firstDue
          ? ` The first one is due ${formatDate(firstDue.toISOString(), tz)}.`
          : updated.dueDate
            ? ''
            : ' It has no due date yet, so the next one counts from when you complete it.';
        return done(
          `“${task.title}” now repeats ${describeRecurrence(updated.recurrence!, tz)}.${first}`,
          [{ type: 'recurrence.set', taskId: task.id, fields: { ...updated.recurrence } }],
          focus,
        );
      }
      case 'remove-recurrence': {
        if (!task.recurrence) return done(`“${task.title}” doesn't repeat.`, [], focus);
        await recurrence.remove(ctx.userId, task.id);
        return done(
          `“${task.title}” no longer repeats.`,
          [{ type: 'recurrence.removed', taskId: task.id }],
          focus,
        );
      }
      case 'set-reminder': {
        const patch = validate(
          updateReminderSchema,
          {
            enabled: true,
            ...(intent.offsetMinutes !== undefined ? { offsetMinutes: intent.offsetMinutes } : {}),
            ...(intent.channels ? { channels: intent.channels } : {}),
          },
          'body',
        );
        const { task: updated } = await reminders.update(ctx.userId, task.id, patch);
        const when = updated.reminderAt
          ? ` It will fire ${formatDate(updated.reminderAt, tz)}.`
          : updated.dueDate
            ? ''
            : ' Give it a due date so I know when.';
        return done(
          `I'll remind you about “${task.title}” — ${reminderText(updated).replace(/^reminder /, '')}.${when}`,
          [{ type: 'reminder.set', taskId: task.id, fields: { ...patch } }],
          focus,
        );
      }
      case 'disable-reminder': {
        await reminders.update(ctx.userId, task.id, { enabled: false });
        return done(
          `No more reminders for “${task.title}”.`,
          [{ type: 'reminder.disabled', taskId: task.id }],
          focus,
        );
      }
    }
  }

  private newDueDate(
    intent: Extract<Intent, { type: 'reschedule' }>,
    task: Task,
    ctx: ExecutionContext,
  ): Date {
    const tz = ctx.preferences.timezone;
    if (intent.shiftMinutes !== undefined) {
      const from = task.dueDate ? new Date(task.dueDate) : ctx.now;
      return new Date(from.getTime() + intent.shiftMinutes * 60_000);
    }
    const wanted = new Date(intent.dueDate!);
    if (intent.timeOnly && task.dueDate) return onDayAtTime(new Date(task.dueDate), wanted, tz);
    return wanted;
  }

  private async list(
    filter: ListFilter,
    ctx: ExecutionContext,
    done: (r: string, a: ChatAction[], s?: Partial<ConversationState>) => Execution,
  ) {
    const tz = ctx.preferences.timezone;
    const query: ListTasksQuery = {
      sort: 'dueDate',
      limit: 20,
      status: filter.status ?? 'pending',
    };
    if (filter.priority) query.priority = filter.priority;
    if (filter.tag) query.tag = filter.tag;
    if (filter.q) query.q = filter.q;
    const day = (offset: number) => {
      const wall = toWallTime(ctx.now, tz);
      return fromWallTime(
        new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate() + offset)),
        tz,
      );
    };
    switch (filter.due) {
      case 'today':
        [query.dueAfter, query.dueBefore] = [new Date(day(0).getTime() - 1), day(1)];
        break;
      case 'tomorrow':
        [query.dueAfter, query.dueBefore] = [new Date(day(1).getTime() - 1), day(2)];
        break;
      case 'week':
        [query.dueAfter, query.dueBefore] = [new Date(day(0).getTime() - 1), day(7)];
        break;
      case 'overdue':
        query.dueBefore = ctx.now;
        query.status = 'pending';
        break;
    }
    const page = await this.services.queries.list(ctx.userId, query);
    const ids = page.items.map((t) => t.id);
    const what = describeFilter(filter);
    const reply = page.items.length
      ? `${page.items.length === 1 ? 'One task' : `${page.items.length} tasks`}${what}:\n${numberedList(page.items, tz)}${page.nextCursor ? '\n(more in the app)' : ''}`
      : `No tasks${what}.`;
    return done(
      reply,
      [{ type: 'tasks.listed', fields: { filter: { ...filter }, taskIds: ids } }],
      {
        lastListIds: ids,
        ...(ids.length === 1 ? { lastTaskId: ids[0] } : {}),
      },
    );
  }

  /** All of the user's live tasks, most recently touched first (for matching titles). */
  private async candidates(userId: string): Promise<Task[]> {
    return (
      await this.services.queries.list(userId, { status: 'all', sort: '-updatedAt', limit: 200 })
    ).items;
  }

  private async resolve(
    ref: TaskRef,
    ctx: ExecutionContext,
    prefer: 'pending' | 'completed',
  ): Promise<Resolution> {
    const byId = async (id: string | undefined) => {
      if (!id) return null;
      try {
        return await this.services.tasks.get(ctx.userId, id);
      } catch {
        return null;
      }
    };
    switch (ref.kind) {
      case 'id': {
        const task = await byId(ref.id);
        return task ? { task } : { missing: 'That task no longer exists.' };
      }
      case 'pronoun': {
        const task = await byId(ctx.state.lastTaskId);
        return task ? { task } : { missing: 'Which task do you mean? Tell me its title.' };
      }
      case 'position': {
        const ids = ctx.state.lastListIds ?? [];
        const id = ref.index === -1 ? ids.at(-1) : ids[ref.index - 1];
        if (!ids.length)
          return { missing: 'I haven’t shown you a list yet — ask “what are my tasks?” first.' };
        const task = await byId(id);
        return task
          ? { task }
          : { missing: `There is no number ${ref.index} in the last list (it had ${ids.length}).` };
      }
      case 'title': {
        const all = await this.candidates(ctx.userId);
        const preferred = all.filter((t) => t.status === prefer);
        const match = matchTask(preferred, ref.text);
        const result = match.task || match.candidates.length ? match : matchTask(all, ref.text);
        if (result.task) return { task: result.task };
        if (result.candidates.length) return { ask: result.candidates, query: ref.text };
        return { missing: `I couldn't find a task called “${ref.text}”.` };
      }
    }
  }
}

function describeFilter(filter: ListFilter): string {
  const parts: string[] = [];
  if (filter.status === 'completed') parts.push(' completed');
  if (filter.priority) parts.push(` with ${filter.priority} priority`);
  if (filter.tag) parts.push(` tagged #${filter.tag}`);
  if (filter.q) parts.push(` matching “${filter.q}”`);
  const due = {
    today: ' due today',
    tomorrow: ' due tomorrow',
    week: ' due this week',
    overdue: ' overdue',
  } as const;
  if (filter.due) parts.push(due[filter.due]);
  return parts.join('');
}

function preferencesReply(
  patch: Partial<NotificationPreferences>,
  saved: NotificationPreferences,
): string {
  const lines: string[] = [];
  if ('quietHoursStart' in patch) {
    lines.push(
      saved.quietHoursStart
        ? `Quiet hours set: ${saved.quietHoursStart}–${saved.quietHoursEnd} (${saved.timezone}); reminders then wait until they end`
        : 'Quiet hours are off',
    );
  }
  if (patch.timezone) lines.push(`Your time zone is now ${saved.timezone}`);
  if (patch.emailEnabled !== undefined)
    lines.push(`Email notifications ${saved.emailEnabled ? 'on' : 'off'}`);
  if (patch.pushEnabled !== undefined)
    lines.push(`Push notifications ${saved.pushEnabled ? 'on' : 'off'}`);
  if (patch.defaultReminderOffset !== undefined)
    lines.push(
      `New tasks get a reminder ${saved.defaultReminderOffset} minutes before they are due`,
    );
  return `${lines.join('. ')}.`;
}
