import type { RecurrenceAnchor, RecurrenceFrequency, TaskPriority } from '@todo/contracts';

/** Where and when the words are read: "tomorrow" depends on both. */
export interface ParseContext {
  now: Date;
  /** IANA zone the dates are meant in, e.g. `Europe/Berlin`. */
  timeZone: string;
  /** `en-US` (default) reads 12/15 as 15 December; `en-GB` reads 15/12 as 15 December. */
  locale?: string;
}

export type EntityKind = 'date' | 'recurrence' | 'priority' | 'tag' | 'reminder';

/** A recognised part of the input, by its span in the text the user typed. */
export interface Entity {
  kind: EntityKind;
  start: number;
  end: number;
  text: string;
}

/** A due moment: the wall-clock parts the user said, and the instant they mean. */
export interface Due {
  /** The instant, ISO 8601 UTC. */
  iso: string;
  /** Wall-clock day in the context's zone, `YYYY-MM-DD`. */
  date: string;
  /** Wall-clock time `HH:MM` when the user said one; absent for "friday" (a default time was used). */
  time?: string;
  /** Only a time was said ("at 5pm"): an edit keeps the task's own day. */
  timeOnly?: boolean;
}

/** A repeat rule as the user said it: never an end they did not ask for. */
export interface RecurrenceSpec {
  frequency: RecurrenceFrequency;
  interval: number;
  /** 0 = Monday … 6 = Sunday. */
  byWeekday?: number[];
  /** 1–31, or -1 for the last day of the month. */
  byMonthday?: number;
  /** RFC 5545 body, for `custom` ("the second Tuesday of every month"). */
  rrule?: string;
  anchor?: RecurrenceAnchor;
  /** Only when the user named one ("until 31 dec", "for 6 weeks"): ISO instant of the end of that day. */
  endDate?: string;
  /** Only when the user named a count ("10 times"). */
  maxOccurrences?: number;
}

/** Task fields one message can set. `null` clears. */
export interface TaskFields {
  title?: string;
  description?: string | null;
  due?: Due | null;
  priority?: TaskPriority;
  tags?: string[];
  /** Minutes before the due time; null = no reminder. */
  reminderOffset?: number | null;
  /** "remind me at 8am that day": a wall time on the due day, when the due time is not known here. */
  reminderTime?: string;
  recurrence?: RecurrenceSpec | null;
  /**
   * The list the task goes in, by the name the user said ("to the groceries list"); the chat
   * resolves it among the user's own lists (ADR 330).
   */
  list?: string;
}

/** How a message points at a task. */
export type TaskRef =
  /** "it", "that", nothing at all: the task the conversation is about. */
  | { kind: 'focus' }
  | { kind: 'title'; text: string }
  /** 1-based position in the last list shown; -1 = the last one. */
  | { kind: 'position'; index: number };

/** Who a list is shared with and how (ADR 332): `with` is an address or a name as said. */
export type ListRole = 'viewer' | 'editor' | 'owner';

/** What a "who …" question about a task asks after. */
export type ActivityVerb = 'completed' | 'added' | 'deleted' | 'changed' | 'moved' | 'assigned';

export type DueFilter = 'today' | 'tomorrow' | 'week' | 'overdue' | 'next';

export interface ListFilter {
  status?: 'pending' | 'completed' | 'all';
  priority?: TaskPriority;
  tag?: string;
  q?: string;
  due?: DueFilter;
  /** Only the tasks of this list, by the name the user said. */
  list?: string;
}

export interface PreferencesPatch {
  quietHoursStart?: string | null;
  quietHoursEnd?: string | null;
  timezone?: string;
  emailEnabled?: boolean;
  pushEnabled?: boolean;
}

/**
 * What one message asks of a list, naming no task: lists are named as the user said them,
 * and the chat carries these out just as they are read (ADR 330, 332).
 */
export type ListIntent =
  /** "groceries: milk, bread": several tasks into one list. */
  | { type: 'add-many'; list: string; titles: string[] }
  /** "show my lists". */
  | { type: 'show-lists' }
  | { type: 'create-list'; name: string }
  | { type: 'rename-list'; list: string; name: string }
  | { type: 'archive-list'; list: string }
  /** Deletes the list and its tasks: only after the user confirms. */
  | { type: 'delete-list'; list: string }
  | { type: 'share-list'; list: string; with: string; role?: ListRole };

/** What one message asks for. */
export type Intent =
  | { type: 'add'; fields: TaskFields & { title: string } }
  | {
      type: 'update';
      ref: TaskRef;
      fields: TaskFields;
      tagsAdd?: string[];
      tagsRemove?: string[];
      /**
       * A new repeat rule's first occurrence when the words named no day or time ("make it
       * every monday"): for a task without a due date only; a dated task keeps its own.
       */
      firstDue?: Due;
    }
  /** A new day and/or time, or a shift ("push it back 2 days"). */
  | { type: 'reschedule'; ref: TaskRef; due?: Due; shiftMinutes?: number }
  | { type: 'complete'; ref: TaskRef }
  | { type: 'reopen'; ref: TaskRef }
  | { type: 'delete'; ref: TaskRef }
  /** Several tasks at once: only after the user confirms. */
  | { type: 'delete-many'; filter: ListFilter }
  | { type: 'list'; filter: ListFilter }
  | { type: 'help' }
  | { type: 'undo' }
  | { type: 'confirm' }
  | { type: 'deny' }
  /** "the second one": picks from the last list or the open question. */
  | { type: 'select'; index: number }
  /** "No, I meant …": the text replaces or redirects the last action. */
  | { type: 'correction'; text: string; fields: TaskFields }
  | { type: 'set-preferences'; preferences: PreferencesPatch }
  | ListIntent
  /** "move dentist to personal": the task keeps everything but its list. */
  | { type: 'move-to-list'; ref: TaskRef; list: string }
  /** "assign the report to Sam": `assignee` is an address, a name or "me", as said. */
  | { type: 'assign'; ref: TaskRef; assignee: string }
  /**
   * A question about a list's activity (ADR 375): "what changed on groceries" (`list`), or
   * "who completed the report" (`ref`, and what they did: `did`).
   */
  | { type: 'activity'; list?: string; ref?: TaskRef; did?: ActivityVerb }
  /**
   * Understood but incomplete: one short question; the answer completes `intent`. "twice a
   * week" asks which weekdays, "twice a month" which days of the month.
   */
  | { type: 'clarify'; question: 'which-days' | 'which-monthdays'; intent: Intent }
  /**
   * Not a task request. `fields` holds what was recognised, for the refusal's wording.
   * `too-frequent`: a repeat more often than daily ("every hour"), which a task cannot have;
   * `vague-edit`: "change it" without saying what; `no-focus`: "move it to friday" with no
   * task in the conversation for "it" to be.
   */
  | {
      type: 'unknown';
      reason: 'smalltalk' | 'nonsense' | 'no-title' | 'too-frequent' | 'vague-edit' | 'no-focus';
      fields?: TaskFields;
      /** Which kind of talk, when it is one the reply should answer in kind. */
      social?: 'thanks' | 'greeting' | 'farewell';
    };

export type IntentType = Intent['type'];

export interface ParseResult {
  intent: Intent;
  entities: Entity[];
}

/** What the parser needs to know about the conversation. */
export interface ConversationHints {
  /** A task is in focus (just created, changed or picked): bare edits apply to it. */
  hasFocus?: boolean;
  /** A question is open ("which days?", "which one?", "delete all?"). */
  pending?: boolean;
  /**
   * The names of the user's lists: a bare name is read as a list only when it is one of
   * them ("add report to work" with a Work list; "drive to work" stays a title).
   */
  lists?: string[];
}
