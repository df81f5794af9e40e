import {
  createInviteSchema,
  createListSchema,
  createTaskSchema,
  describeRecurrence,
  dueWindow,
  fromWallTime,
  recurrenceSchema,
  statusOf,
  toWallTime,
  updatePreferencesSchema,
  updateReminderSchema,
  updateListSchema,
  updateTaskSchema,
  type ChatAction,
  type ListActivity,
  type ListSummary,
  type ListTasksQuery,
  type NotificationPreferences,
  type Task,
  type WeekStart,
} from '@todo/contracts';
import { isListName } from '@todo/language';
import { DomainError } from '../errors.js';
import { allows } from '../list-policy.js';
import { validate } from '../validate.js';
import type { ConversationState, UndoStep } from '../../data-access/models/index.js';
import type { Services } from '../services.js';
import { updatePreferences } from '../preferences-service.js';
import type { Command, ListCommand, ListFilter, TaskRef } from './commands.js';
import {
  HELP_TEXT,
  describeTask,
  formatDate,
  numberedList,
  reminderText,
  type Clock,
} from './replies.js';
import { matchTask } from './task-matcher.js';

export interface ExecutionContext {
  userId: string;
  preferences: NotificationPreferences;
  now: Date;
  /** How replies write times (the saved zone; named when the device is elsewhere). */
  clock: Clock;
  /** First day of "this week" (the device's locale; Monday when it did not say). */
  weekStart?: WeekStart;
  state: ConversationState;
}

export interface Execution {
  reply: string;
  actions: ChatAction[];
  state: ConversationState;
}

type Done = (
  reply: string,
  actions: ChatAction[],
  state?: Partial<ConversationState>,
  undo?: UndoStep,
) => Execution;

type Resolution = { task: Task } | { ask: Task[]; query: string } | { missing: string };

/**
 * Carries out a command through the same services, validation and events as the REST API,
 * and says what it did in plain words. A reference it cannot pin down becomes a question;
 * nothing is changed on a guess. Every change leaves a way to take it back (`undo`).
 */
export class ChatExecutor {
  constructor(private readonly services: Services) {}

  async execute(command: Command, ctx: ExecutionContext): Promise<Execution> {
    try {
      return await this.run(command, ctx);
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

  private async run(command: Command, ctx: ExecutionContext): Promise<Execution> {
    const clock = ctx.clock;
    const done = (
      reply: string,
      actions: ChatAction[],
      state: Partial<ConversationState> = {},
      undo?: UndoStep,
    ): Execution => ({
      reply,
      actions,
      state: {
        ...ctx.state,
        pending: undefined,
        ...state,
        ...(actions[0] ? { lastAction: actions[0] } : {}),
        ...(undo ? { undo } : {}),
      },
    });

    switch (command.type) {
      case 'help':
        return done(HELP_TEXT, []);
      case 'add': {
        const { list: listName, ...fields } = command.fields;
        const list = listName ? await this.findList(listName, ctx.userId) : undefined;
        if (list === null) return this.offerList(listName!, command, ctx, done);
        const input = validate(
          createTaskSchema,
          { ...fields, ...(list ? { listId: list.id } : {}) },
          'body',
        );
        const task = await this.services.tasks.create(ctx.userId, input);
        const extras = task.dueDate && task.reminderEnabled ? `; ${reminderText(task)}` : '';
        const past =
          task.dueDate && !task.recurrence && new Date(task.dueDate) < ctx.now
            ? ' (that is already past)'
            : '';
        const where = list ? ` to ${quote(list.name)}` : '';
        return done(
          `Added ${describeTask(task, clock)}${where}${extras}${past}.`,
          [{ type: 'task.created', taskId: task.id, fields: { ...command.fields } }],
          { lastTaskId: task.id },
          { kind: 'created', taskIds: [task.id] },
        );
      }
      case 'list':
        return this.list(command.filter, ctx, done);
      case 'add-many':
      case 'show-lists':
      case 'create-list':
      case 'rename-list':
      case 'archive-list':
      case 'delete-list':
      case 'share-list':
        return this.listCommand(command, ctx, done);
      case 'list-activity': {
        const list = await this.findList(command.list, ctx.userId);
        if (!list) return done(await this.noSuchList(command.list, ctx.userId), []);
        const { items } = await this.services.lists.activity(ctx.userId, list.id, { limit: 10 });
        if (!items.length) return done(`Nothing has happened in ${quote(list.name)} lately.`, []);
        return done(
          `Lately in ${quote(list.name)}:\n${items
            .map((e) => `• ${activityLine(e, ctx.userId)}, ${formatDate(e.createdAt, clock)}`)
            .join('\n')}`,
          [],
        );
      }
      case 'delete-many':
        return done('I only delete several tasks after you say yes to the question.', []);
      case 'set-preferences': {
        const patch = validate(updatePreferencesSchema, command.preferences, 'body');
        const saved = await updatePreferences(ctx.userId, patch);
        return done(preferencesReply(patch, saved), [
          { type: 'preferences.updated', fields: { ...patch } },
        ]);
      }
      default:
        break;
    }

    const resolution = await this.resolve(
      command.ref,
      ctx,
      command.type === 'reopen' || (command.type === 'task-activity' && command.did === 'completed')
        ? 'completed'
        : 'pending',
    );
    if ('missing' in resolution) return done(resolution.missing, []);
    if ('ask' in resolution) {
      return {
        reply: `Which “${resolution.query}” do you mean?\n${numberedList(resolution.ask, clock)}\nSay “the first one”, “2”, or a fuller title.`,
        actions: [],
        state: {
          ...ctx.state,
          pending: {
            kind: 'which-task',
            command,
            candidateIds: resolution.ask.map((t) => t.id),
          },
          lastListIds: resolution.ask.map((t) => t.id),
        },
      };
    }
    const { task } = resolution;
    const focus = { lastTaskId: task.id };
    const changed: UndoStep = { kind: 'changed', before: task };
    const { tasks, recurrence, reminders } = this.services;

    switch (command.type) {
      case 'complete': {
        if (task.status === 'completed') return done(`“${task.title}” is already done.`, [], focus);
        const result = await tasks.complete(ctx.userId, task.id);
        const next = result.nextInstance?.scheduledFor
          ? ` The next one is due ${formatDate(result.nextInstance.scheduledFor, clock)}.`
          : '';
        return done(
          `Done: “${task.title}”.${next}`,
          [{ type: 'task.completed', taskId: task.id }],
          focus,
          { kind: 'completed', taskIds: [task.id] },
        );
      }
      case 'reopen': {
        if (task.status === 'pending') return done(`“${task.title}” is still open.`, [], focus);
        await tasks.update(ctx.userId, task.id, { status: 'pending' });
        return done(
          `Reopened “${task.title}”.`,
          [{ type: 'task.reopened', taskId: task.id }],
          focus,
          changed,
        );
      }
      case 'delete': {
        await tasks.remove(ctx.userId, task.id);
        const series = task.recurrence ? ' Its series ends too.' : '';
        return done(
          `Deleted “${task.title}”.${series} Say “undo” to bring it back.`,
          [{ type: 'task.deleted', taskId: task.id }],
          { lastTaskId: undefined },
          { kind: 'deleted', tasks: [task] },
        );
      }
      case 'update': {
        const input = validate(updateTaskSchema, command.fields, 'body');
        const updated = await tasks.update(ctx.userId, task.id, input);
        const renamed =
          command.fields.title && command.fields.title !== task.title
            ? `Renamed “${task.title}” to “${updated.title}”`
            : `Updated ${describeTask(updated, clock)}`;
        return done(
          `${renamed}.`,
          [{ type: 'task.updated', taskId: task.id, fields: { ...command.fields } }],
          focus,
          changed,
        );
      }
      case 'tag': {
        const next = [...new Set([...task.tags, ...command.add])].filter(
          (t) => !command.remove.includes(t),
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
          changed,
        );
      }
      case 'reschedule': {
        const due = this.newDueDate(command, task, ctx);
        let updated = await tasks.update(
          ctx.userId,
          task.id,
          validate(updateTaskSchema, { dueDate: due }, 'body'),
        );
        // A series moved to another day keeps that day from then on ("make it the 1st").
        const moved = task.recurrence && command.keep === 'time' ? task.recurrence : null;
        if (moved) {
          const wall = toWallTime(due, clock.timeZone);
          const { endDate, anchor, ...rule } = moved;
          if (rule.frequency === 'monthly' && rule.byMonthday) rule.byMonthday = wall.getUTCDate();
          if (rule.frequency === 'weekly' && rule.byWeekday?.length === 1)
            rule.byWeekday = [(wall.getUTCDay() + 6) % 7];
          updated = await recurrence.put(
            ctx.userId,
            task.id,
            validate(
              recurrenceSchema,
              { ...rule, anchor, ...(endDate ? { endDate } : {}) },
              'body',
            ),
          );
        }
        const series =
          moved && updated.recurrence
            ? `; it repeats ${describeRecurrence(updated.recurrence, clock.timeZone)}`
            : '';
        return done(
          `Moved “${task.title}” to ${formatDate(updated.dueDate!, clock)}${series}.`,
          [{ type: 'task.updated', taskId: task.id, fields: { dueDate: updated.dueDate } }],
          focus,
          changed,
        );
      }
      case 'set-recurrence': {
        const pattern = validate(recurrenceSchema, command.recurrence, 'body');
        // "Make it every Friday at 9": the series starts then. "Make it every Friday" on an
        // undated task: the first Friday is when it is due; a dated task keeps its date.
        const firstDue =
          command.dueDate ?? (!task.dueDate && command.firstDue ? command.firstDue : null);
        if (firstDue) await tasks.update(ctx.userId, task.id, { dueDate: new Date(firstDue) });
        const updated = await recurrence.put(ctx.userId, task.id, pattern);
        const first = firstDue
          ? ` The first one is due ${formatDate(firstDue, clock)}.`
          : updated.dueDate
            ? ''
            : ' It has no due date yet, so the next one counts from when you complete it.';
        return done(
          `“${task.title}” now repeats ${describeRecurrence(updated.recurrence, clock.timeZone)}.${first}`,
          [{ type: 'recurrence.set', taskId: task.id, fields: { ...updated.recurrence } }],
          focus,
          changed,
        );
      }
      case 'remove-recurrence': {
        if (!task.recurrence) return done(`“${task.title}” doesn't repeat.`, [], focus);
        await recurrence.remove(ctx.userId, task.id);
        return done(
          `“${task.title}” no longer repeats.`,
          [{ type: 'recurrence.removed', taskId: task.id }],
          focus,
          changed,
        );
      }
      case 'set-reminder': {
        let offset = command.offsetMinutes;
        if (command.atTime !== undefined && task.dueDate) {
          const [h, m] = command.atTime.split(':').map(Number) as [number, number];
          const due = toWallTime(new Date(task.dueDate), clock.timeZone);
          offset = Math.max(0, due.getUTCHours() * 60 + due.getUTCMinutes() - (h * 60 + m));
        }
        const patch = validate(
          updateReminderSchema,
          {
            enabled: true,
            ...(offset !== undefined ? { offsetMinutes: offset } : {}),
            ...(command.channels ? { channels: command.channels } : {}),
          },
          'body',
        );
        const { task: updated } = await reminders.update(ctx.userId, task.id, patch);
        const when = updated.reminderAt
          ? ` It will fire ${formatDate(updated.reminderAt, clock)}.`
          : updated.dueDate
            ? ''
            : ' Give it a due date so I know when.';
        return done(
          `I'll remind you about “${task.title}” — ${reminderText(updated).replace(/^reminder /, '')}.${when}`,
          [{ type: 'reminder.set', taskId: task.id, fields: { ...patch } }],
          focus,
          changed,
        );
      }
      case 'move-to-list': {
        const list = await this.findList(command.list, ctx.userId);
        if (!list)
          return this.offerList(
            command.list,
            { ...command, ref: { kind: 'id', id: task.id } },
            ctx,
            done,
          );
        if (list.id === task.listId)
          return done(`“${task.title}” is already in ${quote(list.name)}.`, [], focus);
        await tasks.update(
          ctx.userId,
          task.id,
          validate(updateTaskSchema, { listId: list.id }, 'body'),
        );
        return done(
          `Moved “${task.title}” to ${quote(list.name)}.`,
          [{ type: 'task.updated', taskId: task.id, listId: list.id, fields: { listId: list.id } }],
          focus,
          changed,
        );
      }
      case 'assign': {
        // Only a member of the task's list can be assigned (ADR 332): "me", an address or a name.
        const members = await this.services.sharing.members(ctx.userId, task.listId);
        const who = command.assignee.trim().toLowerCase();
        const fits =
          who === 'me'
            ? members.filter((m) => m.userId === ctx.userId)
            : members.filter(
                (m) =>
                  m.email.toLowerCase() === who ||
                  m.name.toLowerCase() === who ||
                  m.name.toLowerCase().split(/\s+/)[0] === who,
              );
        if (fits.length !== 1)
          return done(
            fits.length
              ? `Several people in this list are called ${command.assignee}: say their email address.`
              : `${command.assignee} is not a member of the list “${task.title}” is in, so I can’t assign it to them. Share the list with them first.`,
            [],
            focus,
          );
        const member = fits[0]!;
        await tasks.update(
          ctx.userId,
          task.id,
          validate(updateTaskSchema, { assigneeId: member.userId }, 'body'),
        );
        return done(
          `Assigned “${task.title}” to ${member.userId === ctx.userId ? 'you' : member.name}.`,
          [{ type: 'task.updated', taskId: task.id, fields: { assigneeId: member.userId } }],
          focus,
          changed,
        );
      }
      case 'task-activity': {
        // The task's own entries in its list's log, newest first (a few pages at most).
        const wanted = command.did ? ACTIVITY_OF[command.did] : null;
        let cursor: string | undefined;
        for (let page = 0; page < 5; page++) {
          const read = await this.services.lists.activity(ctx.userId, task.listId, {
            limit: 100,
            ...(cursor ? { cursor } : {}),
          });
          const entry = read.items.find(
            (e) => e.taskId === task.id && (!wanted || wanted.includes(e.action)),
          );
          if (entry)
            return done(
              `${capitalise(activityLine(entry, ctx.userId))}, ${formatDate(entry.createdAt, clock)}.`,
              [],
              focus,
            );
          if (!read.nextCursor) break;
          cursor = read.nextCursor;
        }
        return done(
          command.did
            ? `Nobody has ${command.did} “${task.title}” lately.`
            : `Nothing has happened to “${task.title}” lately.`,
          [],
          focus,
        );
      }
      case 'disable-reminder': {
        await reminders.update(ctx.userId, task.id, { enabled: false });
        return done(
          `No more reminders for “${task.title}”.`,
          [{ type: 'reminder.disabled', taskId: task.id }],
          focus,
          changed,
        );
      }
    }
  }

  /** The live tasks a "delete all …" means, for the confirmation question. */
  async matching(
    filter: ListFilter,
    ctx: ExecutionContext,
  ): Promise<{ tasks: Task[]; filter: ListFilter } | { missing: string }> {
    const list = filter.list ? await this.findList(filter.list, ctx.userId) : undefined;
    if (list === null) return { missing: await this.noSuchList(filter.list!, ctx.userId) };
    const page = await this.services.queries.list(ctx.userId, this.query(filter, ctx, 200, list));
    return { tasks: page.items, filter: list ? { ...filter, list: list.name } : filter };
  }

  /** The names of the user's lists, for the parser to tell "add report to work" from "drive to work". */
  async listNames(userId: string): Promise<string[]> {
    return (await this.readableLists(userId)).map((l) => l.name);
  }

  /** Deletes a list the user confirmed, with its tasks (ADR 270). */
  async deleteList(listId: string, ctx: ExecutionContext): Promise<Execution> {
    const state = { ...ctx.state, pending: undefined };
    try {
      const list = await this.services.lists.get(ctx.userId, listId);
      const count = await this.services.lists.remove(ctx.userId, listId);
      return {
        reply: `Deleted the list ${quote(list.name)}${count ? ` and its ${count === 1 ? 'task' : `${count} tasks`}` : ''}.`,
        actions: [
          { type: 'list.deleted', listId, fields: { name: list.name, deletedTasks: count } },
        ],
        state: { ...state, undo: undefined },
      };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return { reply: `I couldn't delete it: ${error.message}.`, actions: [], state };
    }
  }

  /** After "yes" to "make the list X?": makes it, then does what was asked. */
  async createListThen(name: string, command: Command, ctx: ExecutionContext): Promise<Execution> {
    const made = await this.execute({ type: 'create-list', name }, ctx);
    if (!made.actions.length) return made;
    const next = await this.execute(command, { ...ctx, state: made.state });
    return {
      reply: `${made.reply} ${next.reply}`,
      actions: [...made.actions, ...next.actions],
      state: next.state,
    };
  }

  /** The lists the policy lets the user read: their own and those shared with them. */
  private async readableLists(userId: string): Promise<ListSummary[]> {
    return (await this.services.lists.list(userId)).filter((l) => allows(l.role, 'read'));
  }

  /**
   * The user's list a name means: the same name in any case, else the one list it is a plural
   * or small typo of. Null when none (or several) fit: another user's list is never one.
   */
  private async findList(name: string, userId: string): Promise<ListSummary | null> {
    const lists = await this.readableLists(userId);
    const wanted = name.trim().toLowerCase();
    const exact = lists.filter((l) => l.name.toLowerCase() === wanted);
    const near = exact.length ? exact : lists.filter((l) => isListName(wanted, [l.name]));
    const open = near.filter((l) => !l.archivedAt);
    const fit = open.length ? open : near;
    return fit.length === 1 ? fit[0]! : null;
  }

  private async noSuchList(name: string, userId: string): Promise<string> {
    const names = (await this.readableLists(userId))
      .filter((l) => !l.archivedAt)
      .map((l) => quote(l.name));
    return `You have no list called ${quote(name)}. Your lists: ${names.join(', ')}.`;
  }

  /** A list that does not exist yet: offer to make it, and do what was asked once it is there. */
  private async offerList(
    name: string,
    command: Command,
    ctx: ExecutionContext,
    done: Done,
  ): Promise<Execution> {
    const what =
      command.type === 'add'
        ? ` and add “${command.fields.title}” to it`
        : command.type === 'add-many'
          ? ` and add ${command.titles.map((t) => `“${t}”`).join(', ')} to it`
          : command.type === 'move-to-list'
            ? ' and move the task there'
            : '';
    return done(
      `${await this.noSuchList(name, ctx.userId)} Shall I make ${quote(listName(name))}${what}? Say “yes” or “no”.`,
      [],
      { pending: { kind: 'create-list', name: listName(name), command } },
    );
  }

  private async listCommand(
    command: ListCommand,
    ctx: ExecutionContext,
    done: Done,
  ): Promise<Execution> {
    const { lists } = this.services;
    if (command.type === 'show-lists') {
      const all = (await this.readableLists(ctx.userId)).filter((l) => !l.archivedAt);
      return done(
        `Your lists:\n${all.map((l) => `• ${l.name} (${l.openTaskCount} open)`).join('\n')}`,
        [{ type: 'lists.listed', fields: { listIds: all.map((l) => l.id) } }],
      );
    }
    if (command.type === 'create-list') {
      const name = listName(command.name);
      const same = (await this.readableLists(ctx.userId)).find(
        (l) => l.name.toLowerCase() === name.toLowerCase(),
      );
      if (same) return done(`You already have a list called ${quote(same.name)}.`, []);
      const list = await lists.create(ctx.userId, validate(createListSchema, { name }, 'body'));
      return done(`Made the list ${quote(list.name)}.`, [
        { type: 'list.created', listId: list.id, fields: { name: list.name } },
      ]);
    }
    const list = await this.findList(command.list, ctx.userId);
    if (!list) {
      if (command.type === 'add-many') return this.offerList(command.list, command, ctx, done);
      return done(await this.noSuchList(command.list, ctx.userId), []);
    }
    switch (command.type) {
      case 'add-many': {
        const made: Task[] = [];
        for (const title of command.titles)
          made.push(
            await this.services.tasks.create(
              ctx.userId,
              validate(createTaskSchema, { title, listId: list.id }, 'body'),
            ),
          );
        return done(
          `Added ${made.map((t) => `“${t.title}”`).join(', ')} to ${quote(list.name)}.`,
          made.map((t) => ({ type: 'task.created' as const, taskId: t.id, listId: list.id })),
          { lastListIds: made.map((t) => t.id) },
          { kind: 'created', taskIds: made.map((t) => t.id) },
        );
      }
      case 'rename-list': {
        const updated = await lists.update(
          ctx.userId,
          list.id,
          validate(updateListSchema, { name: command.name }, 'body'),
        );
        return done(`Renamed the list ${quote(list.name)} to ${quote(updated.name)}.`, [
          { type: 'list.updated', listId: list.id, fields: { name: updated.name } },
        ]);
      }
      case 'archive-list': {
        if (list.archivedAt) return done(`${quote(list.name)} is already archived.`, []);
        await lists.update(ctx.userId, list.id, { archived: true });
        return done(
          `Archived the list ${quote(list.name)}; its tasks are kept. Unarchive it in the app.`,
          [{ type: 'list.updated', listId: list.id, fields: { archived: true } }],
        );
      }
      case 'delete-list': {
        if (list.isInbox) return done('The Inbox can’t be deleted: it is where new tasks go.', []);
        const count = list.openTaskCount;
        return done(
          `Delete the list ${quote(list.name)}${count ? ` and its ${count === 1 ? 'open task' : `${count} open tasks`}` : ''}? Say “yes” to delete or “no” to keep it.`,
          [],
          { pending: { kind: 'confirm-delete-list', listId: list.id } },
        );
      }
      case 'share-list': {
        // An invite needs an address (ADR 332); the role defaults to editor, as the reply says.
        if (!/@/.test(command.with))
          return done(
            `To share ${quote(list.name)} I need ${command.with}’s email address: say “share ${list.name.toLowerCase()} with name@example.com”.`,
            [],
          );
        const role = command.role ?? 'editor';
        const invite = await this.services.sharing.invite(
          ctx.userId,
          list.id,
          validate(createInviteSchema, { email: command.with, role }, 'body'),
        );
        return done(
          `Invited ${invite.email} to ${quote(list.name)} as ${role === 'viewer' ? 'a' : 'an'} ${role}${command.role ? '' : ' (say “as viewer” for read-only)'}. They join when they accept the invite sent to that address.`,
          [
            {
              type: 'list.shared',
              listId: list.id,
              fields: { email: invite.email, role, inviteId: invite.id },
            },
          ],
        );
      }
    }
  }

  /** Deletes tasks the user confirmed; they can still be brought back with "undo". */
  async deleteMany(ids: string[], ctx: ExecutionContext): Promise<Execution> {
    const deleted: Task[] = [];
    for (const id of ids) {
      try {
        const task = await this.services.tasks.get(ctx.userId, id);
        await this.services.tasks.remove(ctx.userId, id);
        deleted.push(task);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        // gone meanwhile: nothing to delete
      }
    }
    return {
      reply:
        deleted.length === 1
          ? `Deleted “${deleted[0]!.title}”. Say “undo” to bring it back.`
          : `Deleted ${deleted.length} tasks. Say “undo” to bring them back.`,
      actions: deleted.map((t) => ({ type: 'task.deleted' as const, taskId: t.id })),
      state: {
        ...ctx.state,
        pending: undefined,
        lastTaskId: undefined,
        undo: { kind: 'deleted', tasks: deleted },
      },
    };
  }

  /** Takes back the chat's last change. */
  async undo(ctx: ExecutionContext): Promise<Execution> {
    const step = ctx.state.undo;
    const clock = ctx.clock;
    const state = { ...ctx.state, undo: undefined, pending: undefined };
    if (!step) return { reply: 'There is nothing for me to undo.', actions: [], state };
    const { tasks, recurrence, reminders } = this.services;
    const actions: ChatAction[] = [];
    try {
      switch (step.kind) {
        case 'created': {
          const titles: string[] = [];
          for (const id of step.taskIds) {
            const task = await tasks.get(ctx.userId, id);
            await tasks.remove(ctx.userId, id);
            titles.push(`“${task.title}”`);
            actions.push({ type: 'task.deleted', taskId: id });
          }
          return { reply: `Undone: removed ${titles.join(', ')}.`, actions, state };
        }
        case 'completed': {
          // Reopening takes the completion back whole: a next instance it created, untouched
          // since, goes with it.
          const titles: string[] = [];
          for (const id of step.taskIds) {
            const { task } = await tasks.reopen(ctx.userId, id);
            titles.push(`“${task.title}”`);
            actions.push({ type: 'task.reopened', taskId: id });
          }
          return { reply: `Undone: ${titles.join(', ')} is open again.`, actions, state };
        }
        case 'deleted': {
          // The same tasks come back (same ids, their series and reminders), not copies.
          const ids: string[] = [];
          for (const old of step.tasks) {
            const task = await tasks.restore(ctx.userId, old.id);
            ids.push(task.id);
            actions.push({ type: 'task.created', taskId: task.id });
          }
          const what =
            step.tasks.length === 1 ? `“${step.tasks[0]!.title}”` : `${step.tasks.length} tasks`;
          return {
            reply: `Undone: ${what} ${step.tasks.length === 1 ? 'is' : 'are'} back.`,
            actions,
            state: { ...state, ...(ids.length === 1 ? { lastTaskId: ids[0] } : {}) },
          };
        }
        case 'changed': {
          const old = step.before;
          const now = await tasks.get(ctx.userId, old.id);
          await tasks.update(ctx.userId, old.id, {
            title: old.title,
            description: old.description,
            dueDate: old.dueDate ? new Date(old.dueDate) : null,
            priority: old.priority,
            tags: old.tags,
            status: old.status === 'completed' ? 'completed' : 'pending',
            ...(old.listId !== now.listId ? { listId: old.listId } : {}),
            ...(old.assigneeId !== now.assigneeId ? { assigneeId: old.assigneeId } : {}),
          });
          if (old.recurrence) await recurrence.put(ctx.userId, old.id, recurrenceInput(old));
          else if (now.recurrence) await recurrence.remove(ctx.userId, old.id);
          if (
            old.reminderEnabled !== now.reminderEnabled ||
            old.reminderOffset !== now.reminderOffset
          ) {
            await reminders.update(ctx.userId, old.id, {
              enabled: old.reminderEnabled,
              ...(old.reminderOffset !== null ? { offsetMinutes: old.reminderOffset } : {}),
            });
          }
          const restored = await tasks.get(ctx.userId, old.id);
          actions.push({ type: 'task.updated', taskId: old.id });
          return {
            reply: `Undone: ${describeTask(restored, clock)} — as it was before.`,
            actions,
            state: { ...state, lastTaskId: old.id },
          };
        }
      }
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return { reply: `I couldn't undo that: ${error.message}.`, actions, state };
    }
  }

  private newDueDate(
    command: Extract<Command, { type: 'reschedule' }>,
    task: Task,
    ctx: ExecutionContext,
  ): Date {
    const tz = ctx.clock.timeZone;
    if (command.shiftMinutes !== undefined) {
      const from = task.dueDate ? new Date(task.dueDate) : ctx.now;
      return new Date(from.getTime() + command.shiftMinutes * 60_000);
    }
    const wanted = new Date(command.dueDate!);
    if (!task.dueDate || !command.keep) return wanted;
    const day = toWallTime(command.keep === 'day' ? new Date(task.dueDate) : wanted, tz);
    const time = toWallTime(command.keep === 'time' ? new Date(task.dueDate) : wanted, tz);
    return fromWallTime(
      new Date(
        Date.UTC(
          day.getUTCFullYear(),
          day.getUTCMonth(),
          day.getUTCDate(),
          time.getUTCHours(),
          time.getUTCMinutes(),
        ),
      ),
      tz,
    );
  }

  private query(
    filter: ListFilter,
    ctx: ExecutionContext,
    limit: number,
    list?: ListSummary,
  ): ListTasksQuery {
    const tz = ctx.clock.timeZone;
    const query: ListTasksQuery = {
      sort: 'dueDate',
      limit,
      status: filter.status ?? 'pending',
    };
    if (list) query.listId = list.id;
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
      case 'week':
      case 'overdue': {
        // The list's own definition (contracts' dueWindow): "this week" is the calendar week.
        const window = dueWindow(filter.due, ctx.now, tz, ctx.weekStart);
        if (window.after) query.dueAfter = window.after;
        if (window.before) query.dueBefore = window.before;
        query.status = statusOf(query.status, filter.due) ?? 'pending';
        break;
      }
      case 'tomorrow':
        [query.dueAfter, query.dueBefore] = [new Date(day(1).getTime() - 1), day(2)];
        break;
      case 'next':
        query.dueAfter = new Date(ctx.now.getTime() - 1);
        query.status = 'pending';
        query.limit = Math.min(limit, 3);
        break;
    }
    return query;
  }

  private async list(filter: ListFilter, ctx: ExecutionContext, done: Done) {
    const list = filter.list ? await this.findList(filter.list, ctx.userId) : undefined;
    if (list === null) return done(await this.noSuchList(filter.list!, ctx.userId), []);
    const page = await this.services.queries.list(ctx.userId, this.query(filter, ctx, 20, list));
    const ids = page.items.map((t) => t.id);
    const what = describeFilter(list ? { ...filter, list: list.name } : filter);
    const reply = page.items.length
      ? `${page.items.length === 1 ? 'One task' : `${page.items.length} tasks`}${what}:\n${numberedList(page.items, ctx.clock)}${page.nextCursor && filter.due !== 'next' ? '\n(more in the app)' : ''}`
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
        return {
          missing: `I couldn't find a task called “${ref.text}”. Say “show my tasks” to see them.`,
        };
      }
    }
  }
}

/** A stored pattern as input again (for undo). */
function recurrenceInput(task: Task) {
  const { endDate, ...rest } = task.recurrence!;
  return validate(recurrenceSchema, { ...rest, ...(endDate ? { endDate } : {}) }, 'body');
}

export function describeFilter(filter: ListFilter): string {
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
    next: ' coming up next',
  } as const;
  if (filter.due) parts.push(due[filter.due]);
  if (filter.list) parts.push(` in ${quote(filter.list)}`);
  return parts.join('');
}

/** A list's name as replies write it. */
function quote(name: string): string {
  return `“${name}”`;
}

/** A new list's name: "holiday" becomes "Holiday"; a name typed with capitals is kept. */
function listName(said: string): string {
  const name = said.trim();
  return name === name.toLowerCase() ? name.charAt(0).toUpperCase() + name.slice(1) : name;
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

/** Which log entries answer "who <did> …". */
const ACTIVITY_OF: Record<
  NonNullable<Extract<Command, { type: 'task-activity' }>['did']>,
  string[]
> = {
  completed: ['task.completed'],
  added: ['task.created', 'task.moved_in'],
  deleted: ['task.deleted'],
  moved: ['task.moved_in', 'task.moved_out'],
  assigned: ['task.assigned'],
  changed: ['task.updated', 'task.assigned', 'task.reopened', 'task.restored', 'task.completed'],
};

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** One log entry in words: "Bob completed “Milk”", "you renamed the list to “Food”". */
function activityLine(entry: ListActivity, userId: string): string {
  const who = !entry.actor ? 'someone' : entry.actor.id === userId ? 'you' : entry.actor.name;
  const member = !entry.member ? 'nobody' : entry.member.id === userId ? 'you' : entry.member.name;
  const title = `“${entry.taskTitle ?? 'a task'}”`;
  const fields = entry.details.fields?.length ? ` (${entry.details.fields.join(', ')})` : '';
  switch (entry.action) {
    case 'task.created':
      return `${who} added ${title}`;
    case 'task.updated':
      return `${who} changed ${title}${fields}`;
    case 'task.completed':
      return `${who} completed ${title}`;
    case 'task.reopened':
      return `${who} reopened ${title}`;
    case 'task.deleted':
      return `${who} deleted ${title}`;
    case 'task.restored':
      return `${who} restored ${title}`;
    case 'task.moved_in':
      return `${who} moved ${title} here`;
    case 'task.moved_out':
      return `${who} moved ${title} to another list`;
    case 'task.assigned':
      return `${who} assigned ${title} to ${member}`;
    case 'member.joined':
      return `${member} joined`;
    case 'member.left':
      return `${member} left`;
    case 'member.removed':
      return `${who} removed ${member}`;
    case 'member.role_changed':
      return `${who} made ${member} ${entry.details.role ?? 'a member'}`;
    case 'invite.sent':
      return `${who} invited ${entry.details.email ?? 'someone'}`;
    case 'invite.revoked':
      return `${who} took back the invite to ${entry.details.email ?? 'someone'}`;
    case 'invite.resent':
      return `${who} sent the invite to ${entry.details.email ?? 'someone'} again`;
    case 'list.created':
      return `${who} made the list`;
    case 'list.renamed':
      return `${who} renamed the list to “${entry.details.name ?? ''}”`;
    case 'list.archived':
      return `${who} archived the list`;
    case 'list.unarchived':
      return `${who} brought the list back from the archive`;
    case 'list.transferred':
      return `${who} handed the list over to ${member}`;
  }
}
