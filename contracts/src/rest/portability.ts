import Joi from 'joi';
import { chatMessageSchema, type ChatMessage } from './chat.js';
import {
  notificationPreferencesSchema,
  notificationSchema,
  type Notification,
  type NotificationPreferences,
} from './notifications.js';
import { recurrencePatternSchema, type RecurrencePattern } from './recurrence.js';
import { TASK_PRIORITIES, taskSchema, type Task, type TaskPriority } from './tasks.js';

/**
 * Taking one's data out (export) and bringing tasks in from elsewhere (import). The export is
 * a documented, versioned JSON document: `format` says what it is, `version` changes only
 * when a field changes meaning or goes away (new fields may appear within a version).
 */

export const EXPORT_FORMAT = 'todo-chatbot.export';
export const EXPORT_VERSION = 1;

export const EXPORT_FORMATS = ['json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * The columns of the tasks CSV, in order (one row per task, tags joined by spaces, `list` the
 * name of the task's list).
 */
export const TASKS_CSV_COLUMNS = [
  'id',
  'title',
  'list',
  'description',
  'status',
  'priority',
  'tags',
  'dueDate',
  'reminderOffset',
  'recurrence',
  'completedAt',
  'createdAt',
  'updatedAt',
] as const;

/** One conversation with the chat assistant, every message oldest first. */
export interface ExportedConversation {
  id: string;
  title: string | null;
  createdAt: string;
  updatedAt: string;
  messages: ChatMessage[];
}

/** Everything of a user's the app keeps, but secrets (tokens, sessions, password). */
export interface UserExport {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: string;
  user: { id: string };
  preferences: NotificationPreferences;
  /** Open and completed tasks (deleted ones are gone), with their series and reminders. */
  tasks: Task[];
  conversations: ExportedConversation[];
  /** The inbox, newest first. */
  notifications: Notification[];
}

export const exportQuerySchema = Joi.object<{ format: ExportFormat }>({
  format: Joi.string()
    .valid(...EXPORT_FORMATS)
    .default('json')
    .description('"json": everything (UserExport); "csv": the tasks as a spreadsheet.'),
});

const dateTime = Joi.string().isoDate();

export const exportedConversationSchema = Joi.object<ExportedConversation>({
  id: Joi.string().guid(),
  title: Joi.string().allow(null),
  createdAt: dateTime,
  updatedAt: dateTime,
  messages: Joi.array().items(chatMessageSchema),
})
  .prefs({ presence: 'required' })
  .id('ExportedConversation')
  .description('A conversation with the assistant, messages oldest first.');

export const userExportSchema = Joi.object<UserExport>({
  format: Joi.string().valid(EXPORT_FORMAT).description('Always "todo-chatbot.export".'),
  version: Joi.number()
    .valid(EXPORT_VERSION)
    .description('Changes only when a field changes meaning or is removed.'),
  exportedAt: dateTime,
  user: Joi.object({ id: Joi.string() }),
  preferences: notificationPreferencesSchema,
  tasks: Joi.array().items(taskSchema),
  conversations: Joi.array().items(exportedConversationSchema),
  notifications: Joi.array().items(notificationSchema),
})
  .prefs({ presence: 'required' })
  .id('UserExport')
  .description(
    'All of a user’s data: preferences, tasks (with series and reminders), conversations and the inbox. Versioned: see format and version.',
  );

/** Where an imported file comes from. */
export const IMPORT_SOURCES = ['todoist', 'ics'] as const;
export type ImportSource = (typeof IMPORT_SOURCES)[number];

/** An import file may be at most this large (bytes). */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

export interface ImportQuery {
  source: ImportSource;
  dryRun: boolean;
  /** The list the tasks go into (as the tasks CSV's `list` column names it); else the Inbox. */
  listId?: string;
}

export const importQuerySchema = Joi.object<ImportQuery>({
  source: Joi.string()
    .valid(...IMPORT_SOURCES)
    .required()
    .description('"todoist": a Todoist CSV export; "ics": an iCalendar file of VTODOs.'),
  dryRun: Joi.boolean()
    .default(false)
    .description('true: only say what would be created and skipped; nothing changes.'),
  listId: Joi.string()
    .guid()
    .description('The list to put every task in (GET /api/v1/lists); omitted = the Inbox.'),
});

/** A task an import creates (or would create, in a dry run). */
export interface ImportedTask {
  /** The row (CSV, 1 = the header) or the VTODO's place in the file (1 = the first). */
  row: number;
  title: string;
  description: string | null;
  priority: TaskPriority;
  tags: string[];
  dueDate: string | null;
  recurrence: RecurrencePattern | null;
  reminderOffset: number | null;
  /** The created task's id; null in a dry run. */
  id: string | null;
}

/** A row or entry the import leaves out, and why. */
export interface SkippedRow {
  row: number;
  reason: string;
}

export interface ImportReport {
  source: ImportSource;
  dryRun: boolean;
  created: ImportedTask[];
  skipped: SkippedRow[];
}

export const importedTaskSchema = Joi.object<ImportedTask>({
  row: Joi.number().integer().min(1),
  title: Joi.string(),
  description: Joi.string().allow(null),
  priority: Joi.string().valid(...TASK_PRIORITIES),
  tags: Joi.array().items(Joi.string()),
  dueDate: dateTime.allow(null),
  // An alternative rather than `allow(null)`, which would make the shared component nullable.
  recurrence: Joi.alternatives(recurrencePatternSchema, Joi.valid(null)),
  reminderOffset: Joi.number().integer().allow(null),
  id: Joi.string().guid().allow(null).description('null in a dry run.'),
})
  .prefs({ presence: 'required' })
  .id('ImportedTask')
  .description('A task the import creates (or, in a dry run, would create).');

export const skippedRowSchema = Joi.object<SkippedRow>({
  row: Joi.number().integer().min(1),
  reason: Joi.string(),
})
  .prefs({ presence: 'required' })
  .id('SkippedRow')
  .description('A row the import leaves out, and why.');

export const importReportSchema = Joi.object<ImportReport>({
  source: Joi.string().valid(...IMPORT_SOURCES),
  dryRun: Joi.boolean(),
  created: Joi.array().items(importedTaskSchema),
  skipped: Joi.array().items(skippedRowSchema),
})
  .prefs({ presence: 'required' })
  .id('ImportReport')
  .description('What an import created (or would create) and every row it skipped, with why.');
