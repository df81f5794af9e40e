import { WEEKDAY_NAMES, describeRecurrence, ordinal } from '@todo/contracts/recurrence-text';
import type { RecurrenceRequest } from '../core/types';

export { ordinal };
export const WEEKDAYS = WEEKDAY_NAMES;

/**
 * A recurrence as a label: the wording the chat uses too (contracts' describeRecurrence),
 * starting with a capital: "Every Monday, 5 times", "Every other Monday and Friday, until
 * 31 Dec 2026", "Does not repeat". The end date is the calendar day in `zone`, the user's zone.
 */
export function recurrenceLabel(pattern: RecurrenceRequest | null | undefined, zone: string) {
  const text = describeRecurrence(pattern, zone);
  return text.charAt(0).toUpperCase() + text.slice(1);
}
