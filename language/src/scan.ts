import type { Normalised } from './text.js';
import { mask } from './text.js';

/** One thing found in the text, by its span in the normalised text. */
export interface Found<T = unknown> {
  kind: string;
  start: number;
  end: number;
  value: T;
}

/**
 * The working state of one parse: the normalised text, a copy in which everything already
 * recognised is blanked out (`free`), and what was found. Each step of the pipeline reads
 * `free`, so no two entities claim the same words.
 */
export class Scan {
  free: string;
  readonly found: Found[] = [];

  constructor(readonly n: Normalised) {
    this.free = n.text;
  }

  take<T>(kind: string, start: number, end: number, value: T): Found<T> {
    // Blank the span; a leading or trailing space of a match is not part of the entity.
    while (start < end && this.free[start] === ' ') start++;
    while (end > start && this.free[end - 1] === ' ') end--;
    const found = { kind, start, end, value };
    this.found.push(found);
    this.free = mask(this.free, start, end);
    return found;
  }

  /** Every match of `re` (global, on `free`); `fn` returns the value or null to skip. */
  each(re: RegExp, fn: (m: RegExpExecArray) => boolean | void): void {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(this.free))) {
      const before = this.free;
      fn(m);
      if (this.free === before && m[0].length === 0) re.lastIndex++;
    }
  }

  /** The first match of `re` on `free`. */
  first(re: RegExp): RegExpExecArray | null {
    re.lastIndex = 0;
    return re.exec(this.free);
  }

  get(kind: string): Found | undefined {
    return this.found.find((f) => f.kind === kind);
  }
}

export const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  forty: 40,
  'forty-five': 45,
  fortyfive: 45,
  sixty: 60,
  ninety: 90,
};

export const NUM = `(?:\\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|forty-five|sixty|ninety)`;

export function toNumber(word: string): number {
  return /^\d+$/.test(word) ? Number(word) : (NUMBER_WORDS[word] ?? NaN);
}

export const WEEKDAYS: Array<[RegExp, number]> = [
  [/^mon(day)?s?$/, 0],
  [/^tue(s|sday)?s?$/, 1],
  [/^wed(nesday)?s?$/, 2],
  [/^thu(r|rs|rsday)?s?$/, 3],
  [/^fri(day)?s?$/, 4],
  [/^sat(urday)?s?$/, 5],
  [/^sun(day)?s?$/, 6],
];
export const WD = `(?:mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:r|rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)`;

export function weekdayNumber(word: string): number | undefined {
  return WEEKDAYS.find(([re]) => re.test(word))?.[1];
}

export const MONTHS = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
];
export const MONTH = `(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`;

export const ORDINALS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  last: -1,
};

/** "1st", "2", "second", "last" → 1, 2, 2, -1. */
export function ordinalNumber(word: string): number {
  const n = ORDINALS[word];
  if (n !== undefined) return n;
  return Number(word.replace(/(st|nd|rd|th)$/, ''));
}
