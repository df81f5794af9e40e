import { parse, CsvError } from 'csv-parse/sync';
import {
  DESCRIPTION_MAX,
  timeZone as timeZoneSchema,
  truncateCodePoints,
  type TaskPriority,
} from '@todo/contracts';
import { parseQuickAdd } from '@todo/language';
import { UnprocessableError } from '../errors.js';
import { asTag, checkTask, decodeText, isSkip, type ImportPlan, type PlannedTask } from './plan.js';

/**
 * Todoist's CSV export (and its import template): a header row naming the columns, then one
 * row per task, section or note, in the project's order:
 *
 *   TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE,DURATION,DURATION_UNIT
 *
 * PRIORITY is the app's p1..p4: 1 is the HIGHEST (the REST API of Todoist numbers the other
 * way round). DATE is what the user typed ("every monday", "tomorrow 9am"), read here by the
 * same parser as the chat. A section names the tasks under it (a tag here); a note is a
 * comment on the task before it (appended to its description). See ADR 291.
 */

const REQUIRED = ['TYPE', 'CONTENT'] as const;

/** p1 and p2 are high; p3 and p4 (Todoist's "no priority", its default) are the default. */
const PRIORITIES: Record<string, TaskPriority> = {
  '1': 'high',
  '2': 'high',
  '3': 'medium',
  '4': 'medium',
};

/** Todoist writes labels into the content: "Buy milk @errands". */
const LABEL = /(^|\s)@([\p{L}\p{N}_-]+)/gu;

function records(text: string): string[][] {
  try {
    return parse(text, {
      relax_column_count: true,
      skip_empty_lines: false,
      trim: false,
    }) as string[][];
  } catch (error) {
    if (error instanceof CsvError)
      throw new UnprocessableError(
        `the file is not a readable CSV file: ${error.message.replace(/^Invalid [^:]+:\s*/, '')}`,
        'file',
      );
    throw error;
  }
}

export function planTodoistCsv(body: Buffer, context: { timeZone: string; now: Date }): ImportPlan {
  const rows = records(decodeText(body, 'a Todoist CSV export'));
  const header = (rows[0] ?? []).map((name) => name.trim().toUpperCase());
  const missing = REQUIRED.filter((name) => !header.includes(name));
  if (rows.length === 0 || missing.length > 0)
    throw new UnprocessableError(
      `the file is not a Todoist CSV export: its first row must name the columns TYPE, CONTENT, DESCRIPTION, PRIORITY, DATE … (missing ${missing.join(', ') || 'TYPE, CONTENT'})`,
      'file',
    );
  const column = (record: string[], name: string): string => {
    const at = header.indexOf(name);
    return at < 0 ? '' : (record[at] ?? '').trim();
  };

  const plan: ImportPlan = { tasks: [], skipped: [] };
  let section: string | null = null;
  /** The last task row, planned or skipped, that a following note belongs to. */
  let last: { row: number; planned: PlannedTask | null } | null = null;

  rows.slice(1).forEach((record, index) => {
    const row = index + 2; // 1 is the header, as a spreadsheet numbers rows
    if (record.every((cell) => cell.trim() === '')) return; // Todoist's blank separator rows
    const type = column(record, 'TYPE').toLowerCase();
    const content = column(record, 'CONTENT');
    // The project's view settings ("view_style=list"), not a task.
    if (type === 'meta') return;
    if (type === 'section') {
      section = content || null;
      return;
    }
    if (type === 'note') {
      if (!last) {
        plan.skipped.push({ row, reason: 'a note with no task before it' });
      } else if (!last.planned) {
        plan.skipped.push({
          row,
          reason: `a note on the task in row ${last.row}, which is skipped`,
        });
      } else if (content) {
        const input = last.planned.input;
        const joined = input.description ? `${input.description}\n\n${content}` : content;
        input.description = truncateCodePoints(joined, DESCRIPTION_MAX);
      }
      return;
    }
    if (type !== 'task') {
      plan.skipped.push({
        row,
        reason: `TYPE "${type || '(empty)'}" is not task, section or note`,
      });
      last = null;
      return;
    }

    const result = taskRow(row, record, column, section, context);
    if (isSkip(result)) {
      plan.skipped.push(result);
      last = { row, planned: null };
    } else {
      plan.tasks.push(result);
      last = { row, planned: result };
    }
  });
  return plan;
}

function taskRow(
  row: number,
  record: string[],
  column: (record: string[], name: string) => string,
  section: string | null,
  context: { timeZone: string; now: Date },
) {
  const labels: string[] = [];
  const title = column(record, 'CONTENT')
    .replace(LABEL, (_match, space: string, label: string) => {
      labels.push(asTag(label));
      return space;
    })
    .replace(/\s+/g, ' ')
    .trim();
  if (!title) return { row, reason: 'CONTENT (the task’s title) is empty' };

  const rawPriority = column(record, 'PRIORITY');
  const priority = rawPriority ? PRIORITIES[rawPriority] : 'medium';
  if (!priority)
    return {
      row,
      reason: `PRIORITY "${rawPriority}" is not 1 (p1, highest), 2, 3 or 4 (p4, lowest)`,
    };

  let timeZone = context.timeZone;
  const zone = column(record, 'TIMEZONE');
  if (zone) {
    if (timeZoneSchema.validate(zone).error)
      return { row, reason: `TIMEZONE "${zone}" is not a time zone such as Europe/Berlin` };
    timeZone = zone;
  }

  const fields: Record<string, unknown> = {};
  const date = column(record, 'DATE');
  if (date) {
    const parsed = parseQuickAdd(date, { now: context.now, timeZone });
    const understood = parsed.fields.dueDate ?? parsed.fields.recurrence;
    if (!understood || parsed.title.trim() !== '') {
      const lang = column(record, 'DATE_LANG').toLowerCase();
      const hint = lang && lang !== 'en' ? ` (DATE_LANG ${lang}: only English dates are read)` : '';
      return { row, reason: `DATE "${date}" was not understood${hint}` };
    }
    if (parsed.fields.dueDate) fields.dueDate = parsed.fields.dueDate;
    if (parsed.fields.recurrence) fields.recurrence = parsed.fields.recurrence;
  }

  const tags = [...new Set([...(section ? [asTag(section)] : []), ...labels])];
  const description = column(record, 'DESCRIPTION').replace(/\r\n?/g, '\n');
  return checkTask(row, {
    title,
    ...(description ? { description } : {}),
    priority,
    tags,
    ...fields,
  });
}
