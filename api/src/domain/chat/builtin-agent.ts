import { toWallTime, type ChatAction, type Task } from '@todo/contracts';
import {
  parseUtterance,
  type Intent,
  type TaskFields as ParsedFields,
  type TaskRef as ParsedRef,
} from '@todo/language';
import type { ConversationState, PendingQuestion } from '../../data-access/models/index.js';
import type { Command, TaskFields, TaskRef } from './commands.js';
import type { ChatExecutor, Execution, ExecutionContext } from './executor.js';
import { describeFilter } from './executor.js';
import { formatDate, notUnderstood, numberedList } from './replies.js';
import { matchTask } from './task-matcher.js';

const TIMES_A_WEEK =
  /\b(?:twice|two times|2 times|2x|three times|3 times|3x|thrice|four times|4 times|4x) (?:a|per|each|every) week\b/i;
/** "twice a month", "a couple of times a month", "2x monthly": the words the answer replaces. */
const TIMES_A_MONTH =
  /\b(?:twice|two times|2 times|2 ?x|three times|3 times|3 ?x|thrice|four times|4 times|4 ?x|a couple of times|a couple times|couple of times|couple times|a few times|few times|several times) (?:(?:a|per|each|every|in a) (?:month|mo)|monthly)\b/i;

/**
 * The built-in conversation partner: `@todo/language` reads the message, and this class
 * keeps the conversation — the task in focus, open questions ("which one?", "which days?",
 * "delete these?") answered on the next turn, corrections and undo — and turns intents into
 * the executor's commands. Needs no network.
 */
export class BuiltinAgent {
  constructor(
    private readonly executor: ChatExecutor,
    private readonly loadTasks: (userId: string, ids: string[]) => Promise<Task[]>,
  ) {}

  async respond(message: string, ctx: ExecutionContext): Promise<Execution> {
    const state = ctx.state;
    const pending = knownQuestion(state.pending);
    // The user's list names: "add report to work" names a list only when Work is one of them.
    const lists = await this.executor.listNames(ctx.userId);
    const parse = (text: string) =>
      parseUtterance(
        text,
        { now: ctx.now, timeZone: ctx.clock.timeZone },
        { hasFocus: !!state.lastTaskId, pending: !!pending, lists },
      ).intent;
    const intent = parse(message);
    const say = (reply: string, patch: Partial<ConversationState> = {}): Execution => ({
      reply,
      actions: [],
      state: { ...state, pending: undefined, ...patch },
    });

    if (pending) {
      const answered = await this.answer(pending, intent, message, ctx, parse);
      if (answered) return answered;
    }

    switch (intent.type) {
      case 'help':
        return this.executor.execute({ type: 'help' }, ctx);
      case 'undo':
        return this.executor.undo(ctx);
      case 'confirm':
        return say('OK. Tell me a task, or say “help”.');
      case 'deny':
        return say(pending ? 'OK, I left everything as it was.' : 'OK.');
      case 'select':
        return this.focusOn(intent.index, ctx);
      case 'unknown':
        if (intent.reason === 'too-frequent')
          return say(
            `${understoodPrefix(understood(intent.fields, ctx))}Tasks can repeat at most once a day, so I can’t repeat something every hour. Try “every day at 9am”, or one task per time of day.`,
          );
        if (intent.reason === 'vague-edit')
          return say(
            state.lastTaskId
              ? 'What should I change? For example “move it to friday”, “make it 5pm”, “rename it to …” or “high priority”.'
              : 'Which task, and what should change? For example “move the dentist to friday”, or ask for your list first (“show my tasks”).',
          );
        if (intent.reason === 'no-focus')
          return say(
            `${understoodPrefix(understood(intent.fields, ctx))}Which task do you mean? Name it (“move the dentist to friday”) or ask for your list first (“show my tasks”).`,
          );
        return say(
          intent.reason !== 'smalltalk'
            ? notUnderstood(understood(intent.fields, ctx))
            : intent.social === 'thanks'
              ? 'You’re welcome! Tell me whenever there is something else to do.'
              : intent.social === 'farewell'
                ? 'Bye! Your tasks will be here when you come back.'
                : 'Hi! I look after your tasks. Try “call mom tomorrow at 6pm”, “what’s due today?” or “help”.',
        );
      case 'clarify': {
        const title = intent.intent.type === 'add' ? intent.intent.fields.title : 'it';
        if (intent.question === 'which-monthdays')
          return say(
            `On which days of the month should “${title}” repeat? For example “the 1st and the 15th”.`,
            { pending: { kind: 'which-monthdays', intent: message } },
          );
        return say(`On which days should “${title}” repeat? For example “monday and thursday”.`, {
          pending: { kind: 'which-days', intent: message },
        });
      }
      case 'delete-many': {
        const found = await this.executor.matching(intent.filter, ctx);
        if ('missing' in found) return say(found.missing);
        const { tasks } = found;
        if (!tasks.length) return say(`There are no tasks${describeFilter(found.filter)}.`);
        return say(
          `Delete ${tasks.length === 1 ? 'this task' : `these ${tasks.length} tasks`}?\n${numberedList(tasks.slice(0, 10), ctx.clock)}${tasks.length > 10 ? `\n…and ${tasks.length - 10} more` : ''}\nSay “yes” to delete or “no” to keep ${tasks.length === 1 ? 'it' : 'them'}.`,
          { pending: { kind: 'confirm-delete', taskIds: tasks.map((t) => t.id) } },
        );
      }
      case 'correction':
        return this.correct(intent.text, intent.fields, ctx);
      default:
        return this.run(commandsFor(intent), ctx);
    }
  }

  /** The answer to an open question, or null when the message is about something else. */
  private async answer(
    pending: PendingQuestion,
    intent: Intent,
    message: string,
    ctx: ExecutionContext,
    parse: (text: string) => Intent,
  ): Promise<Execution | null> {
    const cleared = { ...ctx, state: { ...ctx.state, pending: undefined } };
    if (intent.type === 'deny') return null;
    switch (pending.kind) {
      case 'confirm-delete':
        return intent.type === 'confirm' ? this.executor.deleteMany(pending.taskIds, ctx) : null;
      case 'confirm-delete-list':
        return intent.type === 'confirm' ? this.executor.deleteList(pending.listId, ctx) : null;
      case 'create-list':
        return intent.type === 'confirm'
          ? this.executor.createListThen(pending.name, pending.command as Command, cleared)
          : null;
      case 'which-days': {
        const original = String(pending.intent);
        const redo = parse(original.replace(TIMES_A_WEEK, `every ${message.trim()}`));
        if (redo.type !== 'add' || !redo.fields.recurrence?.byWeekday?.length) return null;
        return this.run(commandsFor(redo), cleared);
      }
      case 'which-monthdays': {
        // "the 1st and the 15th", "5 and 20", "1st, 15th and the last day".
        const days = [
          ...new Set(
            [...message.matchAll(/\b(\d{1,2})(?:st|nd|rd|th)?\b|\blast\b/gi)]
              .map((m) => (m[1] ? Number(m[1]) : -1))
              .filter((d) => d === -1 || (d >= 1 && d <= 31)),
          ),
        ];
        if (!days.length) return null;
        const original = String(pending.intent);
        // Each day as a monthly rule the parser knows; the series starts on the earliest.
        const each = days.map((d) =>
          parse(
            original.replace(
              TIMES_A_MONTH,
              d === -1
                ? 'on the last day of every month'
                : `on the ${d}${ordinalSuffix(d)} of every month`,
            ),
          ),
        );
        const adds = each.filter(
          (i): i is Extract<Intent, { type: 'add' }> => i.type === 'add' && !!i.fields.due,
        );
        if (adds.length !== days.length) return null;
        const first = adds.reduce((a, b) => (a.fields.due!.iso <= b.fields.due!.iso ? a : b));
        const redo: Intent =
          days.length === 1
            ? first
            : {
                type: 'add',
                fields: {
                  ...first.fields,
                  recurrence: {
                    frequency: 'custom',
                    interval: 1,
                    rrule: `FREQ=MONTHLY;BYMONTHDAY=${[...days].sort((a, b) => a - b).join(',')}`,
                  },
                },
              };
        return this.run(commandsFor(redo), cleared);
      }
      case 'which-task': {
        const ids = pending.candidateIds;
        let chosen: string | null = null;
        if (intent.type === 'select') {
          chosen = (intent.index === -1 ? ids.at(-1) : ids[intent.index - 1]) ?? null;
        } else {
          const tasks = await this.loadTasks(ctx.userId, ids);
          // "the one from tuesday", "the one due on the 4th": the candidate on that day. With
          // a task in focus the words read as an edit of it ("make it friday"), so the day is
          // taken from whichever intent they made.
          const said =
            intent.type === 'reschedule'
              ? intent.due
              : 'fields' in intent && intent.fields
                ? intent.fields.due
                : undefined;
          chosen =
            byDay(tasks, message, said?.date, ctx.clock.timeZone) ??
            (intent.type === 'add' || intent.type === 'unknown'
              ? matchTask(tasks, message).task?.id
              : null) ??
            null;
        }
        if (!chosen) return null;
        const queued = (
          Array.isArray(pending.command) ? pending.command : [pending.command]
        ) as Command[];
        return this.run(
          queued.map((c) => withRef(c, { kind: 'id', id: chosen })),
          cleared,
        );
      }
    }
  }

  /** Runs commands in order; stops at a question. The first change is what "undo" restores. */
  private async run(commands: Command[], ctx: ExecutionContext): Promise<Execution> {
    const replies: string[] = [];
    const actions: ChatAction[] = [];
    let state = ctx.state;
    let undo: ConversationState['undo'];
    for (const [i, command] of commands.entries()) {
      const result = await this.executor.execute(command, { ...ctx, state });
      replies.push(result.reply);
      actions.push(...result.actions);
      if (result.actions.length && !undo) undo = result.state.undo;
      state = result.state;
      if (state.pending?.kind === 'which-task') {
        // The rest waits for the answer, with the same reference.
        state = { ...state, pending: { ...state.pending, command: commands.slice(i) } };
        break;
      }
      if (!result.actions.length && result.reply.startsWith('I couldn')) break;
    }
    return { reply: replies.join(' '), actions, state: { ...state, ...(undo ? { undo } : {}) } };
  }

  private async focusOn(index: number, ctx: ExecutionContext): Promise<Execution> {
    const ids = ctx.state.lastListIds ?? [];
    const id = index === -1 ? ids.at(-1) : ids[index - 1];
    const [task] = id ? await this.loadTasks(ctx.userId, [id]) : [];
    if (!task)
      return {
        reply: 'Which task do you mean? Ask for your list first (“show my tasks”).',
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
   * "No, I meant …" after an action: after a completion, the wrong task is reopened and the
   * meant one completed; after an add, the title (and anything else said) is corrected.
   */
  private async correct(
    text: string,
    fields: ParsedFields,
    ctx: ExecutionContext,
  ): Promise<Execution> {
    const last = ctx.state.lastAction;
    const lastId = last?.taskId;
    if (lastId && last.type === 'task.completed') {
      return this.run(
        [
          { type: 'reopen', ref: { kind: 'id', id: lastId } },
          { type: 'complete', ref: { kind: 'title', text } },
        ],
        ctx,
      );
    }
    if (lastId && ctx.state.lastTaskId === lastId) {
      return this.run(
        commandsFor({
          type: 'update',
          ref: { kind: 'focus' },
          fields: { ...fields, title: text },
        }).map((c) => withRef(c, { kind: 'id', id: lastId })),
        ctx,
      );
    }
    return this.run(commandsFor({ type: 'add', fields: { ...fields, title: text } }), ctx);
  }
}

function knownQuestion(value: ConversationState['pending']): PendingQuestion | undefined {
  // Conversations stored before questions had a kind hold an older shape: ignore it.
  return value && typeof value === 'object' && 'kind' in value ? value : undefined;
}

function ref(r: ParsedRef): TaskRef {
  return r.kind === 'focus' ? { kind: 'pronoun' } : r;
}

function withRef(command: Command, to: TaskRef): Command {
  return 'ref' in command ? { ...command, ref: to } : command;
}

function fieldsFor(f: ParsedFields): TaskFields {
  const out: TaskFields = {};
  if (f.title !== undefined) out.title = f.title;
  if (f.description !== undefined) out.description = f.description;
  if (f.due !== undefined) out.dueDate = f.due ? f.due.iso : null;
  if (f.priority) out.priority = f.priority;
  if (f.tags) out.tags = f.tags;
  if (f.reminderOffset !== undefined) out.reminderOffset = f.reminderOffset;
  if (f.recurrence) out.recurrence = { ...f.recurrence };
  if (f.list) out.list = f.list;
  return out;
}

/** A parsed intent as the executor's commands. */
export function commandsFor(intent: Intent): Command[] {
  switch (intent.type) {
    case 'add': {
      const fields = fieldsFor(intent.fields) as TaskFields & { title: string };
      // "remind me at 8am that day" on a new task: the offset from its due time.
      if (intent.fields.reminderTime && intent.fields.due?.time) {
        const [dh, dm] = intent.fields.due.time.split(':').map(Number) as [number, number];
        const [rh, rm] = intent.fields.reminderTime.split(':').map(Number) as [number, number];
        fields.reminderOffset = Math.max(0, dh * 60 + dm - rh * 60 - rm);
      }
      return [{ type: 'add', fields }];
    }
    case 'list':
      return [{ type: 'list', filter: intent.filter }];
    case 'complete':
    case 'reopen':
    case 'delete':
      return [{ type: intent.type, ref: ref(intent.ref) }];
    case 'reschedule':
      return [
        {
          type: 'reschedule',
          ref: ref(intent.ref),
          ...(intent.due
            ? {
                dueDate: intent.due.iso,
                ...(intent.due.timeOnly ? { keep: 'day' as const } : {}),
                ...(!intent.due.time ? { keep: 'time' as const } : {}),
              }
            : {}),
          ...(intent.shiftMinutes !== undefined ? { shiftMinutes: intent.shiftMinutes } : {}),
        },
      ];
    case 'update': {
      const r = ref(intent.ref);
      const f = intent.fields;
      const out: Command[] = [];
      const plain: TaskFields = {};
      if (f.title !== undefined) plain.title = f.title;
      if (f.description !== undefined) plain.description = f.description;
      if (f.priority) plain.priority = f.priority;
      if (Object.keys(plain).length) out.push({ type: 'update', ref: r, fields: plain });
      if (f.recurrence) {
        // A day or time said with the rule ("every monday at 9") moves the task there; a rule
        // alone ("make it every monday") dates only a task that has no due date yet.
        out.push({
          type: 'set-recurrence',
          ref: r,
          recurrence: { ...f.recurrence },
          ...(f.due ? { dueDate: f.due.iso } : {}),
          ...(intent.firstDue ? { firstDue: intent.firstDue.iso } : {}),
        });
      } else if (f.recurrence === null) {
        out.push({ type: 'remove-recurrence', ref: r });
      }
      if (f.due && !f.recurrence) {
        out.push(...commandsFor({ type: 'reschedule', ref: intent.ref, due: f.due }));
      } else if (f.due === null) {
        out.push({ type: 'update', ref: r, fields: { dueDate: null } });
      }
      if (intent.tagsAdd?.length || intent.tagsRemove?.length) {
        out.push({
          type: 'tag',
          ref: r,
          add: intent.tagsAdd ?? [],
          remove: intent.tagsRemove ?? [],
        });
      }
      if (f.reminderOffset === null) out.push({ type: 'disable-reminder', ref: r });
      else if (f.reminderOffset !== undefined)
        out.push({ type: 'set-reminder', ref: r, offsetMinutes: f.reminderOffset });
      else if (f.reminderTime) out.push({ type: 'set-reminder', ref: r, atTime: f.reminderTime });
      return out;
    }
    case 'add-many':
    case 'show-lists':
    case 'create-list':
    case 'rename-list':
    case 'archive-list':
    case 'delete-list':
    case 'share-list':
      return [{ ...intent }];
    case 'move-to-list':
      return [{ type: 'move-to-list', ref: ref(intent.ref), list: intent.list }];
    case 'assign':
      return [{ type: 'assign', ref: ref(intent.ref), assignee: intent.assignee }];
    case 'activity':
      if (intent.list) return [{ type: 'list-activity', list: intent.list }];
      return [
        {
          type: 'task-activity',
          ref: ref(intent.ref ?? { kind: 'focus' }),
          ...(intent.did ? { did: intent.did } : {}),
        },
      ];
    case 'set-preferences':
      return [
        {
          type: 'set-preferences',
          preferences: Object.fromEntries(
            Object.entries(intent.preferences).filter(([, v]) => v !== undefined),
          ),
        },
      ];
    default:
      return [{ type: 'help' }];
  }
}

const WEEKDAYS = /\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b/i;
const PICK_BY_DAY =
  /^(?:(?:no|yes|sorry|i mean|i meant|just)[\s,]+)*(?:the one|that one|one|the|on|from|due|for|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*(?:'s)?)\b/i;

/**
 * The one candidate due on the day an answer names: a weekday ("the one from tuesday") is
 * matched by weekday, whether that was last week or next; otherwise the parsed date. Null
 * unless exactly one candidate fits.
 */
function byDay(
  tasks: Task[],
  message: string,
  date: string | undefined,
  timeZone: string,
): string | null {
  // Only an answer shaped as a pick ("the one on friday", "friday's", "from tuesday"); a new
  // command that names a day ("push it to friday") is not one.
  if (!PICK_BY_DAY.test(message.trim())) return null;
  const weekday = WEEKDAYS.exec(message)?.[1]?.toLowerCase();
  const names = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const fits = tasks.filter((t) => {
    if (!t.dueDate) return false;
    const wall = toWallTime(new Date(t.dueDate), timeZone);
    if (weekday) return names[(wall.getUTCDay() + 6) % 7] === weekday;
    return !!date && wall.toISOString().slice(0, 10) === date;
  });
  return fits.length === 1 ? fits[0]!.id : null;
}

function ordinalSuffix(d: number): string {
  if (d % 100 >= 11 && d % 100 <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][d % 10] ?? 'th';
}

function understoodPrefix(parts: string[]): string {
  return parts.length ? `I understood ${parts.join(', ')}. ` : '';
}

/** What was recognised in a message that had no task in it, for the refusal. */
function understood(fields: ParsedFields | undefined, ctx: ExecutionContext): string[] {
  if (!fields) return [];
  const out: string[] = [];
  if (fields.due) out.push(`a date (${formatDate(fields.due.iso, ctx.clock)})`);
  if (fields.recurrence) out.push('a repeat rule');
  if (fields.priority) out.push(`${fields.priority} priority`);
  if (fields.tags?.length) out.push(fields.tags.map((t) => `#${t}`).join(' '));
  if (fields.reminderOffset !== undefined) out.push('a reminder');
  return out;
}
