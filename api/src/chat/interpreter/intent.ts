import type {
  NotificationChannel,
  NotificationPreferences,
  RecurrenceInput,
  TaskPriority,
} from '@todo/contracts';

/** How a message points at a task. */
export type TaskRef =
  | { kind: 'title'; text: string }
  /** 1-based position in the last list shown; -1 = the last one. */
  | { kind: 'position'; index: number }
  /** "it", "that", or nothing at all: the conversation's current task. */
  | { kind: 'pronoun' }
  /** Resolved already (an answer to "which one?"). */
  | { kind: 'id'; id: string };

/** Task fields a message can set; dates are ISO strings so intents compare and serialise plainly. */
export interface TaskFields {
  title?: string;
  description?: string | null;
  dueDate?: string | null;
  priority?: TaskPriority;
  tags?: string[];
  recurrence?: Omit<RecurrenceInput, 'endDate'> & { endDate?: string };
  reminderOffset?: number | null;
  reminderChannels?: NotificationChannel[];
}

export type DueFilter = 'today' | 'tomorrow' | 'overdue' | 'week';

export interface ListFilter {
  status?: 'pending' | 'completed' | 'all';
  priority?: TaskPriority;
  tag?: string;
  q?: string;
  due?: DueFilter;
}

/** What one message asks for: the interpreter's structured outcome. */
export type Intent =
  | { type: 'help' }
  | { type: 'add'; fields: TaskFields & { title: string } }
  | { type: 'list'; filter: ListFilter }
  | { type: 'complete'; ref: TaskRef }
  | { type: 'reopen'; ref: TaskRef }
  | { type: 'delete'; ref: TaskRef }
  | { type: 'update'; ref: TaskRef; fields: TaskFields }
  | { type: 'tag'; ref: TaskRef; add: string[]; remove: string[] }
  /** A new due date; `timeOnly` keeps the task's day ("make it 5pm"); `shiftMinutes` postpones. */
  | {
      type: 'reschedule';
      ref: TaskRef;
      dueDate?: string;
      timeOnly?: boolean;
      shiftMinutes?: number;
    }
  | { type: 'set-recurrence'; ref: TaskRef; recurrence: NonNullable<TaskFields['recurrence']> }
  | { type: 'remove-recurrence'; ref: TaskRef }
  | { type: 'set-reminder'; ref: TaskRef; offsetMinutes?: number; channels?: NotificationChannel[] }
  | { type: 'disable-reminder'; ref: TaskRef }
  | { type: 'set-preferences'; preferences: Partial<NotificationPreferences> }
  /** An answer to "which one?": a position or a title among the candidates. */
  | { type: 'select'; ref: TaskRef }
  | { type: 'unknown' };

export type IntentType = Intent['type'];
