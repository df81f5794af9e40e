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

const RULE_FREQUENCIES: Record<string, 'daily' | 'weekly' | 'monthly' | 'yearly'> = {
  DAILY: 'daily',
  WEEKLY: 'weekly',
  MONTHLY: 'monthly',
  YEARLY: 'yearly',
};

/**
 * A custom rule in the same words as the built-in patterns where it is one of their shapes
 * ("FREQ=MONTHLY;BYMONTHDAY=1,15" is "every month on the 1st and the 15th", the first Monday of
 * every month, every Tuesday); anything richer is named as the rule itself rather than guessed.
 */
function customText(rrule: string): string {
  const body = rrule.replace(/^RRULE:/i, '').trim();
  const parts = new Map(
    body
      .split(';')
      .filter(Boolean)
      .map((part) => {
        const [key = '', value = ''] = part.split('=');
        return [key.toUpperCase(), value.toUpperCase()] as const;
      }),
  );
  const frequency = RULE_FREQUENCIES[parts.get('FREQ') ?? ''];
  const interval = Number(parts.get('INTERVAL') ?? '1');
  const byDay = parts.get('BYDAY')?.split(',') ?? [];
  const byMonthday = parts.get('BYMONTHDAY')?.split(',').map(Number) ?? [];
  const onlyKnown = [...parts.keys()].every((key) =>
    ['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'WKST'].includes(key),
  );
  const fallback = `on a custom schedule (${body || 'empty'})`;
  if (!frequency || !onlyKnown || !Number.isInteger(interval) || interval < 1) return fallback;
  const nth = byDay.length === 1 ? /^([+-]?\d)(MO|TU|WE|TH|FR|SA|SU)$/.exec(byDay[0] ?? '') : null;
  const position = nth ? NTH[String(Number(nth[1]))] : undefined;
  if (nth && position && frequency === 'monthly' && interval === 1 && !byMonthday.length) {
    const day = WEEKDAY_NAMES[RRULE_DAYS.indexOf(nth[2] as string)];
    return `on the ${position} ${day} of every month`;
  }
  const weekdays = byDay.map((day) => RRULE_DAYS.indexOf(day));
  if (weekdays.some((day) => day < 0)) return fallback;
  const monthdaysValid = byMonthday.every(
    (day) => Number.isInteger(day) && day !== 0 && Math.abs(day) <= 31,
  );
  if (!monthdaysValid || (byMonthday.length && frequency !== 'monthly')) return fallback;
  if (byMonthday.length && weekdays.length) return fallback;
  let text = patternText(frequency, interval, weekdays);
  if (byMonthday.length) text += ` on ${list(byMonthday.map(monthdayText))}`;
  return text;
}

/** The built-in patterns' words: "every weekday", "every other Monday", "every 3 months". */
function patternText(
  frequency: 'daily' | 'weekly' | 'monthly' | 'yearly',
  n: number,
  byWeekday: readonly number[],
  byMonthday?: number,
): string {
  const weekdays = [...new Set(byWeekday)].filter((d) => d >= 0 && d <= 6).sort((a, b) => a - b);
  const days = weekdays.map((d) => WEEKDAY_NAMES[d] as string);
  if (frequency === 'weekly' && days.length) {
    const key = weekdays.join();
    if (n === 1 && key === '0,1,2,3,4') return 'every weekday';
    if (n === 1 && key === '5,6') return 'every weekend';
    if (n === 1) return `every ${list(days)}`;
    if (n === 2) return `every other ${list(days)}`;
    return `every ${n} weeks on ${list(days)}`;
  }
  const unit = UNITS[frequency];
  let text = n === 1 ? `every ${unit}` : `every ${n} ${unit}s`;
  if (frequency === 'monthly' && byMonthday) text += ` on ${monthdayText(byMonthday)}`;
  if (frequency !== 'weekly' && days.length) text += ` on ${list(days)}`;
  return text;
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
  const text =
    pattern.frequency === 'custom'
      ? customText(pattern.rrule ?? '')
      : patternText(
          pattern.frequency,
          Math.max(1, pattern.interval ?? 1),
          pattern.byWeekday ?? [],
          pattern.byMonthday ?? undefined,
        );
  let ends = '';
  if (pattern.anchor === 'completion') ends += ', counted from each completion';
  if (pattern.maxOccurrences)
    ends += pattern.maxOccurrences === 1 ? ', once' : `, ${pattern.maxOccurrences} times`;
  else if (pattern.endDate) ends += `, until ${dayIn(pattern.endDate, zone)}`;
  return text + ends;
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
