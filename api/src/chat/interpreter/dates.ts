import * as chrono from 'chrono-node';
import { fromWallTime, toWallTime } from '@todo/contracts';

export interface FoundDate {
  /** Where the phrase stands in the text, so it can be cut from a title. */
  index: number;
  text: string;
  date: Date;
  /** False for "friday" or "tomorrow": a default time of day was chosen. */
  hasTime: boolean;
  /** Only a time ("at 5pm"): the caller may keep the task's own day. */
  timeOnly: boolean;
}

const DEFAULT_HOUR = 9;

function offsetMinutes(instant: Date, timeZone: string): number {
  return Math.round((toWallTime(instant, timeZone).getTime() - instant.getTime()) / 60_000);
}

/**
 * The first date/time phrase in `text`, read as wall-clock time in the user's zone.
 * chrono reads the words; the wall time is turned into an instant with that zone's rules
 * on that day, so "9am on the Sunday after the clocks change" is right.
 * A day without a time means 09:00; today after 09:00 means 18:00, then 23:59.
 */
export function findDate(text: string, now: Date, timeZone: string): FoundDate | null {
  const results = chrono.casual.parse(
    text,
    { instant: now, timezone: offsetMinutes(now, timeZone) },
    { forwardDate: true },
  );
  const result = results.find((r) => !/^\d{1,2}$/.test(r.text.trim()));
  if (!result) return dayOfMonth(text, now, timeZone);
  const start = result.start;
  const hasTime = start.isCertain('hour');
  const dayGiven =
    start.isCertain('day') ||
    start.isCertain('weekday') ||
    /\b(today|tomorrow|tonight)\b/i.test(result.text);
  const wall = (hour: number, minute: number) =>
    new Date(
      Date.UTC(
        start.get('year') ?? 1970,
        (start.get('month') ?? 1) - 1,
        start.get('day') ?? 1,
        hour,
        minute,
      ),
    );
  let date = fromWallTime(
    wall(
      hasTime ? (start.get('hour') ?? 0) : DEFAULT_HOUR,
      hasTime ? (start.get('minute') ?? 0) : 0,
    ),
    timeZone,
  );
  if (!hasTime) {
    for (const [hour, minute] of [
      [18, 0],
      [23, 59],
    ] as const) {
      if (date.getTime() > now.getTime()) break;
      date = fromWallTime(wall(hour, minute), timeZone);
    }
  }
  return { index: result.index, text: result.text, date, hasTime, timeOnly: hasTime && !dayGiven };
}

/** The same day as `day` (in the zone) at the time of day of `time`. */
export function onDayAtTime(day: Date, time: Date, timeZone: string): Date {
  const d = toWallTime(day, timeZone);
  const t = toWallTime(time, timeZone);
  return fromWallTime(
    new Date(
      Date.UTC(
        d.getUTCFullYear(),
        d.getUTCMonth(),
        d.getUTCDate(),
        t.getUTCHours(),
        t.getUTCMinutes(),
      ),
    ),
    timeZone,
  );
}

/** The end of the day named by `found` (for "until December 31"). */
export function endOfDay(found: FoundDate, timeZone: string): Date {
  const d = toWallTime(found.date, timeZone);
  return fromWallTime(
    new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 23, 59, 59)),
    timeZone,
  );
}

/** chrono misses a bare "the 15th": the next 15th, this month or the next. */
function dayOfMonth(text: string, now: Date, timeZone: string): FoundDate | null {
  const m = /\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b(?!\s+of\s+(?:every|each))/i.exec(text);
  const day = m ? Number(m[1]) : 0;
  if (!m || day < 1 || day > 31) return null;
  const wall = toWallTime(now, timeZone);
  for (let add = 0; add < 3; add += 1) {
    const candidate = new Date(
      Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth() + add, day, DEFAULT_HOUR),
    );
    if (candidate.getUTCDate() !== day) continue; // the 31st in a 30-day month
    const date = fromWallTime(candidate, timeZone);
    if (date.getTime() > now.getTime())
      return { index: m.index, text: m[0], date, hasTime: false, timeOnly: false };
  }
  return null;
}
