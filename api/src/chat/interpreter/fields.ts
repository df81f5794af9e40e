import type { NotificationChannel, TaskPriority } from '@todo/contracts';
import { findDate, onDayAtTime } from './dates.js';
import { DURATION_PATTERN, durationMinutes } from './durations.js';
import type { TaskFields } from './intent.js';
import { findRecurrence, firstOccurrenceDate } from './recurrence-phrases.js';
import { clean, cut } from './text.js';

export interface ParseContext {
  now: Date;
  timeZone: string;
}

const CHANNELS =
  /\b(?:by|via|over|through)\s+(email|e-mail|push|notification)(?:\s+(?:and|&|or)\s+(email|e-mail|push))?(?:\s+only)?\b|\b(email|push)\s+only\b|\bonly\s+(?:by\s+|via\s+)?(email|push)\b/i;

/** "by email", "push only", "by email and push" → channels, and where the phrase stood. */
export function findChannels(
  text: string,
): { channels: NotificationChannel[]; start: number; end: number } | null {
  const m = CHANNELS.exec(text);
  if (!m || m.index === undefined) return null;
  const words = [m[1], m[2], m[3], m[4]].filter(Boolean).map((w) => w!.toLowerCase());
  const channels = [
    ...new Set(words.map((w) => (w === 'push' || w === 'notification' ? 'push' : 'email'))),
  ] as NotificationChannel[];
  return { channels: channels.sort(), start: m.index, end: m.index + m[0].length };
}

const REMINDER = new RegExp(
  `\\b(?:and\\s+|,\\s*)?(?:remind\\s+me|with\\s+a\\s+reminder|reminder)\\s+${DURATION_PATTERN}\\s+(?:before|earlier|ahead|in advance|prior)\\b` +
    `|\\b(?:and\\s+|,\\s*)?with\\s+an?\\s+${DURATION_PATTERN.replace(/\((?!\?)/g, '(?:')}\\s+reminder\\b`,
  'i',
);

/** "remind me an hour before" / "with a 30 minute reminder" → minutes before the due time. */
export function findReminderOffset(
  text: string,
): { minutes: number; start: number; end: number } | null {
  const m = REMINDER.exec(text);
  if (!m || m.index === undefined) return null;
  let minutes = durationMinutes(m, 1);
  if (minutes === null) {
    const inner = new RegExp(DURATION_PATTERN, 'i').exec(m[0]);
    minutes = inner ? durationMinutes(inner, 1) : null;
  }
  return minutes === null ? null : { minutes, start: m.index, end: m.index + m[0].length };
}

const PRIORITY =
  /\b(?:with\s+|at\s+|as\s+)?(high|low|medium|normal|top)\s*-?\s*priority\b|\bpriority\s*[:=]?\s*(high|low|medium|normal)\b|\b(urgent(?:ly)?|important|asap)\b|(!{2,3})\s*$/i;

export function findPriority(
  text: string,
): { priority: TaskPriority; start: number; end: number } | null {
  const m = PRIORITY.exec(text);
  if (!m || m.index === undefined) return null;
  const word = (m[1] ?? m[2] ?? (m[3] || m[4] ? 'high' : 'medium')).toLowerCase();
  const priority: TaskPriority =
    word === 'top' || word === 'high'
      ? 'high'
      : word === 'low'
        ? 'low'
        : word === 'normal'
          ? 'medium'
          : (word as TaskPriority);
  return { priority, start: m.index, end: m.index + m[0].length };
}

const TAG_WORD = '[a-z0-9][\\w-]*';
const TAGGED = new RegExp(
  `\\b(?:tagged(?:\\s+(?:with|as))?|with\\s+(?:the\\s+)?tags?|tags?:)\\s+(#?${TAG_WORD}(?:\\s*(?:,|and|&)\\s*#?${TAG_WORD})*)`,
  'i',
);

/** `#work`, "tagged work and home", "with tags a, b" → lowercase tags, and the text without them. */
export function extractTags(text: string): { tags: string[]; rest: string } {
  const tags: string[] = [];
  let rest = text;
  const tagged = TAGGED.exec(rest);
  if (tagged?.index !== undefined) {
    for (const tag of tagged[1]!.split(/\s*(?:,|\band\b|&)\s*/))
      if (tag.trim()) tags.push(tag.replace(/^#/, '').trim().toLowerCase());
    rest = cut(rest, tagged.index, tagged.index + tagged[0].length);
  }
  rest = rest.replace(/(^|\s)#([a-z0-9][\w-]*)/gi, (_all, space: string, tag: string) => {
    tags.push(tag.toLowerCase());
    return space;
  });
  return { tags: [...new Set(tags)], rest };
}

const DESCRIPTION =
  /\b(?:with\s+(?:the\s+)?(?:description|notes?|details?)|description:|notes?:|details?:)\s*(.+)$/i;

/** Words left around a date phrase that belong to it ("by friday", "due at 5pm", "on the 3rd"). */
const DATE_CONNECTOR_BEFORE = /\s*\b(?:by|on|at|due|for|before|from|starting|this|next)?\s*$/i;

export interface ExtractedFields extends TaskFields {
  /** What is left once every recognised phrase is cut out: the title. */
  rest: string;
  timeOnly?: boolean;
}

/**
 * Reads every task attribute a sentence can carry — recurrence, reminder, channels,
 * priority, tags, description, due date — cutting each phrase out; what remains is the title.
 */
export function extractFields(input: string, ctx: ParseContext): ExtractedFields {
  const fields: ExtractedFields = { rest: input };
  let text = input;

  const description = DESCRIPTION.exec(text);
  if (description?.index !== undefined) {
    fields.description = clean(description[1]!);
    text = text.slice(0, description.index);
  }
  const recurrence = findRecurrence(text, ctx.now, ctx.timeZone);
  if (recurrence) {
    fields.recurrence = recurrence.recurrence;
    if (recurrence.firstDue) fields.dueDate = recurrence.firstDue.toISOString();
    text = cut(text, recurrence.start, recurrence.end);
  }
  const reminder = findReminderOffset(text);
  if (reminder) {
    fields.reminderOffset = reminder.minutes;
    text = cut(text, reminder.start, reminder.end);
  }
  const channels = findChannels(text);
  if (channels) {
    fields.reminderChannels = channels.channels;
    text = cut(text, channels.start, channels.end);
  }
  const priority = findPriority(text);
  if (priority) {
    fields.priority = priority.priority;
    text = cut(text, priority.start, priority.end);
  }
  const tags = extractTags(text);
  if (tags.tags.length) fields.tags = tags.tags;
  text = tags.rest;

  const date = findDate(text, ctx.now, ctx.timeZone);
  if (date) {
    const before = DATE_CONNECTOR_BEFORE.exec(text.slice(0, date.index));
    const start = before ? date.index - before[0].length : date.index;
    let due = date.date;
    // "every Friday at 5pm": the time belongs to the series' first day.
    if (date.timeOnly && fields.recurrence) {
      const first = fields.dueDate
        ? new Date(fields.dueDate)
        : firstOccurrenceDate(fields.recurrence, ctx.now, ctx.timeZone);
      if (first) due = onDayAtTime(first, date.date, ctx.timeZone);
    }
    fields.dueDate = due.toISOString();
    fields.timeOnly = date.timeOnly;
    text = cut(text, start, date.index + date.text.length);
  } else if (fields.recurrence && !fields.dueDate) {
    const first = firstOccurrenceDate(fields.recurrence, ctx.now, ctx.timeZone);
    if (first) fields.dueDate = first.toISOString();
  }
  fields.rest = clean(text.replace(/\s+(?:and|,)\s*$/i, '').replace(/\s+,/g, ','));
  return fields;
}
