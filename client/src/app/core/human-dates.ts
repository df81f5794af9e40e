import { formatInZone } from './zoned-time';

const ISO = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})\b/g;

/**
 * Replaces ISO 8601 timestamps in server text ("due at 2026-11-27T09:00:00.000Z") with the
 * wall time in the user's zone ("due at Fri 27 Nov, 04:00" in America/New_York).
 */
export function humanizeDates(text: string, zone: string, locale?: string): string {
  return text.replace(ISO, (iso) => formatInZone(iso, 'EEE d MMM, HH:mm', zone, locale) ?? iso);
}
