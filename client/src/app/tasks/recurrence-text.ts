import type { RecurrencePatternInput } from '../core/types';

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

function ordinal(n: number): string {
  const rem100 = n % 100;
  if (rem100 >= 11 && rem100 <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}

/**
 * A recurrence pattern in plain English: "Every Monday, 5 times", "Every 2 weeks on Monday
 * and Friday, until 31 Dec 2026", "Every month on the 15th". Weekdays are 0 = Monday.
 */
export function describeRecurrence(pattern: RecurrencePatternInput | null | undefined): string {
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
        text += ` on the ${ordinal(pattern.byMonthday)}`;
      if (pattern.frequency !== 'weekly' && days.length > 0) text += ` on ${list(days)}`;
    }
  }
  if (pattern.maxOccurrences) {
    text += pattern.maxOccurrences === 1 ? ', once' : `, ${pattern.maxOccurrences} times`;
  } else if (pattern.endDate) {
    text += `, until ${formatDate(pattern.endDate)}`;
  }
  if (pattern.anchor === 'completion') text += ', counted from each completion';
  return text;
}
