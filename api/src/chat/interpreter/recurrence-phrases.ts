import { fromWallTime, toWallTime } from '@todo/contracts';
import type { TaskFields } from './intent.js';
import { endOfDay, findDate } from './dates.js';
import { NUMBER_PATTERN, parseNumber } from './text.js';

type Recurrence = NonNullable<TaskFields['recurrence']>;

const WEEKDAYS: Record<string, number> = {
  monday: 0,
  mon: 0,
  tuesday: 1,
  tue: 1,
  tues: 1,
  wednesday: 2,
  wed: 2,
  thursday: 3,
  thu: 3,
  thur: 3,
  thurs: 3,
  friday: 4,
  fri: 4,
  saturday: 5,
  sat: 5,
  sunday: 6,
  sun: 6,
};
const DAY_NAME = `(?:${Object.keys(WEEKDAYS).join('|')})`;
const DAY = `${DAY_NAME}s?\\b`;
const DAY_LIST = `${DAY}(?:\\s*(?:,|and|&|,\\s*and)\\s*${DAY})*`;
const ORDINAL_DAY = '(\\d{1,2})(?:st|nd|rd|th)?';
const MONTHS =
  'january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec';

export interface FoundRecurrence {
  recurrence: Recurrence;
  /** The phrase, to cut from a title. */
  start: number;
  end: number;
  /** "every year on March 3" also says when the first one is due. */
  firstDue?: Date;
}

function weekdaysOf(list: string): number[] {
  const days = new Set<number>();
  for (const word of list.toLowerCase().match(/[a-z]+/g) ?? []) {
    const day = WEEKDAYS[word.replace(/s$/, '')] ?? WEEKDAYS[word];
    if (day !== undefined) days.add(day);
  }
  return [...days].sort((a, b) => a - b);
}

interface Rule {
  pattern: RegExp;
  build(m: RegExpMatchArray): Omit<Recurrence, 'anchor'> & { firstDueText?: string };
}

const N = NUMBER_PATTERN;

/** Most specific first. Each match yields the pattern without its end condition. */
const RULES: Rule[] = [
  {
    pattern: /\b(?:every|each)\s+weekday(?:s)?\b|\bon\s+weekdays\b|\bweekdays\b/i,
    build: () => ({ frequency: 'weekly', interval: 1, byWeekday: [0, 1, 2, 3, 4] }),
  },
  {
    pattern: /\b(?:every|each)\s+weekend\b|\bon\s+weekends\b/i,
    build: () => ({ frequency: 'weekly', interval: 1, byWeekday: [5, 6] }),
  },
  {
    pattern: new RegExp(
      `\\bon\\s+the\\s+${ORDINAL_DAY}\\s+of\\s+(?:every|each)\\s+month\\b|\\b(?:every|each)\\s+month\\s+on\\s+the\\s+${ORDINAL_DAY}\\b|\\bmonthly\\s+on\\s+the\\s+${ORDINAL_DAY}\\b`,
      'i',
    ),
    build: (m) => ({ frequency: 'monthly', interval: 1, byMonthday: Number(m[1] ?? m[2] ?? m[3]) }),
  },
  {
    pattern: new RegExp(`\\bevery\\s+${N}\\s+weeks?\\s+on\\s+(${DAY_LIST})`, 'i'),
    build: (m) => ({
      frequency: 'weekly',
      interval: parseNumber(m[1]!) ?? 1,
      byWeekday: weekdaysOf(m[2]!),
    }),
  },
  {
    pattern: new RegExp(`\\b(?:every|each)\\s+other\\s+(${DAY_LIST})`, 'i'),
    build: (m) => ({ frequency: 'weekly', interval: 2, byWeekday: weekdaysOf(m[1]!) }),
  },
  {
    pattern: new RegExp(
      `\\b(?:every|each)\\s+(${DAY_LIST})|\\bon\\s+(${DAY_NAME}s)\\b|\\bweekly\\s+on\\s+(${DAY_LIST})`,
      'i',
    ),
    build: (m) => ({
      frequency: 'weekly',
      interval: 1,
      byWeekday: weekdaysOf(m[1] ?? m[2] ?? m[3] ?? ''),
    }),
  },
  {
    pattern: new RegExp(
      `\\b(?:every|each)\\s+year\\s+on\\s+((?:${MONTHS})\\s+\\d{1,2}(?:st|nd|rd|th)?|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?:${MONTHS}))`,
      'i',
    ),
    build: (m) => ({ frequency: 'yearly', interval: 1, firstDueText: m[1]! }),
  },
  {
    pattern: new RegExp(`\\bevery\\s+${N}\\s+days\\b`, 'i'),
    build: (m) => ({ frequency: 'daily', interval: parseNumber(m[1]!) ?? 1 }),
  },
  {
    pattern: new RegExp(`\\bevery\\s+${N}\\s+weeks\\b`, 'i'),
    build: (m) => ({ frequency: 'weekly', interval: parseNumber(m[1]!) ?? 1 }),
  },
  {
    pattern: new RegExp(`\\bevery\\s+${N}\\s+months\\b`, 'i'),
    build: (m) => ({ frequency: 'monthly', interval: parseNumber(m[1]!) ?? 1 }),
  },
  {
    pattern: new RegExp(`\\bevery\\s+${N}\\s+years\\b`, 'i'),
    build: (m) => ({ frequency: 'yearly', interval: parseNumber(m[1]!) ?? 1 }),
  },
  { pattern: /\bevery\s+other\s+day\b/i, build: () => ({ frequency: 'daily', interval: 2 }) },
  {
    pattern: /\bevery\s+other\s+week\b|\bbi-?weekly\b|\bfortnightly\b/i,
    build: () => ({ frequency: 'weekly', interval: 2 }),
  },
  {
    pattern: /\b(?:every|each)\s+(?:day|morning|evening|night)\b|\bdaily\b|\bnightly\b/i,
    build: () => ({ frequency: 'daily', interval: 1 }),
  },
  {
    pattern: /\b(?:every|each)\s+week\b|\bweekly\b/i,
    build: () => ({ frequency: 'weekly', interval: 1 }),
  },
  {
    pattern: /\b(?:every|each)\s+month\b|\bmonthly\b/i,
    build: () => ({ frequency: 'monthly', interval: 1 }),
  },
  {
    pattern: /\b(?:every|each)\s+year\b|\byearly\b|\bannually\b/i,
    build: () => ({ frequency: 'yearly', interval: 1 }),
  },
];

/** How long a series runs when the user named no end. */
export const DEFAULT_SERIES_MS = 366 * 86_400_000;

const UNIT_DAYS: Record<string, number> = { day: 1, week: 7, month: 30, year: 365 };
const FREQUENCY_DAYS: Record<string, number> = { daily: 1, weekly: 7, monthly: 30, yearly: 365 };

/**
 * Finds a recurrence phrase ("every weekday", "every 2 weeks on Tuesday and Thursday",
 * "on the 1st of every month", "every year on March 3") with its end condition
 * ("for 10 days", "5 times", "until December 31"). Without an end condition the series
 * runs for a year from its first date (the contract needs one; the reply says so).
 */
export function findRecurrence(text: string, now: Date, timeZone: string): FoundRecurrence | null {
  for (const rule of RULES) {
    const m = text.match(rule.pattern);
    if (!m || m.index === undefined) continue;
    const { firstDueText, ...base } = rule.build(m);
    if (base.byWeekday && base.byWeekday.length === 0) continue;
    let start = m.index;
    let end = m.index + m[0].length;
    // A leading "repeat"/"repeating"/"recurring" belongs to the phrase.
    const lead = /\b(?:repeat(?:ing|s)?|recurring|recur)\s*$/i.exec(text.slice(0, start));
    if (lead) start = lead.index;
    const recurrence: Recurrence = { ...base, anchor: 'due' };
    const rest = text.slice(end);
    const count = new RegExp(
      `^\\s*(?:,\\s*)?(?:for\\s+)?${N}\\s+(times|occurrences|days|weeks|months|years)\\b`,
      'i',
    ).exec(rest);
    const until = /^\s*(?:,\s*)?(?:until|till|through|ending|ends?)\s+(.+)$/i.exec(rest);
    if (count) {
      const amount = parseNumber(count[1]!) ?? 1;
      const unit = count[2]!.toLowerCase().replace(/s$/, '');
      recurrence.maxOccurrences =
        unit === 'time' || unit === 'occurrence'
          ? amount
          : Math.max(
              1,
              Math.round(
                ((amount * (UNIT_DAYS[unit] ?? 1)) /
                  ((FREQUENCY_DAYS[base.frequency] ?? 1) * (base.interval ?? 1))) *
                  // "every weekday for 2 weeks" is ten occurrences, not two.
                  (base.frequency === 'weekly' && base.byWeekday ? base.byWeekday.length : 1),
              ),
            );
      end += count[0].length;
    } else if (until) {
      const found = findDate(until[1]!, now, timeZone);
      if (found && found.index <= 1) {
        recurrence.endDate = endOfDay(found, timeZone).toISOString();
        end += until[0].length - until[1]!.length + found.index + found.text.length;
      }
    }
    let firstDue: Date | undefined;
    if (firstDueText) firstDue = findDate(firstDueText, now, timeZone)?.date;
    if (!recurrence.maxOccurrences && !recurrence.endDate) {
      recurrence.endDate = new Date((firstDue ?? now).getTime() + DEFAULT_SERIES_MS).toISOString();
    }
    return { recurrence, start, end, ...(firstDue ? { firstDue } : {}) };
  }
  return null;
}

/** The first date a new series should be due on when the message named no date. */
export function firstOccurrenceDate(
  recurrence: Recurrence,
  now: Date,
  timeZone: string,
): Date | null {
  if (!recurrence.byWeekday?.length && !recurrence.byMonthday) return null;
  const wall = toWallTime(now, timeZone);
  for (let i = 0; i < 62; i += 1) {
    const day = new Date(
      Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate() + i, 9, 0),
    );
    const weekday = (day.getUTCDay() + 6) % 7;
    const ok = recurrence.byWeekday?.length
      ? recurrence.byWeekday.includes(weekday)
      : day.getUTCDate() === recurrence.byMonthday;
    if (ok) {
      const due = fromWallTime(day, timeZone);
      if (due.getTime() > now.getTime()) return due;
    }
  }
  return null;
}
