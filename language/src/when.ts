import * as chrono from 'chrono-node';
// The subpath has no joi and no rrule: only what the browser needs.
import { fromWallTime, toWallTime } from '@todo/contracts/time';
import type { Due, ParseContext } from './types.js';
import { MONTHS, NUMBER_WORDS, WD, ordinalNumber, weekdayNumber, type Scan } from './scan.js';

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
  /** "10pm", "22:00": the half of the day was said, so "every night at 10" may not move it. */
  meridiem?: boolean;
  /** Elapsed time from now ("in 3 hours"): the exact instant, which a wall time may not name. */
  instant?: number;
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
/** After a bare hour: the end, a pause or a day word, never a noun ("about 5 ideas", "by 5 copies"). */
const HOUR_END = `(?=\\s*(?:$|[,.;:!?)]|(?:today|tonight|tomorrow|on|this|next|every|mon|tue|wed|thu|fri|sat|sun|pls|please)))`;
const DAY_ORD = `(\\d{1,2})(?:st|nd|rd|th)|(first|second|third|last)`;
const CLOCK_WORD = `\\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve`;
const CLOCK_WORDS = [
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
];
function clockHour(word: string): number {
  const i = CLOCK_WORDS.indexOf(word);
  return i >= 0 ? i + 1 : Number(word);
}
export const HOLIDAY = `christmas eve|christmas day|christmas|xmas|new year's eve|new years eve|nye|new year's day|new years day|new year's|new years|new year`;
/** The next such day that is not in the past (today counts). */
export function holiday(name: string, now: Wall): When {
  const [m, d] = /eve|nye/.test(name)
    ? /christmas|xmas/.test(name)
      ? [12, 24]
      : [12, 31]
    : /christmas|xmas/.test(name)
      ? [12, 25]
      : [1, 1];
  const past = now.m > m || (now.m === m && now.d > d);
  return dateOnly(now.y + (past || (m === 1 && (now.m > 1 || now.d > 1)) ? 1 : 0), m, d);
}

/** Phrases chrono does not read the way people mean them. */
function ownPhrases(scan: Scan, now: Wall): void {
  const rules: Array<[RegExp, (m: RegExpExecArray) => When | null]> = [
    [
      // "after lunch": the hour after the one lunch means (ADR 300).
      new RegExp(`${B}(?:just )?after lunch(?:time)?${E}`, 'g'),
      () => ({ hour: 13, minute: 0, dateSaid: false, timeSaid: true }),
    ],
    [
      // "today by 5": a deadline hour, read like "at 5" (chrono reads only "by 5pm").
      new RegExp(
        `${B}by (\\d{1,2})(?::(\\d{2}))?(?! ?(?:am|pm|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|percent|%|x|st|nd|rd|th)\\b)${HOUR_END}`,
        'g',
      ),
      (m) => {
        let hour = Number(m[1]);
        const minute = Number(m[2] ?? 0);
        if (hour > 23 || minute > 59) return null;
        if (hour >= 1 && hour <= 7) hour += 12;
        return { hour, minute, dateSaid: false, timeSaid: true };
      },
    ],
    [
      // "around 6", "at about 4:30", "6ish": a hedged time is still the time.
      new RegExp(
        `${B}(?:at )?(?:around|about|roughly|approx|approximately|like) (\\d{1,2})(?::(\\d{2}))?(?:\\s*(am|pm)${E}|${HOUR_END})|${B}(?:at )?(\\d{1,2})(?::(\\d{2}))?\\s*(am|pm)?-?ish${E}`,
        'g',
      ),
      (m) => {
        let hour = Number(m[1] ?? m[4]);
        const minute = Number(m[2] ?? m[5] ?? 0);
        const half = m[3] ?? m[6];
        if (hour > 23 || minute > 59) return null;
        if (half === 'pm' && hour < 12) hour += 12;
        else if (half === 'am' && hour === 12) hour = 0;
        else if (!half && hour >= 1 && hour <= 7) hour += 12;
        return { hour, minute, dateSaid: false, timeSaid: true, meridiem: !!half };
      },
    ],
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
        // A day, not a time: it gets the default time like any other day ("by friday").
        const t = addDays(now.y, now.m, now.d, (4 - now.wd + 7) % 7);
        return dateOnly(t.y, t.m, t.d);
      },
    ],
    [
      new RegExp(`${B}(?:by |at |before )?(?:the )?end of (?:the |this )?month${E}`, 'g'),
      () => dateOnly(now.y, now.m, daysInMonth(now.y, now.m)),
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
        // "delete the 2nd one", "the 3rd item": a position in a list.
        if (!m[3] && /^\s+(?:one|task|item|entry)\b/.test(m.input.slice(m.index + m[0].length)))
          return null;
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
      // British clock talk: "half past 8", "quarter to 5", "half 4" (= half past 4).
      new RegExp(
        `${B}(?:at |by |around |about )?(?:(half|quarter) (past|after|to) |(half) )(${CLOCK_WORD})(?: ?(am|pm|o'clock))?${E}`,
        'g',
      ),
      (m) => {
        let hour = clockHour(m[4]!);
        if (!Number.isFinite(hour) || hour < 1 || hour > 12) return null;
        let minute = m[1] === 'quarter' ? 15 : 30;
        if (m[2] === 'to') [hour, minute] = [hour === 1 ? 12 : hour - 1, 45];
        const meridiem = m[5] === 'am' || m[5] === 'pm';
        if (m[5] === 'pm' && hour < 12) hour += 12;
        else if (!meridiem && hour >= 1 && hour <= 7) hour += 12;
        return { hour, minute, dateSaid: false, timeSaid: true, meridiem };
      },
    ],
    [
      // "in the morning", "in the evening": the hour the word means, on whatever day is said.
      new RegExp(`${B}in the (morning|afternoon|evening)${E}`, 'g'),
      (m) => ({ hour: TIME_OF_DAY[m[1]!]!, minute: 0, dateSaid: false, timeSaid: true }),
    ],
    [
      // "in a fortnight", "in 2 fortnights": chrono has no word for fourteen days.
      new RegExp(`${B}(?:in )?(a|one|two|three|\\d) fortnights?(?: from now| time)?${E}`, 'g'),
      (m) => {
        const n =
          ({ a: 1, one: 1, two: 2, three: 3 } as Record<string, number>)[m[1]!] ?? Number(m[1]);
        const t = addDays(now.y, now.m, now.d, 14 * n);
        return dateOnly(t.y, t.m, t.d);
      },
    ],
    [
      // Named days people plan around: "until christmas", "by new year's eve".
      // Bare, the name is usually part of the title ("send xmas cards").
      new RegExp(`${B}(?:on |by |before |until )(${HOLIDAY})${E}`, 'g'),
      (m) => holiday(m[1]!, now),
    ],
    [
      // "change the time to 4", "make it 5:30"
      /(?<=(?:time|it|that|them) (?:to )?)(\d{1,2})(?::(\d{2}))?\s*(am|pm)?(?=$|[\s,.!?])/g,
      (m) => {
        let hour = Number(m[1]);
        if (hour > 23) return null;
        if (m[3] === 'pm' && hour < 12) hour += 12;
        else if (!m[3] && hour >= 1 && hour <= 7) hour += 12;
        return {
          hour,
          minute: Number(m[2] ?? 0),
          dateSaid: false,
          timeSaid: true,
          meridiem: !!m[3],
        };
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
  const meridiem = s.isCertain('meridiem') || (s.get('hour') ?? 0) > 12;
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
    ...(hour !== undefined && meridiem ? { meridiem: true } : {}),
  };
}

function reference(ctx: ParseContext) {
  // chrono computes in a fixed offset; giving it the wall clock as UTC keeps every
  // calculation in wall time, and the zone's rules are applied once at the end.
  return { instant: toWallTime(ctx.now, ctx.timeZone), timezone: 0 };
}

/** Words that may stand before "evening" in a date phrase ("friday evening", "this evening"). */
const DATE_LEAD =
  /^(?:this|the|in|on|at|by|from|until|tomorrow|tonight|today|every|each|of|for|before|after|next|late|early|mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:r|rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)$/;

export function findDates(scan: Scan, ctx: ParseContext): void {
  const now = wallOf(ctx.now, ctx.timeZone);
  ownPhrases(scan, now);
  elapsed(scan, ctx);
  weekdays(scan, now);
  const chronoOf = chronoFor(ctx.locale);
  const results = chronoOf.parse(scan.free, reference(ctx), { forwardDate: true });
  for (let r of results) {
    // "parents evening 15 december", "movie night friday": a time-of-day word right after a
    // plain word names the thing (a title), not the time; the date is read from what follows.
    const tod = /^(morning|afternoon|evening|night)\b\s*/.exec(r.text.toLowerCase());
    const before = /([\p{L}']+)\s+$/u.exec(scan.free.slice(0, r.index));
    if (tod && before && !DATE_LEAD.test(before[1]!)) {
      const skip = tod[0].length;
      const again = chronoOf
        .parse(' '.repeat(r.index + skip) + scan.free.slice(r.index + skip), reference(ctx), {
          forwardDate: true,
        })
        .find((x) => x.index === r.index + skip);
      if (!again) continue;
      r = again;
    }
    const text = r.text.trim().toLowerCase();
    if (NOT_DATES.test(text)) continue;
    if (/^\d+$/.test(text)) continue;
    // "in 2" inside "buy 2 apples in 2 shops": chrono needs a unit or a clock to be sure.
    const value = fromChrono(r);
    let end = r.index + r.text.length;
    // "10.15 tomorrow morning": a time-of-day word after a phrase with a clock time belongs to
    // it (and says which half of the day an unqualified "at 8 tomorrow evening" means).
    const after = /^\s+(?:in the )?(morning|afternoon|evening|night)\b/.exec(scan.free.slice(end));
    if (after && value.timeSaid && r.start.isCertain('hour')) {
      if (!value.meridiem && after[1] !== 'morning' && value.hour! < 12) value.hour! += 12;
      if (after[1] === 'morning' && !value.meridiem && value.hour! >= 12 && value.hour! < 20)
        value.hour! -= 12;
      end += after[0].length;
    }
    scan.take('date', r.index, end, value);
  }
}

/**
 * "in 3 hours", "in 20 minutes": elapsed time, added to the instant (across a clock change
 * too), not to the wall clock.
 */
function elapsed(scan: Scan, ctx: ParseContext): void {
  scan.each(
    new RegExp(
      `${B}(?:in|within) (an?|one|two|three|four|five|six|ten|fifteen|twenty|thirty|forty-five|\\d+|half an) (minutes?|hours?)${E}`,
      'g',
    ),
    (m) => {
      // The pattern admits only these words, plus "half an" (half an hour).
      const words: Record<string, number> = { ...NUMBER_WORDS, 'half an': 0.5 };
      const n = words[m[1]!] ?? Number(m[1]);
      const ms = n * (m[2]!.startsWith('h') ? 3_600_000 : 60_000);
      const w = wallOf(new Date(ctx.now.getTime() + ms), ctx.timeZone);
      scan.take('date', m.index, m.index + m[0].length, {
        year: w.y,
        month: w.m,
        day: w.d,
        hour: w.h,
        minute: w.mi,
        dateSaid: true,
        timeSaid: true,
        meridiem: true,
        instant: ctx.now.getTime() + ms,
      } satisfies When);
    },
  );
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
  const named = new RegExp(`^\\s*(${HOLIDAY})${E}`).exec(scan.free.slice(from));
  if (named) {
    scan.take('date-end', from, from + named[0].length, null);
    return holiday(named[1]!, wallOf(ctx.now, ctx.timeZone));
  }
  // "until the 15th": the next such day of a month (this month's when it is still ahead).
  const nth = /^\s*(?:the )?(\d{1,2})(?:st|nd|rd|th)(?! (?:of|in)\b)(?=$|[\s,.;:!?)])/.exec(
    scan.free.slice(from),
  );
  if (nth && Number(nth[1]) >= 1 && Number(nth[1]) <= 31) {
    const now = wallOf(ctx.now, ctx.timeZone);
    const day = Number(nth[1]);
    let [y, m] = [now.y, now.m];
    while (day <= (y === now.y && m === now.m ? now.d : 0) || day > daysInMonth(y, m))
      [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
    scan.take('date-end', from, from + nth[0].length, null);
    return dateOnly(y, m, day);
  }
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
    instant =
      timed.instant !== undefined && (!dated || dated === timed)
        ? new Date(timed.instant)
        : toInstant(y, m, d, h, mi, ctx.timeZone);
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
