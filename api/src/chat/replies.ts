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

function ordinal(n: number): string {
  const s = ['th', 'st', 'nd', 'rd'];
  const v = n % 100;
  return `${n}${s[(v - 20) % 10] ?? s[v] ?? s[0]}`;
}

/** "Sat 28 Nov, 17:00" in the user's zone (the year only when it is not this year's). */
export function formatDate(iso: string, timeZone: string, now = new Date()): string {
  const date = new Date(iso);
  const sameYear =
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric' }).format(date) ===
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric' }).format(now);
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(sameYear ? {} : { year: 'numeric' }),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
}

/** Plain English for a pattern: "every weekday, 10 times", "every month on the 31st until 31 Dec 2026". */
export function describeRecurrence(pattern: RecurrencePattern, timeZone: string): string {
  const n = pattern.interval;
  let text: string;
  const days = pattern.byWeekday ?? [];
  const dayList = (list: number[]) => {
    const names = list.map((d) => WEEKDAY_NAMES[d] ?? '?');
    return names.length > 1
      ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
      : (names[0] ?? '');
  };
  switch (pattern.frequency) {
    case 'daily':
      text = n === 1 ? 'every day' : `every ${n} days`;
      break;
    case 'weekly':
      if (n === 1 && days.join() === '0,1,2,3,4') text = 'every weekday';
      else if (n === 1 && days.join() === '5,6') text = 'every weekend';
      else text = `${n === 1 ? 'every' : `every ${n} weeks on`} ${dayList(days) || 'week'}`;
      break;
    case 'monthly':
      text = `${n === 1 ? 'every month' : `every ${n} months`}${pattern.byMonthday ? ` on the ${ordinal(pattern.byMonthday)}` : ''}`;
      break;
    case 'yearly':
      text = n === 1 ? 'every year' : `every ${n} years`;
      break;
    default:
      text = `on a custom schedule (${pattern.rrule ?? ''})`;
  }
  if (pattern.maxOccurrences)
    text += `, ${pattern.maxOccurrences} ${pattern.maxOccurrences === 1 ? 'time' : 'times'}`;
  if (pattern.endDate) {
    text += ` until ${new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(pattern.endDate))}`;
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

/** One line describing a task: title, due date, priority, tags, repetition. */
export function describeTask(task: Task, timeZone: string): string {
  const parts = [`“${task.title}”`];
  if (task.dueDate) parts.push(`due ${formatDate(task.dueDate, timeZone)}`);
  if (task.priority !== 'medium') parts.push(`${task.priority} priority`);
  if (task.tags.length) parts.push(task.tags.map((t) => `#${t}`).join(' '));
  if (task.recurrence) parts.push(`repeats ${describeRecurrence(task.recurrence, timeZone)}`);
  if (task.status === 'completed') parts.push('done');
  return parts.join(', ');
}

export function numberedList(tasks: Task[], timeZone: string): string {
  return tasks.map((task, i) => `${i + 1}. ${describeTask(task, timeZone)}`).join('\n');
}

export const HELP_TEXT = [
  'I can manage your tasks. Try:',
  '• “add pay rent on the 1st of every month, high priority”',
  '• “remind me to call mum tomorrow at 5pm”',
  '• “what’s due today?” · “show overdue tasks tagged work”',
  '• “complete the second one” · “move the report to Friday 3pm” · “rename it to …”',
  '• “make it every weekday” · “remind me an hour before by email”',
  '• “set quiet hours from 10pm to 7am” · “my time zone is Europe/Berlin”',
].join('\n');
