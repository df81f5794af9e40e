import { NUMBER_PATTERN, parseNumber } from './text.js';

const UNIT_MINUTES: Record<string, number> = {
  minute: 1,
  min: 1,
  hour: 60,
  hr: 60,
  day: 1440,
  week: 10080,
};

/** "an hour", "30 minutes", "2 days", "half an hour" → minutes. */
export const DURATION_PATTERN = `(?:(half an? hour)|${NUMBER_PATTERN}\\s*(minutes?|mins?|hours?|hrs?|days?|weeks?))`;

export function durationMinutes(match: RegExpMatchArray, offset = 1): number | null {
  if (match[offset]) return 30;
  const amount = parseNumber(match[offset + 1] ?? '');
  const unit = (match[offset + 2] ?? '').toLowerCase().replace(/s$/, '');
  const perUnit = UNIT_MINUTES[unit];
  return amount === null || perUnit === undefined ? null : Math.round(amount * perUnit);
}
