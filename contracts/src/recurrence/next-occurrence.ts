import rrulePackage from 'rrule';
import type { Options as RRuleOptions } from 'rrule';
import type { RecurrencePattern } from '../rest/recurrence.js';
import { fromWallTime, toWallTime } from '../time/zoned.js';

// rrule ships CommonJS; its named exports are reached through the default import under ESM.
const { RRule } = rrulePackage;

export interface NextOccurrenceInput {
  pattern: RecurrencePattern;
  /** IANA zone the series lives in (the user's). */
  timeZone: string;
  /** Due date of the instance just completed, if it had one. */
  previousDue: Date | null;
  completedAt: Date;
  /** 1-based index of the instance just completed. */
  occurrenceIndex: number;
  /** Injected clock, for tests. */
  now?: Date;
}

const DAY_MS = 86_400_000;

/**
 * When the next instance of a series is due, or null when the series has ended. A series
 * without `endDate` and `maxOccurrences` never ends; only the one next date is computed,
 * never a list of them.
 *
 * - anchor `due`: the first occurrence after the previous due date that is not already
 *   in the past (a late completion skips the occurrences it missed);
 * - anchor `completion`: the first occurrence after the completion time, keeping the
 *   series' time of day.
 * Computed on wall-clock time in the series' zone, so 09:00 stays 09:00 across DST.
 */
export function nextOccurrence(input: NextOccurrenceInput): Date | null {
  const { pattern, timeZone, previousDue, completedAt, occurrenceIndex } = input;
  const now = input.now ?? new Date();
  if (pattern.maxOccurrences !== undefined && occurrenceIndex >= pattern.maxOccurrences) {
    return null;
  }

  const useDue = pattern.anchor === 'due' && previousDue !== null;
  const dtstart = useDue
    ? toWallTime(previousDue, timeZone)
    : withTimeOfDay(
        toWallTime(completedAt, timeZone),
        previousDue && toWallTime(previousDue, timeZone),
      );
  const after = useDue
    ? toWallTime(new Date(Math.max(previousDue.getTime(), now.getTime())), timeZone)
    : toWallTime(completedAt, timeZone);

  const rule = new RRule({ ...recurrenceRuleOptions(pattern, dtstart), dtstart, tzid: null });
  const next = rule.after(after, false);
  if (!next) return null;
  const instant = fromWallTime(next, timeZone);
  if (pattern.endDate !== undefined && instant.getTime() > new Date(pattern.endDate).getTime()) {
    return null;
  }
  return instant;
}

/** The calendar day of `day` at the time of day of `timeSource` (or `day`'s own). */
function withTimeOfDay(day: Date, timeSource: Date | null): Date {
  if (!timeSource) return day;
  const midnight = Math.floor(day.getTime() / DAY_MS) * DAY_MS;
  return new Date(midnight + (timeSource.getTime() % DAY_MS));
}

/**
 * The rrule options of a series' repeat, without its end (the series' own `endDate` and
 * `maxOccurrences` govern). `dtstart` is the wall-clock time (as UTC fields) of an instance:
 * a weekly or monthly series without its own days repeats on that one's. The calendar feed
 * writes these as the RRULE of the series' current instance.
 */
export function recurrenceRuleOptions(
  pattern: RecurrencePattern,
  dtstart: Date,
): Partial<RRuleOptions> {
  if (pattern.frequency === 'custom' && pattern.rrule) {
    const parsed = RRule.parseString(pattern.rrule.replace(/^RRULE:/i, ''));
    // The series' own end conditions govern; COUNT and UNTIL would restart with each instance.
    delete parsed.count;
    delete parsed.until;
    delete parsed.dtstart;
    return parsed;
  }
  const options: Partial<RRuleOptions> = { interval: pattern.interval };
  switch (pattern.frequency) {
    case 'daily':
      options.freq = RRule.DAILY;
      if (pattern.byWeekday) options.byweekday = pattern.byWeekday;
      break;
    case 'weekly':
      options.freq = RRule.WEEKLY;
      options.byweekday = pattern.byWeekday ?? [(dtstart.getUTCDay() + 6) % 7];
      break;
    case 'monthly':
      options.freq = RRule.MONTHLY;
      Object.assign(options, monthdayOptions(pattern.byMonthday ?? dtstart.getUTCDate()));
      break;
    case 'yearly':
      options.freq = RRule.YEARLY;
      break;
    default:
      options.freq = RRule.DAILY;
  }
  return options;
}

/**
 * "On the 31st" means the last day in shorter months: ask for every candidate day from
 * the 28th up to the wanted one and keep the last that exists (BYSETPOS=-1).
 * -1 is rrule's own "last day of the month".
 */
function monthdayOptions(day: number): Partial<RRuleOptions> {
  if (day <= 28) return { bymonthday: [day] };
  const candidates: number[] = [];
  for (let d = 28; d <= day; d += 1) candidates.push(d);
  return { bymonthday: candidates, bysetpos: [-1] };
}
