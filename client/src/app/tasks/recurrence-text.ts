import type { RecurrencePatternInput } from '../core/types';
import { formatInZone } from '../core/zoned-time';

export const WEEKDAYS = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const;

const UNITS = { daily: 'day', weekly: 'week', monthly: 'month', yearly: 'year' } as const;

export function ordinal(n: number): string {
  const rem100 = n % 100;
  if (rem100 >= 11 && rem100 <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "the 15th", "the last day" (-1), "the 2nd-to-last day" (-2). */
export function monthdayText(day: number): string {
  if (day === -1) return 'the last day';
  if (day < 0) return `the ${ordinal(-day)}-to-last day`;
  return `the ${ordinal(day)}`;
}

/**
 * A recurrence pattern in plain English: "Every Monday" (open-ended: no end is said),
 * "Every Monday, 5 times", "Every 2 weeks on Monday and Friday, until 31 Dec 2026",
 * "Every month on the last day". Weekdays are 0 = Monday; the end date is the calendar day
 * in `zone`, the user's zone.
 */
export function describeRecurrence(
  pattern: RecurrencePatternInput | null | undefined,
  zone: string,
): string {
  if (!pattern) return 'Does not repeat';
  const interval = Math.max(1, pattern.interval ?? 1);
  let text: string;
  if (pattern.frequency === 'custom') {
    text = `Custom rule ${(pattern.rrule ?? '').replace(/^RRULE:/i, '') || '(empty)'}`;
  } else {
    const unit = UNITS[pattern.frequency];
    const days = [...new Set(pattern.byWeekday ?? [])]
      .filter((d) => d >= 0 && d <= 6)
      .sort((a, b) => a - b)
      .map((d) => WEEKDAYS[d]!);
    if (pattern.frequency === 'weekly' && days.length > 0) {
      const weekdays = days.length === 5 && !days.includes('Saturday') && !days.includes('Sunday');
      const named = weekdays ? 'weekday' : list(days);
      text = interval === 1 ? `Every ${named}` : `Every ${interval} weeks on ${list(days)}`;
    } else {
      text = interval === 1 ? `Every ${unit}` : `Every ${interval} ${unit}s`;
      if (pattern.frequency === 'monthly' && pattern.byMonthday)
        text += ` on ${monthdayText(pattern.byMonthday)}`;
      if (pattern.frequency !== 'weekly' && days.length > 0) text += ` on ${list(days)}`;
    }
  }
  if (pattern.maxOccurrences) {
    text += pattern.maxOccurrences === 1 ? ', once' : `, ${pattern.maxOccurrences} times`;
  } else if (pattern.endDate) {
    text += `, until ${formatInZone(pattern.endDate, 'd MMM y', zone)}`;
  }
  if (pattern.anchor === 'completion') text += ', counted from each completion';
  return text;
}
