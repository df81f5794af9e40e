import type { RecurrenceRequest } from '../rest/recurrence.js';

/**
 * A recurrence pattern in plain English, the one wording the chat replies and the app share:
 * "every Monday", "every other Monday and Friday, until 31 Dec 2026", "every month on the last
 * day, 12 times". Lower case, so it reads inside a sentence; a label capitalises it.
 *
 * Imports nothing at run time (only types), so a browser bundle takes it without joi or rrule.
 */

export const WEEKDAY_NAMES = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const;

const RRULE_DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const NTH: Record<string, string> = {
  '-1': 'last',
  '1': 'first',
  '2': 'second',
  '3': 'third',
  '4': 'fourth',
  '5': 'fifth',
};
const UNITS = { daily: 'day', weekly: 'week', monthly: 'month', yearly: 'year' } as const;

/** 1st, 2nd, 3rd, 4th, 11th, 22nd … */
export function ordinal(n: number): string {
  const rem100 = n % 100;
  if (rem100 >= 11 && rem100 <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

/** "the 15th", "the last day" (-1), "the 2nd-to-last day" (-2). */
export function monthdayText(day: number): string {
  if (day === -1) return 'the last day';
  if (day < 0) return `the ${ordinal(-day)}-to-last day`;
  return `the ${ordinal(day)}`;
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "on the first Monday of every month" for a monthly rule with a numbered weekday. */
function customText(rrule: string): string {
  const body = rrule.replace(/^RRULE:/i, '');
  const nth = /BYDAY=([+-]?\d)(MO|TU|WE|TH|FR|SA|SU)/i.exec(body);
  const position = nth ? NTH[String(Number(nth[1]))] : undefined;
  if (nth && position && /FREQ=MONTHLY/i.test(body)) {
    const day = WEEKDAY_NAMES[RRULE_DAYS.indexOf((nth[2] as string).toUpperCase())];
    return `on the ${position} ${day} of every month`;
  }
  return `on a custom schedule (${body || 'empty'})`;
}

/**
 * The pattern in words. An end date is named by its calendar day in `zone`, the user's zone
 * (23:59 on 31 Dec in New York is 1 Jan in UTC). No pattern: "does not repeat".
 */
export function describeRecurrence(
  pattern: RecurrenceRequest | null | undefined,
  zone: string,
): string {
  if (!pattern) return 'does not repeat';
  const n = Math.max(1, pattern.interval ?? 1);
  const weekdays = [...new Set(pattern.byWeekday ?? [])]
    .filter((d) => d >= 0 && d <= 6)
    .sort((a, b) => a - b);
  const days = weekdays.map((d) => WEEKDAY_NAMES[d] as string);
  let text: string;
  if (pattern.frequency === 'custom') {
    text = customText(pattern.rrule ?? '');
  } else if (pattern.frequency === 'weekly' && days.length) {
    const key = weekdays.join();
    if (n === 1 && key === '0,1,2,3,4') text = 'every weekday';
    else if (n === 1 && key === '5,6') text = 'every weekend';
    else if (n === 1) text = `every ${list(days)}`;
    else if (n === 2) text = `every other ${list(days)}`;
    else text = `every ${n} weeks on ${list(days)}`;
  } else {
    const unit = UNITS[pattern.frequency];
    text = n === 1 ? `every ${unit}` : `every ${n} ${unit}s`;
    if (pattern.frequency === 'monthly' && pattern.byMonthday)
      text += ` on ${monthdayText(pattern.byMonthday)}`;
    if (pattern.frequency !== 'weekly' && days.length) text += ` on ${list(days)}`;
  }
  if (pattern.anchor === 'completion') text += ', counted from each completion';
  if (pattern.maxOccurrences)
    text += pattern.maxOccurrences === 1 ? ', once' : `, ${pattern.maxOccurrences} times`;
  else if (pattern.endDate) text += `, until ${dayIn(pattern.endDate, zone)}`;
  return text;
}

/** "31 Dec 2026": the calendar day of an instant in a zone. */
function dayIn(iso: string, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).format(new Date(iso));
}
