/** Small text helpers shared by the interpreter's parsers. */

const NUMBER_WORDS: Record<string, number> = {
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
  'forty-five': 45,
  fortyfive: 45,
  half: 0.5,
};

export const NUMBER_PATTERN = `(\\d+|${Object.keys(NUMBER_WORDS).join('|')})`;

export function parseNumber(word: string): number | null {
  const n = /^\d+$/.test(word) ? Number(word) : NUMBER_WORDS[word.toLowerCase()];
  return n === undefined || Number.isNaN(n) ? null : n;
}

const ORDINALS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  '1st': 1,
  '2nd': 2,
  '3rd': 3,
  '4th': 4,
  '5th': 5,
  '6th': 6,
  '7th': 7,
  '8th': 8,
  '9th': 9,
  '10th': 10,
  last: -1,
};

export const ORDINAL_PATTERN = `(${Object.keys(ORDINALS).join('|')})`;

export const parseOrdinal = (word: string): number | null => ORDINALS[word.toLowerCase()] ?? null;

/** Collapses whitespace and trims quotes and trailing punctuation. */
export function clean(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/^[\s"'“”‘’:;,\-–—]+|[\s"'“”‘’.!?,;:]+$/g, '')
    .trim();
}

/** Removes `[start, end)` from `text`. */
export const cut = (text: string, start: number, end: number): string =>
  `${text.slice(0, start)} ${text.slice(end)}`;

/** Damerau–Levenshtein distance (optimal string alignment), for typo tolerance. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...Array<number>(b.length).fill(0),
  ]);
  for (let j = 0; j <= b.length; j += 1) d[0]![j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}
