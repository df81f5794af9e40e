import ICAL from 'ical.js';
import {
  fromWallTime,
  REMINDER_OFFSET_MAX,
  timeZone as timeZoneSchema,
  type TaskPriority,
} from '@todo/contracts';
import { UnprocessableError } from '../errors.js';
import { asTag, checkTask, decodeText, isSkip, type ImportPlan } from './plan.js';

/**
 * An iCalendar file's to-dos (VTODO), as calendar and task apps export them: SUMMARY is the
 * title, DESCRIPTION the notes, DUE (or DTSTART) the due time, PRIORITY 1-9, CATEGORIES the
 * tags, RRULE the series and the first VALARM before the due time the reminder. Done or
 * cancelled to-dos and events (VEVENT) are listed as skipped. See ADR 291.
 */

/** RFC 5545: 1-4 high, 5 medium, 6-9 low; 0 or none undefined (the default). */
function priorityOf(value: unknown): TaskPriority {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 9) return 'medium';
  return n <= 4 ? 'high' : n === 5 ? 'medium' : 'low';
}

/** A DATE or DATE-TIME as an instant: UTC as is, a TZID or floating time in that zone. */
function instantOf(property: ICAL.Property, userZone: string): Date {
  const time = property.getFirstValue() as ICAL.Time;
  const tzid = property.getParameter('tzid');
  const named = typeof tzid === 'string' ? tzid.replace(/^\//, '') : undefined;
  if (!time.isDate && time.zone === ICAL.Timezone.utcTimezone) return time.toJSDate();
  // A TZID that is an IANA name converts without its VTIMEZONE; another (Outlook's
  // "W. Europe Standard Time") falls back to the user's zone.
  const zone = named && !timeZoneSchema.validate(named).error ? named : userZone;
  // A date without a time is due at 09:00, as "tomorrow" is in the chat.
  const wall = new Date(
    Date.UTC(
      time.year,
      time.month - 1,
      time.day,
      time.isDate ? 9 : time.hour,
      time.isDate ? 0 : time.minute,
      time.isDate ? 0 : time.second,
    ),
  );
  return fromWallTime(wall, zone);
}

/** Minutes before the due time of the first alarm set relative to it, or undefined. */
function reminderOf(todo: ICAL.Component): number | undefined {
  for (const alarm of todo.getAllSubcomponents('valarm')) {
    const trigger = alarm.getFirstProperty('trigger');
    const value = trigger?.getFirstValue();
    if (!(value instanceof ICAL.Duration)) continue;
    if (trigger?.getParameter('related') === 'END' && todo.hasProperty('dtstart')) continue;
    const seconds = value.toSeconds();
    if (seconds > 0) continue; // after the due time: not a reminder
    return Math.min(Math.round(-seconds / 60), REMINDER_OFFSET_MAX);
  }
  return undefined;
}

export function planIcsTodos(body: Buffer, context: { timeZone: string }): ImportPlan {
  const text = decodeText(body, 'an iCalendar (.ics) file');
  if (!/^\s*BEGIN:VCALENDAR/i.test(text))
    throw new UnprocessableError(
      'the file is not an iCalendar (.ics) file: it must begin with BEGIN:VCALENDAR',
      'file',
    );
  let calendar: ICAL.Component;
  try {
    calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  } catch (error) {
    throw new UnprocessableError(
      `the file is not a readable iCalendar file: ${(error as Error).message}`,
      'file',
    );
  }
  const todos = calendar.getAllSubcomponents('vtodo');
  const events = calendar.getAllSubcomponents('vevent');
  if (todos.length === 0 && events.length === 0)
    throw new UnprocessableError('the calendar has no to-dos (VTODO) to import', 'file');

  const plan: ImportPlan = { tasks: [], skipped: [] };
  todos.forEach((todo, index) => {
    const row = index + 1;
    const result = todoEntry(row, todo, context);
    if (isSkip(result)) plan.skipped.push(result);
    else plan.tasks.push(result);
  });
  events.forEach((event, index) => {
    const summary = String(event.getFirstPropertyValue('summary') ?? '').trim();
    plan.skipped.push({
      row: todos.length + index + 1,
      reason: `"${summary || 'an event'}" is an event (VEVENT): only to-dos (VTODO) are imported`,
    });
  });
  return plan;
}

function todoEntry(row: number, todo: ICAL.Component, context: { timeZone: string }) {
  const title = String(todo.getFirstPropertyValue('summary') ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!title) return { row, reason: 'the to-do has no SUMMARY (title)' };
  const status = String(todo.getFirstPropertyValue('status') ?? '').toUpperCase();
  if (status === 'COMPLETED' || todo.hasProperty('completed'))
    return { row, reason: `"${title}" is already completed` };
  if (status === 'CANCELLED') return { row, reason: `"${title}" was cancelled` };

  let dueDate: Date | undefined;
  try {
    const due = todo.getFirstProperty('due') ?? todo.getFirstProperty('dtstart');
    if (due) dueDate = instantOf(due, context.timeZone);
  } catch {
    return { row, reason: `"${title}": DUE is not a date` };
  }
  if (dueDate && Number.isNaN(dueDate.getTime()))
    return { row, reason: `"${title}": DUE is not a date` };

  const rule = todo.getFirstPropertyValue('rrule');
  let recurrence: Record<string, unknown> | undefined;
  if (rule) {
    if (!dueDate) return { row, reason: `"${title}" repeats (RRULE) but has no DUE date` };
    recurrence = { frequency: 'custom', rrule: String(rule) };
  }

  const tags = todo
    .getAllProperties('categories')
    .flatMap((p) => p.getValues().map((v) => asTag(String(v))))
    .filter((tag) => tag !== '');
  const description = String(todo.getFirstPropertyValue('description') ?? '').trim();
  const reminderOffset = dueDate ? reminderOf(todo) : undefined;

  const checked = checkTask(row, {
    title,
    ...(description ? { description } : {}),
    priority: priorityOf(todo.getFirstPropertyValue('priority')),
    tags: [...new Set(tags)],
    ...(dueDate ? { dueDate: dueDate.toISOString() } : {}),
    ...(recurrence ? { recurrence } : {}),
    ...(reminderOffset !== undefined ? { reminderOffset } : {}),
  });
  return isSkip(checked) ? { row, reason: `"${title}": ${checked.reason}` } : checked;
}
