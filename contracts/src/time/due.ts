import { fromWallTime, toWallTime } from './zoned.js';

/**
 * The one definition of "today", "overdue" and "this week" (ADR 240), used by the web app's
 * filters, the api's `due` list parameter and the chat's questions ("what's due this week?").
 * Free of joi, so the web app bundles it.
 */

export const DUE_FILTERS = ['today', 'overdue', 'week'] as const;
export type DueFilter = (typeof DUE_FILTERS)[number];

/** The first day of the week, ISO numbering as `Intl.Locale#getWeekInfo` gives it: 1 = Monday … 7 = Sunday. */
export type WeekStart = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export const DEFAULT_WEEK_START: WeekStart = 1;

/** Bounds of a due filter; both exclusive, as the api's `dueAfter`/`dueBefore` are. */
export interface DueWindow {
  after?: Date;
  before?: Date;
}

/** The first day of the week in a locale (`en-US` → 7, Sunday; `de-DE` → 1), Monday if unknown. */
export function weekStartOf(locale: string | undefined): WeekStart {
  try {
    const intl = new Intl.Locale(locale ?? 'en-GB') as Intl.Locale & {
      getWeekInfo?: () => { firstDay: number };
      weekInfo?: { firstDay: number };
    };
    const firstDay = intl.getWeekInfo?.().firstDay ?? intl.weekInfo?.firstDay;
    if (firstDay && firstDay >= 1 && firstDay <= 7) return firstDay as WeekStart;
  } catch {
    // an unknown tag falls through to Monday
  }
  return DEFAULT_WEEK_START;
}

/** Midnight `offsetDays` calendar days from the day of `now` in `zone` (23 or 25 h on DST days). */
function midnight(now: Date, zone: string, offsetDays = 0): Date {
  const wall = toWallTime(now, zone);
  return fromWallTime(
    new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate() + offsetDays)),
    zone,
  );
}

const justBefore = (instant: Date) => new Date(instant.getTime() - 1);

/**
 * The due window of a filter, in calendar days of `zone` (the user's saved zone):
 * - today: from midnight to midnight;
 * - overdue: due before now (and only pending tasks: see `statusOf`);
 * - week: the calendar week holding today, starting on `weekStart`.
 */
export function dueWindow(
  due: DueFilter | '' | undefined,
  now: Date,
  zone: string,
  weekStart: WeekStart = DEFAULT_WEEK_START,
): DueWindow {
  switch (due) {
    case 'today':
      return { after: justBefore(midnight(now, zone)), before: midnight(now, zone, 1) };
    case 'overdue':
      return { before: now };
    case 'week': {
      // getUTCDay of a wall Date: 0 = Sunday; ISO weekday 1 = Monday … 7 = Sunday.
      const isoDay = toWallTime(now, zone).getUTCDay() || 7;
      const back = (isoDay - weekStart + 7) % 7;
      return {
        after: justBefore(midnight(now, zone, -back)),
        before: midnight(now, zone, 7 - back),
      };
    }
    default:
      return {};
  }
}

export type StatusFilter = 'pending' | 'completed' | 'all';

/**
 * The status a list shows under a due filter: "overdue" is about open tasks only, so it lists
 * pending tasks whatever else was asked (a done task is never overdue). The web app shows the
 * same rule by switching its Status to "To do" when Overdue is chosen.
 */
export function statusOf(status: StatusFilter | undefined, due: DueFilter | '' | undefined) {
  return due === 'overdue' ? 'pending' : status;
}
