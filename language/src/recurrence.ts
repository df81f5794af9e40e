import type { RecurrenceFrequency } from '@todo/contracts';
import {
  MONTH,
  MONTHS,
  NUM,
  WD,
  ordinalNumber,
  toNumber,
  weekdayNumber,
  type Scan,
} from './scan.js';

/**
 * Step 2b: repeat rules. The grammar of "every …" phrases; the first occurrence and the
 * end date are worked out later, when the time of day and "now" are known.
 */
export interface RecurrenceFound {
  frequency: RecurrenceFrequency;
  interval: number;
  byWeekday?: number[];
  byMonthday?: number;
  rrule?: string;
  /** "every morning": the time of day the phrase implies. */
  hour?: number;
  /** "every march 3": the day of the year it falls on (month 1–12). */
  yearDay?: { month: number; day: number };
  /** "twice a week": how many days a week, still to be asked. */
  timesPerWeek?: number;
  /** "twice a month": the count above is per month, so the question is which days of it. */
  timesPeriod?: 'week' | 'month';
  /** "every hour", "twice a day": more often than a task can repeat (at most daily). */
  tooFrequent?: boolean;
}

export interface RecurrenceEnd {
  /** "until …": the text of the date, resolved by the date step. */
  untilStart?: number;
  untilText?: string;
  forCount?: { n: number; unit: 'day' | 'week' | 'month' | 'year' };
  times?: number;
}

const EVERY = `(?:every|each|evry|on every)`;
const ORD = `(?:first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)`;
const DAY_ORD = `(?:last|first|second|third|fourth|fifth|\\d{1,2}(?:st|nd|rd|th)?)`;
const RRULE_DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const B = `(?:^|(?<=[\\s,(]))`;
const E = `(?=$|[\\s,.;:!?)])`;

const UNITS: Record<string, RecurrenceFrequency> = {
  day: 'daily',
  week: 'weekly',
  month: 'monthly',
  year: 'yearly',
};

function weekdaysIn(text: string): number[] {
  const days = new Set<number>();
  for (const word of text.split(/[\s,&/]+|\band\b/)) {
    const d = weekdayNumber(word.trim());
    if (d !== undefined) days.add(d);
  }
  return [...days].sort((a, b) => a - b);
}

const TIME_WORDS: Record<string, number> = {
  morning: 9,
  afternoon: 15,
  evening: 18,
  night: 20,
};

const WD_LIST = `${WD}s?(?:(?:\\s*,\\s*|\\s*/\\s*|\\s+and\\s+|\\s*&\\s*|\\s+)(?:on\\s+)?${WD}s?)*`;

type Rule = [RegExp, (m: RegExpExecArray) => RecurrenceFound | null];

const RULES: Rule[] = [
  // "every hour", "every 30 minutes", "hourly", "twice a day": tasks repeat at most daily
  // (the recurrence contract refuses anything more frequent), so this is read, then refused.
  [
    new RegExp(
      `${B}(?:${EVERY} (?:(?:other|${NUM}|few|couple of|couple|half an?) )?(?:hour|hr|minute|min)s?|hourly|(?:twice|two times|2 times|2 ?x|three times|3 times|3 ?x|thrice|four times|4 times|4 ?x|${NUM} times|a couple of times|a couple times|couple of times|a few times|few times|several times|many times) (?:a|per|each|every) day|twice daily)${E}`,
      'g',
    ),
    () => ({ frequency: 'daily', interval: 1, tooFrequent: true }),
  ],
  // "twice a week", "twice a month" — ask which days.
  [
    new RegExp(
      `${B}(?:once or )?(twice|two times|2 times|2 ?x|three times|3 times|3 ?x|thrice|four times|4 times|4 ?x|[2-5] ?(?:-|to|or) ?[3-6] times|(?:two|three|four) (?:to|or) (?:three|four|five) times|a couple of times|a couple times|couple of times|couple times|a few times|few times|several times|(?:two|2|three|3|four|4|five|5|a few|a couple of) days) (?:(?:a|per|each|every|in a) (week|wk|month|mo)|(weekly|monthly))${E}|${B}(2|3|4) ?x ?/ ?(week|wk|month|mo)${E}`,
      'g',
    ),
    (m) => ({
      frequency: /^mo/.test(m[2] ?? m[3] ?? m[5]!) ? 'monthly' : 'weekly',
      interval: 1,
      timesPeriod: /^mo/.test(m[2] ?? m[3] ?? m[5]!) ? 'month' : 'week',
      timesPerWeek: /two|twice|2|couple/.test(m[1] ?? m[4]!)
        ? 2
        : /four|4/.test(m[1] ?? m[4]!)
          ? 4
          : /five|5/.test(m[1] ?? m[4]!)
            ? 5
            : 3,
    }),
  ],
  // "every week twice", "each month 3 times": the count said after the period.
  [
    new RegExp(
      `${B}(?:${EVERY}|a|per) (week|wk|month)(?: ,)? (twice|two times|2 times|2 ?x|three times|3 times|3 ?x|thrice|four times|4 times|4 ?x)${E}`,
      'g',
    ),
    (m) => {
      const month = m[1] === 'month';
      const count = /two|twice|2/.test(m[2]!) ? 2 : /four|4/.test(m[2]!) ? 4 : 3;
      return {
        frequency: month ? 'monthly' : 'weekly',
        interval: 1,
        timesPeriod: month ? 'month' : 'week',
        timesPerWeek: count,
      };
    },
  ],
  // "the second tuesday of every month", "every last friday of the month"
  [
    new RegExp(
      `${B}(?:on )?(?:${EVERY} )?(?:the )?(${ORD}) (${WD}) (?:of|in) (?:every|each|the|a) month${E}|${B}(?:monthly|${EVERY} month) on the (${ORD}) (${WD})${E}|${B}${EVERY} (first|last|1st) (${WD})${E}`,
      'g',
    ),
    (m) => {
      const n = ordinalNumber(m[1] ?? m[3] ?? m[5]!);
      const day = weekdayNumber(m[2] ?? m[4] ?? m[6]!);
      if (day === undefined || !Number.isFinite(n)) return null;
      return {
        frequency: 'custom',
        interval: 1,
        rrule: `FREQ=MONTHLY;BYDAY=${n > 0 ? `+${n}` : n}${RRULE_DAYS[day]}`,
      };
    },
  ],
  // "on the last day of every month", "the 1st of each month", "every month on the 15th"
  [
    new RegExp(
      `${B}(?:on )?(?:the )?(${DAY_ORD})(?: day)? of (?:every|each) month${E}|${B}(?:${EVERY} month|monthly)(?: on)? (?:the )?(${DAY_ORD})(?: day)?(?: of the month)?${E}|${B}${EVERY} (\\d{1,2}(?:st|nd|rd|th)|last day)(?! days?\\b)(?: of the month)?${E}(?! ${WD}\\b)`,
      'g',
    ),
    (m) => {
      const raw = (m[1] ?? m[2] ?? m[3]!).replace(/ day$/, '');
      const n = ordinalNumber(raw);
      if (!Number.isFinite(n) || n === 0 || n > 31 || (n < 0 && raw !== 'last')) return null;
      return { frequency: 'monthly', interval: 1, byMonthday: n };
    },
  ],
  // "every year on march 3", "every march 3rd", "yearly on 3 dec", "annually on dec 25"
  [
    new RegExp(
      `${B}(?:(?:${EVERY} year|yearly|annually) on (?:the )?|${EVERY} )(?:(${MONTH}) (\\d{1,2})(?:st|nd|rd|th)?|(\\d{1,2})(?:st|nd|rd|th)? (?:of )?(${MONTH}))${E}`,
      'g',
    ),
    (m) => {
      const monthWord = (m[1] ?? m[4]!).slice(0, 3);
      const day = Number(m[2] ?? m[3]);
      return {
        frequency: 'yearly',
        interval: 1,
        yearDay: { month: MONTHS.indexOf(monthWord) + 1, day },
      };
    },
  ],
  // "every other monday", "every 2 weeks on friday", "every other week on tue and thu"
  [
    new RegExp(
      `${B}(?:${EVERY} (other|${NUM}|second|third|2nd|3rd) (?:weeks? )?(?:on )?|biweekly on |fortnightly on )(${WD_LIST})${E}`,
      'g',
    ),
    (m) => {
      const days = weekdaysIn(m[2]!);
      if (!days.length) return null;
      const n =
        m[1] === undefined
          ? 2
          : m[1] === 'other' || m[1] === 'second' || m[1] === '2nd'
            ? 2
            : m[1] === 'third' || m[1] === '3rd'
              ? 3
              : toNumber(m[1]);
      return { frequency: 'weekly', interval: n, byWeekday: days };
    },
  ],
  // "mon-fri", "monday to friday", "every day except sunday", "every other weekend"
  [
    new RegExp(
      `${B}(?:every |each |on )?(${WD}) ?(?:-|–|to|thru|through|till|until) ?(${WD})(?: every week)?${E}|${B}${EVERY} day (?:except|but not|apart from) (${WD_LIST})${E}|${B}${EVERY} (other|second) weekend${E}`,
      'g',
    ),
    (m) => {
      if (m[5]) return { frequency: 'weekly', interval: 2, byWeekday: [5, 6] };
      if (m[3]) {
        const skip = weekdaysIn(m[3]);
        const days = [0, 1, 2, 3, 4, 5, 6].filter((d) => !skip.includes(d));
        return days.length ? { frequency: 'weekly', interval: 1, byWeekday: days } : null;
      }
      const from = weekdayNumber(m[1]!);
      const to = weekdayNumber(m[2]!);
      if (from === undefined || to === undefined || to <= from) return null;
      const days = Array.from({ length: to - from + 1 }, (_, i) => from + i);
      return { frequency: 'weekly', interval: 1, byWeekday: days };
    },
  ],
  // "every weekday", "on weekdays", "every weekend", "weekends"
  [
    new RegExp(
      `${B}(?:${EVERY} |on |during )?(?:the )?(weekday|weekdays|workday|workdays|work day|work days|business day|business days|weekend|weekends)(?: (morning|afternoon|evening|night)s?)?${E}`,
      'g',
    ),
    (m) => {
      const explicit = /^(every|each|evry|on|during)/.test(m[0]) || m[1]!.endsWith('s');
      if (!explicit) return null;
      const weekend = m[1]!.startsWith('weekend');
      return {
        frequency: 'weekly',
        interval: 1,
        byWeekday: weekend ? [5, 6] : [0, 1, 2, 3, 4],
        ...(m[2] ? { hour: TIME_WORDS[m[2]] } : {}),
      };
    },
  ],
  // "every monday and thursday", "each tue/thu", "every mon wed fri morning"
  [
    new RegExp(`${B}${EVERY} (${WD_LIST})(?: (morning|afternoon|evening|night)s?)?${E}`, 'g'),
    (m) => {
      const days = weekdaysIn(m[1]!);
      if (!days.length) return null;
      return {
        frequency: 'weekly',
        interval: 1,
        byWeekday: days,
        ...(m[2] ? { hour: TIME_WORDS[m[2]] } : {}),
      };
    },
  ],
  // "weekly on mondays", "every week on tue and thu"
  [
    new RegExp(`${B}(?:weekly|${EVERY} week) on (${WD_LIST})${E}`, 'g'),
    (m) => {
      const days = weekdaysIn(m[1]!);
      return days.length ? { frequency: 'weekly', interval: 1, byWeekday: days } : null;
    },
  ],
  // "on mondays and wednesdays", "mondays" — a plural weekday repeats.
  [
    new RegExp(
      `${B}(?:on )?((?:mon|tues|wednes|thurs|fri|satur|sun)days(?:(?:\\s*,\\s*|\\s+and\\s+|\\s*&\\s*|\\s*/\\s*)(?:on )?(?:mon|tues|wednes|thurs|fri|satur|sun)days?)*)${E}`,
      'g',
    ),
    (m) => {
      const days = weekdaysIn(m[1]!);
      return days.length ? { frequency: 'weekly', interval: 1, byWeekday: days } : null;
    },
  ],
  // "every morning", "every night", "nightly"
  [
    new RegExp(`${B}(?:${EVERY} (morning|afternoon|evening|night)|(nightly))${E}`, 'g'),
    (m) => ({ frequency: 'daily', interval: 1, hour: TIME_WORDS[m[1] ?? 'night'] }),
  ],
  // "every 3 days", "every other week", "each month", "every day"
  [
    new RegExp(
      `${B}${EVERY} (?:(other|${NUM}|second|third|2nd|3rd|couple of|couple) )?(day|week|month|year)s?${E}`,
      'g',
    ),
    (m) => {
      const n =
        m[1] === undefined
          ? 1
          : m[1] === 'other' || m[1] === 'second' || m[1] === '2nd' || m[1].startsWith('couple')
            ? 2
            : m[1] === 'third' || m[1] === '3rd'
              ? 3
              : toNumber(m[1]);
      if (!Number.isFinite(n) || n < 1) return null;
      return { frequency: UNITS[m[2]!]!, interval: n };
    },
  ],
  [
    new RegExp(
      `${B}(daily|weekly|monthly|yearly|annually|biweekly|fortnightly|every fortnight|bi-weekly|every quarter|each quarter)${E}`,
      'g',
    ),
    (m) => {
      const word = m[1]!;
      if (/bi-?weekly|fortnight/.test(word)) return { frequency: 'weekly', interval: 2 };
      if (/quarter/.test(word)) return { frequency: 'monthly', interval: 3 };
      const frequency = (word === 'annually' ? 'yearly' : word) as RecurrenceFrequency;
      return { frequency, interval: 1 };
    },
  ],
];

export function findRecurrence(scan: Scan): void {
  for (const [re, build] of RULES) {
    scan.each(re, (m) => {
      if (scan.get('recurrence')) return;
      const value = build(m);
      if (value) scan.take('recurrence', m.index, m.index + m[0].length, value);
    });
    if (scan.get('recurrence')) break;
  }
  const found = scan.get('recurrence') as { value: RecurrenceFound } | undefined;
  if (!found) return;
  // "twice a week on mon and thu": the days are named, so there is nothing to ask.
  if (found.value.timesPerWeek) {
    const days = scan.first(
      new RegExp(
        `${B}(?:on )?((?:mon|tues|wednes|thurs|fri|satur|sun)days|${WD}s?)(?:(?:\\s*,\\s*|\\s+and\\s+|\\s*&\\s*|\\s*/\\s*|\\s+)(?:on )?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days|${WD}s?))+${E}`,
        'g',
      ),
    );
    const list = days ? weekdaysIn(days[0].replace(/^on /, '')) : [];
    if (days && list.length >= 2) {
      scan.take('recurrence', days.index, days.index + days[0].length, null);
      found.value = { frequency: 'weekly', interval: 1, byWeekday: list };
    }
  }
  findEnd(scan);
  findAnchor(scan);
}

function findEnd(scan: Scan): void {
  const times = scan.first(
    new RegExp(
      `${B}(?:for |and stop after |stop after |only )?(${NUM}) (?:times|occurrences|sessions)${E}|${B}(?:x ?(\\d{1,3})|(\\d{1,3}) ?x)${E}`,
      'g',
    ),
  );
  if (times) {
    scan.take('recurrence-end', times.index, times.index + times[0].length, {
      times: toNumber(times[1] ?? times[2] ?? times[3]!),
    } satisfies RecurrenceEnd);
    return;
  }
  const span = scan.first(
    new RegExp(`${B}for (?:the next )?(${NUM}) (day|week|month|year)s?${E}`, 'g'),
  );
  if (span) {
    scan.take('recurrence-end', span.index, span.index + span[0].length, {
      forCount: { n: toNumber(span[1]!), unit: span[2] as 'day' },
    } satisfies RecurrenceEnd);
    return;
  }
  const until = scan.first(
    new RegExp(`${B}(?:until|through|ending|ends|ending on|up to|stop on|stopping)\\s+`, 'g'),
  );
  if (until) {
    scan.take('recurrence-end', until.index, until.index + until[0].length, {
      untilStart: until.index + until[0].length,
    } satisfies RecurrenceEnd);
  }
}

function findAnchor(scan: Scan): void {
  const m = scan.first(
    /(?:^|(?<=\s))(?:counting )?(?:after|from) (?:i |you )?(?:finish(?:ing)?|complete|completing|completion|do(?:ing)?|done|mark(?:ing)? it done|check(?:ing)? it off)(?: it| that| each one| the last one)?(?=$|[\s,.])|(?:^|(?<=\s))(?:after|from) (?:each |the last )?completion(?=$|[\s,.])/g,
  );
  if (m) scan.take('recurrence-anchor', m.index, m.index + m[0].length, 'completion');
}
