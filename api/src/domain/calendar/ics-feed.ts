import ICAL from 'ical.js';
import rrulePackage from 'rrule';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import {
  recurrenceRuleOptions,
  toWallTime,
  type CalendarFeedFormat,
  type Task,
  type TaskPriority,
} from '@todo/contracts';

const { RRule } = rrulePackage;

/** RFC 5545 PRIORITY: 1 highest, 9 lowest. */
const PRIORITY: Record<TaskPriority, number> = { high: 1, medium: 5, low: 9 };
/** How long a task is shown as an event (a due date is an instant; calendars want a span). */
export const EVENT_MINUTES = 30;
const UID_DOMAIN = 'todo-chatbot';

export interface FeedOptions {
  timeZone: string;
  format: CalendarFeedFormat;
}

/**
 * `date` as a DATE-TIME in `timeZone`: wall-clock fields with a TZID parameter (the zone's
 * VTIMEZONE is in the calendar), or UTC (`Z`) when the user's zone is UTC.
 */
function setTime(component: ICAL.Component, name: string, iso: string, timeZone: string) {
  const property = new ICAL.Property(name);
  const date = new Date(iso);
  if (timeZone === 'UTC') {
    property.setValue(ICAL.Time.fromJSDate(date, true));
  } else {
    const wall = toWallTime(date, timeZone);
    property.setParameter('tzid', timeZone);
    property.setValue(
      ICAL.Time.fromData({
        year: wall.getUTCFullYear(),
        month: wall.getUTCMonth() + 1,
        day: wall.getUTCDate(),
        hour: wall.getUTCHours(),
        minute: wall.getUTCMinutes(),
        second: wall.getUTCSeconds(),
        isDate: false,
      }),
    );
  }
  component.addProperty(property);
}

const utc = (iso: string) => ICAL.Time.fromJSDate(new Date(iso), true);

/**
 * The RRULE of a pending instance of a series, from the instance on (so COUNT is what is
 * left of `maxOccurrences`), or null when a calendar cannot predict the next date: a series
 * repeated from completion time depends on when it is done.
 */
export function rruleOf(task: Task, timeZone: string): string | null {
  const pattern = task.recurrence;
  if (!pattern || !task.dueDate || task.status !== 'pending' || pattern.anchor !== 'due')
    return null;
  const options = recurrenceRuleOptions(pattern, toWallTime(new Date(task.dueDate), timeZone));
  if (pattern.maxOccurrences !== undefined)
    options.count = Math.max(1, pattern.maxOccurrences - (task.occurrenceIndex ?? 1) + 1);
  if (pattern.endDate !== undefined) options.until = new Date(pattern.endDate);
  // Through ical.js, as the feed writes it: FREQ first, no INTERVAL=1.
  return ICAL.Recur.fromString(RRule.optionsToString(options).replace(/^RRULE:/, '')).toString();
}

function item(task: Task, options: FeedOptions): ICAL.Component {
  const { timeZone, format } = options;
  const component = new ICAL.Component(format === 'event' ? 'vevent' : 'vtodo');
  component.addPropertyWithValue('uid', `${task.id}@${UID_DOMAIN}`);
  // The time the entry last changed, not "now": the same tasks give the same bytes (ETag).
  component.addPropertyWithValue('dtstamp', utc(task.updatedAt));
  component.addPropertyWithValue('created', utc(task.createdAt));
  component.addPropertyWithValue('last-modified', utc(task.updatedAt));
  component.addPropertyWithValue('sequence', task.version);
  component.addPropertyWithValue('summary', task.title);
  if (task.description) component.addPropertyWithValue('description', task.description);
  component.addPropertyWithValue('priority', PRIORITY[task.priority]);
  if (task.tags.length) {
    const categories = new ICAL.Property('categories');
    categories.setValues(task.tags);
    component.addProperty(categories);
  }
  const due = task.dueDate!;
  setTime(component, 'dtstart', due, timeZone);
  if (format === 'event') {
    component.addPropertyWithValue('duration', ICAL.Duration.fromSeconds(EVENT_MINUTES * 60));
    component.addPropertyWithValue('transp', 'TRANSPARENT');
  } else {
    setTime(component, 'due', due, timeZone);
    component.addPropertyWithValue(
      'status',
      task.status === 'completed' ? 'COMPLETED' : 'NEEDS-ACTION',
    );
    if (task.completedAt) component.addPropertyWithValue('completed', utc(task.completedAt));
  }
  const rrule = rruleOf(task, timeZone);
  if (rrule) component.addPropertyWithValue('rrule', ICAL.Recur.fromString(rrule));
  if (task.status === 'pending' && task.reminderEnabled && task.reminderOffset !== null) {
    const alarm = new ICAL.Component('valarm');
    alarm.addPropertyWithValue('action', 'DISPLAY');
    alarm.addPropertyWithValue('description', task.title);
    const trigger = new ICAL.Property('trigger');
    // Before the start: a VEVENT's DTSTART and a VTODO's DUE are the same instant here.
    trigger.setValue(ICAL.Duration.fromSeconds(-task.reminderOffset * 60));
    alarm.addProperty(trigger);
    component.addSubcomponent(alarm);
  }
  return component;
}

/**
 * The iCalendar text of `tasks` (each with a due date): VTODOs, or VEVENTs for calendars
 * that ignore to-dos; times in the user's zone, with its VTIMEZONE.
 */
export function buildCalendar(tasks: Task[], requested: FeedOptions): string {
  // A zone the VTIMEZONE library does not know is written in UTC: a TZID without its
  // VTIMEZONE would leave calendars guessing.
  const vtimezone = requested.timeZone === 'UTC' ? null : getVtimezoneComponent(requested.timeZone);
  const options = { ...requested, timeZone: vtimezone ? requested.timeZone : 'UTC' };
  const calendar = new ICAL.Component('vcalendar');
  calendar.addPropertyWithValue('version', '2.0');
  calendar.addPropertyWithValue('prodid', '-//Todo Chatbot//Calendar feed//EN');
  calendar.addPropertyWithValue('calscale', 'GREGORIAN');
  calendar.addPropertyWithValue('x-wr-calname', 'Todo Chatbot');
  calendar.addPropertyWithValue('x-wr-timezone', options.timeZone);
  // Polling hints (RFC 7986 and the de-facto Apple/Outlook one): every 15 minutes.
  // A DURATION value: ical.js writes its VALUE=DURATION parameter itself.
  calendar.addPropertyWithValue('refresh-interval', ICAL.Duration.fromSeconds(15 * 60));
  calendar.addPropertyWithValue('x-published-ttl', 'PT15M');
  if (vtimezone) calendar.addSubcomponent(new ICAL.Component(ICAL.parse(vtimezone)));
  for (const task of tasks) if (task.dueDate) calendar.addSubcomponent(item(task, options));
  return calendar.toString();
}
