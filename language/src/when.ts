import * as chrono from 'chrono-node';
// The subpath has no joi and no rrule: only what the browser needs.
import { fromWallTime, toWallTime } from '@todo/contracts/time';
import type { Due, ParseContext } from './types.js';
import { MONTHS, WD, ordinalNumber, weekdayNumber, type Scan } from './scan.js';

/**
 * Step 2c: dates and times. chrono-node reads the words; this module adds the few phrases
 * it does not know ("end of day", "next week" = Monday, "the 15th") and the product's rules:
 * a time of day word means a fixed hour, a bare "at 4" is the afternoon, and a new one-off is
 * never silently in the past. Everything is computed as wall-clock time in the user's zone
 * and turned into an instant with that zone's rules on that day (daylight saving included).
 */

/** One date/time phrase: the wall-clock parts it names. */
export interface When {
  year?: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  /** Set when the phrase names a day ("friday", "in 3 days", "tomorrow"). */
  dateSaid: boolean;
  /** Set when the phrase names a time ("5pm", "evening"). */
  timeSaid: boolean;
  /** The day was a weekday name: a time already past today means next week's. */
  weekday?: boolean;
}

/** Hours the product gives to words (documented in ADR 080). */
export const TIME_OF_DAY: Record<string, number> = {
  morning: 9,
  noon: 12,
  midday: 12,
  lunch: 12,
  lunchtime: 12,
  afternoon: 15,
  evening: 18,
  tonight: 20,
  night: 20,
};
const DEFAULT_HOUR = 9;

interface Wall {
  y: number;
  m: number;
  d: number;
  h: number;
  mi: number;
  /** 0 = Monday. */
  wd: number;
}

function wallOf(instant: Date, timeZone: string): Wall {
  const w = toWallTime(instant, timeZone);
  return {
    y: w.getUTCFullYear(),
    m: w.getUTCMonth() + 1,
    d: w.getUTCDate(),
    h: w.getUTCHours(),
    mi: w.getUTCMinutes(),
    wd: (w.getUTCDay() + 6) % 7,
  };
}

/** The wall date `days` after the given one. */
function addDays(
  y: number,
  m: number,
  d: number,
  days: number,
): { y: number; m: number; d: number } {
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

function dateOnly(y: number, m: number, d: number): When {
  return { year: y, month: m, day: d, dateSaid: true, timeSaid: false };
}

const US = chrono.casual;
const GB = chrono.en.GB;

function chronoFor(locale: string | undefined): chrono.Chrono {
  return locale && /^en-(?!US|CA|PH)/i.test(locale) ? GB : US;
}

const B = `(?:^|(?<=[\\s,(]))`;
const E = `(?=$|[\\s,.;:!?)])`;
const DAY_ORD = `(\\d{1,2})(?:st|nd|rd|th)|(first|second|third|last)`;

/** Phrases chrono does not read the way people mean them. */
function ownPhrases(scan: Scan, now: Wall): void {
  const rules: Array<[RegExp, (m: RegExpExecArray) => When | null]> = [
    [
      new RegExp(
        `${B}(?:by |at |before )?(?:the )?(?:end of (?:the )?(?:day|business|work ?day)|eod|cob|eob)${E}`,
        'g',
      ),
      () => ({ hour: 17, minute: 0, dateSaid: false, timeSaid: true }),
    ],
    [
      new RegExp(`${B}(?:by |at |before )?(?:the )?end of (?:the |this )?week${E}`, 'g'),
      () => {
        const t = addDays(now.y, now.m, now.d, (4 - now.wd + 7) % 7);
        return { ...dateOnly(t.y, t.m, t.d), hour: 17, minute: 0, timeSaid: true };
      },
    ],
    [
      new RegExp(`${B}(?:by |at |before )?(?:the )?end of (?:the |this )?month${E}`, 'g'),
      () => ({
        ...dateOnly(now.y, now.m, daysInMonth(now.y, now.m)),
        hour: 17,
        minute: 0,
        timeSaid: true,
      }),
    ],
    [
      new RegExp(
        `${B}(?:(?:sometime |some time )?(?:next|nxt) week|(?:early|beginning of|start of) next week)${E}`,
        'g',
      ),
      () => {
        const t = addDays(now.y, now.m, now.d, 7 - now.wd);
        return dateOnly(t.y, t.m, t.d);
      },
    ],
    [
      new RegExp(
        `${B}(?:(?:on |over |during )?(this|next|the) weekend|(?:on |over )?weekend)${E}`,
        'g',
      ),
      (m) => {
        // "this weekend" on a Saturday or Sunday is today; "the weekend" is the coming one.
        if (m[1] === 'this' && now.wd >= 5) return dateOnly(now.y, now.m, now.d);
        let ahead = (5 - now.wd + 7) % 7 || 7;
        if (m[1] === 'next' && now.wd < 5) ahead += 7;
        const t = addDays(now.y, now.m, now.d, ahead);
        return dateOnly(t.y, t.m, t.d);
      },
    ],
    [
      // "the 1st of next month", "on the 15th", "the last day of the month"
      new RegExp(
        `${B}(?:on |by |before )?the (?:${DAY_ORD})(?: day)?(?: of (the|this|next) month)?${E}`,
        'g',
      ),
      (m) => {
        const word = m[1] ?? m[2]!;
        const wantLast = word === 'last';
        const n = wantLast ? 0 : ordinalNumber(word);
        if (!wantLast && (!Number.isFinite(n) || n < 1 || n > 31)) return null;
        // "the second one", "the last one": positions, not dates. Words need "of the month".
        if (!m[1] && !m[3] && !/\bday\b/.test(m[0])) return null;
        let { y, m: mo } = now;
        const dayIn = (yy: number, mm: number) =>
          wantLast ? daysInMonth(yy, mm) : Math.min(n, daysInMonth(yy, mm));
        if (m[3] === 'next' || (m[3] !== 'this' && dayIn(y, mo) < now.d)) {
          mo += 1;
          if (mo > 12) [y, mo] = [y + 1, 1];
        }
        return dateOnly(y, mo, dayIn(y, mo));
      },
    ],
    [
      // "change the time to 4", "make it 5:30"
      /(?<=(?:time|it|that|them) (?:to )?)(\d{1,2})(?::(\d{2}))?\s*(am|pm)?(?=$|[\s,.!?])/g,
      (m) => {
        let hour = Number(m[1]);
        if (hour > 23) return null;
        if (m[3] === 'pm' && hour < 12) hour += 12;
        else if (!m[3] && hour >= 1 && hour <= 7) hour += 12;
        return { hour, minute: Number(m[2] ?? 0), dateSaid: false, timeSaid: true };
      },
    ],
  ];
  for (const [re, build] of rules) {
    scan.each(re, (m) => {
      const value = build(m);
      if (value) scan.take('date', m.index, m.index + m[0].length, value);
    });
  }
}

/** Words chrono reads as dates that are more often something else in a task ("may", "sat"). */
const NOT_DATES =
  /^(may|march|sat|sun|second|now|mar|jan|june|wed|a|the|(the )?last( one)?|first|one|night|morning|evening|afternoon)$/;

function fromChrono(result: chrono.ParsedResult): When {
  const s = result.start;
  const text = result.text.toLowerCase();
  const word = Object.keys(TIME_OF_DAY).find((w) => new RegExp(`\\b${w}\\b`).test(text));
  let hour: number | undefined;
  let minute: number | undefined;
  if (s.isCertain('hour')) {
    hour = s.get('hour') ?? 0;
    minute = s.get('minute') ?? 0;
    // "at 4" means the afternoon; nobody plans a task for 4 in the night without saying so.
    if (!s.isCertain('meridiem') && hour >= 1 && hour <= 7) hour += 12;
  } else if (word) {
    hour = TIME_OF_DAY[word];
    minute = 0;
  }
  const dateSaid =
    s.isCertain('day') ||
    s.isCertain('weekday') ||
    s.isCertain('month') ||
    /\b(today|tomorrow|tonight|this (morning|afternoon|evening))\b/.test(text);
  return {
    year: s.get('year') ?? undefined,
    month: s.get('month') ?? undefined,
    day: s.get('day') ?? undefined,
    ...(hour !== undefined ? { hour, minute } : {}),
    dateSaid,
    timeSaid: hour !== undefined,
  };
}

function reference(ctx: ParseContext) {
  // chrono computes in a fixed offset; giving it the wall clock as UTC keeps every
  // calculation in wall time, and the zone's rules are applied once at the end.
  return { instant: toWallTime(ctx.now, ctx.timeZone), timezone: 0 };
}

export function findDates(scan: Scan, ctx: ParseContext): void {
  const now = wallOf(ctx.now, ctx.timeZone);
  ownPhrases(scan, now);
  weekdays(scan, now);
  const results = chronoFor(ctx.locale).parse(scan.free, reference(ctx), { forwardDate: true });
  for (const r of results) {
    const text = r.text.trim().toLowerCase();
    if (NOT_DATES.test(text)) continue;
    if (/^\d+$/.test(text)) continue;
    // "in 2" inside "buy 2 apples in 2 shops": chrono needs a unit or a clock to be sure.
    scan.take('date', r.index, r.index + r.text.length, fromChrono(r));
  }
}

/**
 * Weekdays by the product's rule: "friday" and "this friday" are the coming Friday, today
 * included; "next friday" is the coming one after today. A time that has passed on today's
 * weekday moves a week on (see resolveDue). chrono's own reading differs from week to week.
 */
function weekdays(scan: Scan, now: Wall): void {
  // "friday night", "monday morning": chrono reads the pair; a weekday alone is ours.
  const pair = /^\s+(?:at |in the )?(?:morning|afternoon|evening|night|noon|\d)/;
  scan.each(
    new RegExp(`${B}(?:on |by |before |this |next |coming |this coming )?(${WD})${E}`, 'g'),
    (m) => {
      if (pair.test(scan.free.slice(m.index + m[0].length))) return;
      const wd = weekdayNumber(m[1]!);
      if (wd === undefined || /^(sat|sun|wed)$/.test(m[0].trim())) return;
      let ahead = (wd - now.wd + 7) % 7;
      if (ahead === 0 && /^next/.test(m[0])) ahead = 7;
      const t = addDays(now.y, now.m, now.d, ahead);
      scan.take('date', m.index, m.index + m[0].length, {
        ...dateOnly(t.y, t.m, t.d),
        weekday: true,
      });
    },
  );
}

/** The end of a series ("until dec 31"): the first date phrase at `from`. */
export function findDateAt(scan: Scan, from: number, ctx: ParseContext): When | null {
  const tail = ' '.repeat(from) + scan.free.slice(from);
  const results = chronoFor(ctx.locale).parse(tail, reference(ctx), { forwardDate: true });
  const r = results.find((x) => tail.slice(from, x.index).trim() === '');
  const own = /^\s*(the )?end of (the |this )?(year|month)/.exec(scan.free.slice(from));
  if (own) {
    const now = wallOf(ctx.now, ctx.timeZone);
    scan.take('date-end', from, from + own[0].length, null);
    return own[3] === 'year'
      ? dateOnly(now.y, 12, 31)
      : dateOnly(now.y, now.m, daysInMonth(now.y, now.m));
  }
  if (!r) return null;
  scan.take('date-end', r.index, r.index + r.text.length, null);
  return fromChrono(r);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function toInstant(
  y: number,
  m: number,
  d: number,
  h: number,
  mi: number,
  timeZone: string,
): Date {
  return fromWallTime(new Date(Date.UTC(y, m - 1, d, h, mi)), timeZone);
}

/**
 * The due moment the phrases mean. A day without a time is 09:00 (today after 09:00: 18:00,
 * then 23:59); a time without a day is today, or tomorrow once it has passed.
 */
export function resolveDue(parts: When[], ctx: ParseContext): Due | null {
  if (!parts.length) return null;
  const dated = parts.find((p) => p.dateSaid);
  const timed = parts.find((p) => p.timeSaid);
  const now = wallOf(ctx.now, ctx.timeZone);
  let y = dated?.year ?? now.y;
  let m = dated?.month ?? now.m;
  let d = dated?.day ?? now.d;
  let instant: Date;
  if (timed) {
    const h = timed.hour!;
    const mi = timed.minute ?? 0;
    instant = toInstant(y, m, d, h, mi, ctx.timeZone);
    if ((!dated || dated.weekday) && instant.getTime() <= ctx.now.getTime()) {
      ({ y, m, d } = addDays(y, m, d, dated ? 7 : 1));
      instant = toInstant(y, m, d, h, mi, ctx.timeZone);
    }
    return {
      iso: instant.toISOString(),
      date: `${y}-${pad(m)}-${pad(d)}`,
      time: `${pad(h)}:${pad(mi)}`,
      ...(dated ? {} : { timeOnly: true }),
    };
  }
  instant = toInstant(y, m, d, DEFAULT_HOUR, 0, ctx.timeZone);
  for (const [h, mi] of [
    [18, 0],
    [23, 59],
  ] as const) {
    if (instant.getTime() > ctx.now.getTime()) break;
    instant = toInstant(y, m, d, h, mi, ctx.timeZone);
  }
  return { iso: instant.toISOString(), date: `${y}-${pad(m)}-${pad(d)}` };
}

export { wallOf, addDays, daysInMonth, MONTHS };
