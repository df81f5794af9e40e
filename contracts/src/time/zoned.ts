/**
 * Wall-clock arithmetic in IANA time zones without a date library.
 *
 * A "wall" Date is a floating local time stored in the UTC fields of a Date
 * (rrule's convention): 09:00 in Europe/Berlin is `2026-03-30T09:00:00Z` as a wall Date.
 * Doing calendar maths on wall Dates and converting back is what keeps a 09:00
 * reminder at 09:00 across daylight-saving changes.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock time of `instant` in `timeZone`, as a floating Date. */
export function toWallTime(instant: Date, timeZone: string): Date {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return new Date(
    Date.UTC(
      parts.year ?? 1970,
      (parts.month ?? 1) - 1,
      parts.day ?? 1,
      parts.hour ?? 0,
      parts.minute ?? 0,
      parts.second ?? 0,
      instant.getUTCMilliseconds(),
    ),
  );
}

/**
 * The instant at which the wall clock in `timeZone` shows `wall`.
 * In a spring-forward gap the time that does not exist is moved forward by the gap;
 * in a fall-back overlap the earlier of the two instants is chosen.
 */
export function fromWallTime(wall: Date, timeZone: string): Date {
  const offsetAt = (instant: Date) => toWallTime(instant, timeZone).getTime() - instant.getTime();
  const firstGuess = new Date(wall.getTime() - offsetAt(wall));
  const secondOffset = offsetAt(firstGuess);
  const candidate = new Date(wall.getTime() - secondOffset);
  // Fall-back overlap: an hour earlier may show the same wall time; prefer it.
  const earlier = new Date(candidate.getTime() - 3_600_000);
  if (toWallTime(earlier, timeZone).getTime() === wall.getTime()) return earlier;
  return candidate;
}

/** Minutes since local midnight of `instant` in `timeZone`. */
export function minutesOfDay(instant: Date, timeZone: string): number {
  const wall = toWallTime(instant, timeZone);
  return wall.getUTCHours() * 60 + wall.getUTCMinutes();
}
