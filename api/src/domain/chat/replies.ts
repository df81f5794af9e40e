import type { RecurrencePattern, Task } from '@todo/contracts';

const WEEKDAY_NAMES = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
];
const RRULE_DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const NTH = ['last', '', 'first', 'second', 'third', 'fourth', 'fifth'];

/**
 * How replies write times: in the user's saved zone, naming it ("18:00 Europe/Berlin time")
 * when the device the message came from is in another zone.
 */
export interface Clock {
  timeZone: string;
  nameZone: boolean;
  now: Date;
}

function ordinal(n: number): string {
  if (n === -1) return 'last day';
  const s = ['th', 'st', 'nd', 'rd'];
  const v = n % 100;
  return `${n}${s[(v - 20) % 10] ?? s[v] ?? s[0]}`;
}

const zoneNote = (clock: Clock) => (clock.nameZone ? ` ${clock.timeZone} time` : '');

function parts(iso: string, clock: Clock) {
  const date = new Date(iso);
  const year = (d: Date) =>
    new Intl.DateTimeFormat('en-GB', { timeZone: clock.timeZone, year: 'numeric' }).format(d);
  const day = new Intl.DateTimeFormat('en-GB', {
    timeZone: clock.timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(year(date) === year(clock.now) ? {} : { year: 'numeric' }),
  }).format(date);
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone: clock.timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
  return { day: day.replace(',', ''), time };
}

/** "Sun 6 Dec at 18:00" (the year only when it is not this year's). */
export function formatDate(iso: string, clock: Clock): string {
  const { day, time } = parts(iso, clock);
  return `${day} at ${time}${zoneNote(clock)}`;
}

function dayList(list: number[]): string {
  const names = list.map((d) => WEEKDAY_NAMES[d] ?? '?');
  return names.length > 1
    ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
    : (names[0] ?? '');
}

/** Plain English for a pattern: "every weekday", "every month on the last day, 10 times". */
export function describeRecurrence(pattern: RecurrencePattern, clock: Clock): string {
  const n = pattern.interval;
  const days = pattern.byWeekday ?? [];
  let text: string;
  switch (pattern.frequency) {
    case 'daily':
      text = n === 1 ? 'every day' : `every ${n} days`;
      break;
    case 'weekly':
      if (n === 1 && days.join() === '0,1,2,3,4') text = 'every weekday';
      else if (n === 1 && days.join() === '5,6') text = 'every weekend';
      else if (!days.length) text = n === 1 ? 'every week' : `every ${n} weeks`;
      else if (n === 2) text = `every other ${dayList(days)}`;
      else text = `${n === 1 ? 'every' : `every ${n} weeks on`} ${dayList(days)}`;
      break;
    case 'monthly':
      text = `${n === 1 ? 'every month' : `every ${n} months`}${pattern.byMonthday ? ` on the ${ordinal(pattern.byMonthday)}` : ''}`;
      break;
    case 'yearly':
      text = n === 1 ? 'every year' : `every ${n} years`;
      break;
    default: {
      const m = /BYDAY=([+-]?\d)(MO|TU|WE|TH|FR|SA|SU)/.exec(pattern.rrule ?? '');
      const nth = m ? Number(m[1]) : 0;
      text =
        m && /FREQ=MONTHLY/.test(pattern.rrule ?? '')
          ? `on the ${NTH[nth + 1] ?? nth} ${WEEKDAY_NAMES[RRULE_DAYS.indexOf(m[2]!)]} of every month`
          : `on a custom schedule (${pattern.rrule ?? ''})`;
    }
  }
  if (pattern.anchor === 'completion') text += ' after you complete it';
  if (pattern.maxOccurrences)
    text += `, ${pattern.maxOccurrences} ${pattern.maxOccurrences === 1 ? 'time' : 'times'}`;
  if (pattern.endDate) {
    text += ` until ${new Intl.DateTimeFormat('en-GB', { timeZone: clock.timeZone, day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(pattern.endDate))}`;
  }
  return text;
}

function minutesText(minutes: number): string {
  if (minutes === 0) return 'at the due time';
  if (minutes % 1440 === 0) return `${minutes / 1440} ${minutes === 1440 ? 'day' : 'days'} before`;
  if (minutes % 60 === 0) return `${minutes / 60} ${minutes === 60 ? 'hour' : 'hours'} before`;
  return `${minutes} minutes before`;
}

export const reminderText = (task: Task): string =>
  task.reminderEnabled && task.reminderOffset !== null
    ? `reminder ${minutesText(task.reminderOffset)} by ${task.reminderChannels.join(' and ')}`
    : 'no reminder';

/**
 * Everything a task says about itself, in the order people read it:
 * “Call mom”, every Sunday at 18:00, starting Sun 6 Dec, high priority, #family.
 */
export function describeTask(task: Task, clock: Clock): string {
  const out = [`“${task.title}”`];
  if (task.recurrence && task.dueDate) {
    const { day, time } = parts(task.dueDate, clock);
    out.push(
      `${describeRecurrence(task.recurrence, clock)} at ${time}${zoneNote(clock)}, starting ${day}`,
    );
  } else if (task.recurrence) {
    out.push(describeRecurrence(task.recurrence, clock));
  } else if (task.dueDate) {
    out.push(`due ${formatDate(task.dueDate, clock)}`);
  }
  if (task.priority !== 'medium') out.push(`${task.priority} priority`);
  if (task.tags.length) out.push(task.tags.map((t) => `#${t}`).join(' '));
  if (task.status === 'completed') out.push('done');
  return out.join(', ');
}

export function numberedList(tasks: Task[], clock: Clock): string {
  return tasks.map((task, i) => `${i + 1}. ${describeTask(task, clock)}`).join('\n');
}

export const HELP_TEXT = [
  'Tell me a task the way you would write it down; I pick out the date, repeat, priority and tags:',
  '• “call mom every sunday at 6pm” · “submit the report by friday p1 #work”',
  '• “pay rent on the last day of every month” · “water the cactus every 3 days”',
  '• “what’s due today?” · “show overdue tasks tagged work” · “what’s next”',
  '• “done with the report” · “push dentist to monday” · “delete buy milk”',
  '• After a task: “make it 5pm”, “actually friday”, “rename it to …”, “remind me an hour before”',
  '• “undo” takes back my last change.',
].join('\n');

/** A refusal that says what was understood and how to say it instead. */
export function notUnderstood(understood: string[]): string {
  const heard = understood.length
    ? `I understood ${understood.join(', ')}, but not the task. `
    : '';
  return `${heard || "I didn't understand that. "}Try “call mom tomorrow at 6pm”, “what’s due today?” or “help”.`;
}
