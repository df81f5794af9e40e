import type {
  NotificationChannel,
  NotificationPreferences,
  RecurrenceInput,
  TaskPriority,
} from '@todo/contracts';
import type { ActivityVerb, ListFilter, ListIntent } from '@todo/language';

export type { ListFilter };

/** How a command points at a task. */
export type TaskRef =
  | { kind: 'title'; text: string }
  /** 1-based position in the last list shown; -1 = the last one. */
  | { kind: 'position'; index: number }
  /** "it", "that", or nothing at all: the conversation's current task. */
  | { kind: 'pronoun' }
  /** Resolved already (an answer to "which one?", or a tool call's id). */
  | { kind: 'id'; id: string };

/** A series as the chat sends it: ISO strings; an end only when the user named one. */
export type ChatRecurrence = Omit<RecurrenceInput, 'endDate'> & { endDate?: string };

/** Task fields a command can set; dates are ISO strings so commands serialise plainly. */
export interface TaskFields {
  title?: string;
  description?: string | null;
  dueDate?: string | null;
  priority?: TaskPriority;
  tags?: string[];
  recurrence?: ChatRecurrence;
  reminderOffset?: number | null;
  reminderChannels?: NotificationChannel[];
  /** The list it goes in, by the name the user said: resolved among their own lists. */
  list?: string;
}

/**
 * One operation the executor carries out through the api's services. The built-in parser's
 * intents and the LLM's tool calls both become commands, so there is one write path.
 */
export type Command =
  | { type: 'help' }
  | { type: 'add'; fields: TaskFields & { title: string } }
  | { type: 'list'; filter: ListFilter }
  | { type: 'complete'; ref: TaskRef }
  | { type: 'reopen'; ref: TaskRef }
  | { type: 'delete'; ref: TaskRef }
  /** Several tasks: only ever run after the user said yes to the question. */
  | { type: 'delete-many'; filter: ListFilter }
  | { type: 'update'; ref: TaskRef; fields: TaskFields }
  | { type: 'tag'; ref: TaskRef; add: string[]; remove: string[] }
  /**
   * A new due date. `keep: 'day'` keeps the task's day ("make it 5pm"); `keep: 'time'`
   * keeps its time of day ("move it to friday"); `shiftMinutes` postpones.
   */
  | {
      type: 'reschedule';
      ref: TaskRef;
      dueDate?: string;
      keep?: 'day' | 'time';
      shiftMinutes?: number;
    }
  /**
   * `dueDate`: the day or time said with the rule, where the series starts. `firstDue`: the
   * rule's first occurrence, used only for a task that has no due date yet.
   */
  | {
      type: 'set-recurrence';
      ref: TaskRef;
      recurrence: ChatRecurrence;
      dueDate?: string;
      firstDue?: string;
    }
  | { type: 'remove-recurrence'; ref: TaskRef }
  /** `atTime`: "remind me at 8am that day", HH:MM on the due day. */
  | {
      type: 'set-reminder';
      ref: TaskRef;
      offsetMinutes?: number;
      atTime?: string;
      channels?: NotificationChannel[];
    }
  | { type: 'disable-reminder'; ref: TaskRef }
  | { type: 'set-preferences'; preferences: Partial<NotificationPreferences> }
  | ListCommand
  | { type: 'move-to-list'; ref: TaskRef; list: string }
  /** Assignment to a member of the task's list (ADR 332). */
  | { type: 'assign'; ref: TaskRef; assignee: string }
  /** Reads a list's activity log (ADR 375): what changed in a list, or who did what to a task. */
  | { type: 'list-activity'; list: string }
  | { type: 'task-activity'; ref: TaskRef; did?: ActivityVerb };

/**
 * Lists (ADR 330, 332), naming no task: the parser's list intents, carried out as they are
 * read. Names as the user said them, resolved among the user's own lists; `delete-list` only
 * asks, the list goes after the user says yes (`confirm-delete-list`); `share-list` invites
 * by address.
 */
export type ListCommand = ListIntent;

export type CommandType = Command['type'];
