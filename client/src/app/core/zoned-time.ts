import { formatDate } from '@angular/common';
import { TZDateMini, tzOffset } from '@date-fns/tz';
import { weekStartOf, type WeekStart } from '@todo/contracts/due';

/**
 * Dates shown and typed in the user's saved time zone, not the browser's. The server computes
 * recurrence, reminders and quiet hours in that zone; showing the same wall time everywhere
 * means every formatter and every date input goes through these helpers.
 */

/**
 * Zones IANA renamed while browsers (through CLDR, which keeps old ids stable) still report the
 * old name: Chromium in Kolkata says `Asia/Calcutta`. We store and show the current name.
 */
const RENAMED: Record<string, string> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Europe/Kiev': 'Europe/Kyiv',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Africa/Asmera': 'Africa/Asmara',
  'America/Godthab': 'America/Nuuk',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Coral_Harbour': 'America/Atikokan',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Enderbury': 'Pacific/Kanton',
};

/** The current IANA name of a zone (`Asia/Calcutta` → `Asia/Kolkata`). */
export function currentZoneName(zone: string): string {
  return RENAMED[zone] ?? zone;
}

/** The first day of the week where this browser's language says (Sunday in en-US, ADR 240). */
export function localWeekStart(): WeekStart {
  return weekStartOf(typeof navigator === 'undefined' ? undefined : navigator.language);
}

/** The device's IANA zone, e.g. `America/New_York` (UTC if the browser will not say). */
export function deviceZone(): string {
  return currentZoneName(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
}

const browserIds = new Map<string, string>();

/** Whether two zone names are the same zone (`Asia/Calcutta` and `Asia/Kolkata` are). */
export function sameZone(a: string, b: string): boolean {
  if (a === b) return true;
  const id = (zone: string) => {
    let known = browserIds.get(zone);
    if (known === undefined) {
      try {
        known = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
      } catch {
        known = zone;
      }
      browserIds.set(zone, known);
    }
    return known;
  };
  return id(a) === id(b);
}

const knownZones = new Map<string, boolean>();

/** Whether the browser knows this IANA zone (a bad saved value must not break every date). */
export function isKnownZone(zone: string): boolean {
  let known = knownZones.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      known = true;
    } catch {
      known = false;
    }
    knownZones.set(zone, known);
  }
  return known;
}

/** `+0530` for Asia/Kolkata at `instant`: the form Angular's `formatDate` takes. */
function offsetString(zone: string, instant: Date): string {
  const minutes = tzOffset(zone, instant);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

/**
 * An instant as wall time in `zone`, with an Angular date pattern (`EEE d MMM, HH:mm`).
 * Null for no value; the input itself when it is not a date.
 */
export function formatInZone(
  value: string | number | Date | null | undefined,
  pattern: string,
  zone: string,
  locale = 'en-US',
): string | null {
  if (value === null || value === undefined || value === '') return null;
  const instant = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(instant.getTime())) return String(value);
  const safeZone = isKnownZone(zone) ? zone : 'UTC';
  return formatDate(instant, pattern, locale, offsetString(safeZone, instant));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The parts of the wall time of `instant` in `zone`. */
function wall(instant: Date, zone: string): Date {
  return new TZDateMini(instant.getTime(), isKnownZone(zone) ? zone : 'UTC');
}

/** ISO instant → `2026-11-27T09:30` as the wall time in `zone` (for datetime-local inputs). */
export function toZonedInput(iso: string | null | undefined, zone: string): string {
  if (!iso) return '';
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return '';
  const d = wall(instant, zone);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * `2026-11-27T09:30` (or `2026-11-27`, midnight) read as wall time in `zone` → ISO instant.
 * A wall time that does not exist (the hour skipped in spring) moves forward by the gap.
 */
export function fromZonedInput(value: string, zone: string): string | null {
  const match = LOCAL_INPUT.exec(value.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
  const date = new TZDateMini(
    year!,
    month! - 1,
    day!,
    hour!,
    minute!,
    second!,
    isKnownZone(zone) ? zone : 'UTC',
  );
  return Number.isNaN(date.getTime()) ? null : new Date(date.getTime()).toISOString();
}

/** The last second of the calendar day `2026-12-31` in `zone` (a series' "ends on" date). */
export function endOfDayInZone(day: string, zone: string): string | null {
  return fromZonedInput(`${day}T23:59:59`, zone);
}

/** Midnight of the day `days` after the day of `now` in `zone` (0 = today), as an instant. */
export function startOfDayInZone(now: Date, zone: string, days = 0): Date {
  const d = wall(now, zone);
  const safeZone = isKnownZone(zone) ? zone : 'UTC';
  return new Date(
    new TZDateMini(d.getFullYear(), d.getMonth(), d.getDate() + days, safeZone).getTime(),
  );
}

/** The weekday of `now` in `zone`, 0 = Monday … 6 = Sunday. */
export function weekdayInZone(now: Date, zone: string): number {
  return (wall(now, zone).getDay() + 6) % 7;
}
