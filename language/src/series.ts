import * as rruleModule from 'rrule';
import type { Options } from 'rrule';
import type { RecurrenceInput } from '@todo/contracts';
import type { Due, ParseContext, RecurrenceSpec } from './types.js';
import type { RecurrenceEnd, RecurrenceFound } from './recurrence.js';
import { addDays, daysInMonth, toInstant, wallOf, type When } from './when.js';

// Node loads rrule's CommonJS build (everything under `default`); bundlers load its ESM build.
const { RRule } = (
  'RRule' in rruleModule ? rruleModule : Reflect.get(rruleModule, 'default')
) as typeof rruleModule;
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A series as a task: the rule (no end unless the user named one) and its first due date,
 * the first occurrence that is not in the past. rrule does the calendar walking, in wall time.
 */
export function buildSeries(
  found: RecurrenceFound,
  when: When[],
  end: { value: RecurrenceEnd; until: When | null } | null,
  anchor: boolean,
  ctx: ParseContext,
): { recurrence: RecurrenceSpec; due: Due; implied: boolean } {
  const now = wallOf(ctx.now, ctx.timeZone);
  const dated = when.find((w) => w.dateSaid);
  const timed = when.find((w) => w.timeSaid);
  let hour = timed?.hour ?? found.hour ?? 9;
  // "every night at 10", "every evening at 7": the phrase says which half of the day.
  if (timed && !timed.meridiem && (found.hour ?? 0) >= 15 && hour < 12) hour += 12;
  if (timed && !timed.meridiem && found.hour !== undefined && found.hour < 12 && hour > 12)
    hour -= 12;
  const minute = timed ? (timed.minute ?? 0) : 0;
  const start = dated
    ? { y: dated.year ?? now.y, m: dated.month ?? now.m, d: dated.day ?? now.d }
    : { y: now.y, m: now.m, d: now.d };

  const nowWall = new Date(Date.UTC(now.y, now.m - 1, now.d, now.h, now.mi));
  const startWall = new Date(Date.UTC(start.y, start.m - 1, start.d, hour, minute));
  const after = startWall > nowWall ? new Date(startWall.getTime() - 1) : nowWall;

  let first: Date | null = null;
  const base: Partial<Options> = {
    dtstart: new Date(Date.UTC(start.y, start.m - 1, start.d, hour, minute)),
  };
  if (found.rrule) {
    const rule = new RRule({ ...RRule.parseString(found.rrule), ...base });
    first = rule.after(after, false);
  } else if (found.byWeekday?.length) {
    const rule = new RRule({ ...base, freq: RRule.WEEKLY, byweekday: found.byWeekday });
    first = rule.after(after, false);
  } else if (found.byMonthday !== undefined) {
    const rule = new RRule({ ...base, freq: RRule.MONTHLY, bymonthday: found.byMonthday });
    first = rule.after(after, false);
  } else if (found.yearDay) {
    let y = start.y;
    const at = (yy: number) =>
      new Date(
        Date.UTC(
          yy,
          found.yearDay!.month - 1,
          Math.min(found.yearDay!.day, daysInMonth(yy, found.yearDay!.month)),
          hour,
          minute,
        ),
      );
    if (at(y) <= after) y += 1;
    first = at(y);
  }
  if (!first) {
    // No day named ("every 3 days"): from the start day, or the next day once its time has passed.
    first = startWall > nowWall ? startWall : null;
    if (!first) {
      const t = addDays(start.y, start.m, start.d, 1);
      first = new Date(Date.UTC(t.y, t.m - 1, t.d, hour, minute));
    }
  }
  const fy = first.getUTCFullYear();
  const fm = first.getUTCMonth() + 1;
  const fd = first.getUTCDate();
  const instant = toInstant(fy, fm, fd, hour, minute, ctx.timeZone);

  const recurrence: RecurrenceSpec = {
    frequency: found.frequency,
    interval: found.interval,
    ...(found.byWeekday?.length ? { byWeekday: found.byWeekday } : {}),
    ...(found.byMonthday !== undefined ? { byMonthday: found.byMonthday } : {}),
    ...(found.rrule ? { rrule: found.rrule } : {}),
    ...(anchor ? { anchor: 'completion' as const } : {}),
  };
  if (end?.value.times) recurrence.maxOccurrences = end.value.times;
  else if (end?.value.forCount) {
    const { n, unit } = end.value.forCount;
    const days = unit === 'day' ? n : unit === 'week' ? 7 * n : 0;
    let e = { y: fy, m: fm, d: fd };
    if (days) e = addDays(fy, fm, fd, days - 1);
    else {
      const months = unit === 'month' ? n : 12 * n;
      const t = new Date(Date.UTC(fy, fm - 1 + months, fd - 1));
      e = { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
    }
    recurrence.endDate = toInstant(e.y, e.m, e.d, 23, 59, ctx.timeZone).toISOString();
  } else if (end?.until) {
    const u = end.until;
    recurrence.endDate = toInstant(
      u.year ?? now.y,
      u.month ?? now.m,
      u.day ?? now.d,
      23,
      59,
      ctx.timeZone,
    ).toISOString();
  }
  return {
    recurrence,
    // "every friday" names no day or time of its own: the first Friday only starts a task
    // that has no date yet; an existing task keeps its own (see `firstDue` on an update).
    implied: !dated && !timed && found.hour === undefined,
    due: {
      iso: instant.toISOString(),
      date: `${fy}-${pad(fm)}-${pad(fd)}`,
      ...(timed || found.hour !== undefined ? { time: `${pad(hour)}:${pad(minute)}` } : {}),
    },
  };
}

/**
 * A rule in the shape the tasks API takes (`RecurrenceInput`), with only the keys the user's
 * words set: an end or a count appears only when one was said.
 */
export function recurrenceInput(r: RecurrenceSpec): Omit<RecurrenceInput, 'endDate'> & {
  endDate?: string;
} {
  return {
    frequency: r.frequency,
    interval: r.interval,
    ...(r.byWeekday ? { byWeekday: r.byWeekday } : {}),
    ...(r.byMonthday !== undefined ? { byMonthday: r.byMonthday } : {}),
    ...(r.rrule ? { rrule: r.rrule } : {}),
    ...(r.anchor ? { anchor: r.anchor } : {}),
    ...(r.endDate ? { endDate: r.endDate } : {}),
    ...(r.maxOccurrences ? { maxOccurrences: r.maxOccurrences } : {}),
  };
}
