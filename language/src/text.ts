/**
 * Step 1 of the pipeline: a lower-case, typo-corrected copy of the input that remembers where
 * each of its characters came from, so every entity found in it maps back to a span of what
 * the user typed (the quick-add box draws chips on those spans; the title is cut from them).
 */

/** Common misspellings and shorthands, word for word. Kept short: only what people type. */
const TYPOS: Record<string, string> = {
  tomorow: 'tomorrow',
  tommorow: 'tomorrow',
  tommorrow: 'tomorrow',
  tomorrw: 'tomorrow',
  tomrrow: 'tomorrow',
  tmrw: 'tomorrow',
  tmr: 'tomorrow',
  tmw: 'tomorrow',
  '2moro': 'tomorrow',
  '2morrow': 'tomorrow',
  tonite: 'tonight',
  '2nite': 'tonight',
  wknd: 'weekend',
  wkend: 'weekend',
  l8r: 'later',
  todays: "today's",
  tomorrows: "tomorrow's",
  tmrws: "tomorrow's",
  tdy: 'today',
  todya: 'today',
  evry: 'every',
  evrey: 'every',
  eveyr: 'every',
  everyday: 'every day',
  mondy: 'monday',
  monady: 'monday',
  tuesdy: 'tuesday',
  teusday: 'tuesday',
  wednsday: 'wednesday',
  wensday: 'wednesday',
  wendsday: 'wednesday',
  wednesdy: 'wednesday',
  weds: 'wed',
  thrusday: 'thursday',
  thursdy: 'thursday',
  thurday: 'thursday',
  firday: 'friday',
  fridy: 'friday',
  friady: 'friday',
  satuday: 'saturday',
  saturdy: 'saturday',
  sunady: 'sunday',
  sundy: 'sunday',
  mornin: 'morning',
  morn: 'morning',
  mornign: 'morning',
  evenign: 'evening',
  afternon: 'afternoon',
  remnd: 'remind',
  remid: 'remind',
  reminde: 'remind',
  rmind: 'remind',
  remindr: 'reminder',
  prio: 'priority',
  priorty: 'priority',
  priortiy: 'priority',
  prioirty: 'priority',
  hrs: 'hours',
  hr: 'hour',
  mins: 'minutes',
  min: 'minutes',
  b4: 'before',
  befor: 'before',
  nxt: 'next',
  wk: 'week',
  wks: 'weeks',
  mnth: 'month',
  untill: 'until',
  til: 'until',
  till: 'until',
  thru: 'through',
  deleet: 'delete',
  delte: 'delete',
  compelte: 'complete',
  complet: 'complete',
  remvoe: 'remove',
  resechedule: 'reschedule',
  reshedule: 'reschedule',
  postpone: 'postpone',
  postpne: 'postpone',
  urgnet: 'urgent',
  importnat: 'important',
  whats: "what's",
  wats: "what's",
  im: "i'm",
  dont: "don't",
  didnt: "didn't",
  doesnt: "doesn't",
  isnt: "isn't",
  cant: "can't",
  thats: "that's",
  // Chat shorthand for the bot: "what can u do", "r u a robot".
  u: 'you',
  r: 'are',
  ur: 'your',
  thx: 'thanks',
  tnx: 'thanks',
  thankyou: 'thank you',
  thanku: 'thank you',
  thanx: 'thanks',
  pls: 'please',
  plz: 'please',
  '@': 'at',
};

export interface Normalised {
  /** What the user typed. */
  original: string;
  /** Lower case, typos fixed, curly quotes straightened. */
  text: string;
  /** For each character of `text` (and one past the end), its offset in `original`. */
  origin: number[];
}

export function normalise(original: string): Normalised {
  let text = '';
  const origin: number[] = [];
  const re = /[\p{L}\p{N}@'’]+|[^\p{L}\p{N}@'’]+/gu;
  for (const match of original.matchAll(re)) {
    const raw = match[0];
    const at = match.index;
    const lower = raw.toLowerCase().replace(/’/g, "'");
    const fixed = TYPOS[lower];
    if (fixed !== undefined) {
      for (let i = 0; i < fixed.length; i++) origin.push(at + Math.min(i, raw.length - 1));
      text += fixed;
    } else {
      for (let i = 0; i < lower.length; i++) origin.push(at + i);
      text += lower;
    }
  }
  origin.push(original.length);
  return { original, text, origin };
}

/** The span of `original` that `text[start, end)` came from. */
export function toOriginal(n: Normalised, start: number, end: number): [number, number] {
  const s = n.origin[start] ?? n.original.length;
  const lastChar = n.origin[end - 1];
  const e = end > start && lastChar !== undefined ? lastChar + 1 : s;
  // A typo fix that grew the word maps its extra letters onto the word's last character.
  const nextStart = n.origin[end] ?? n.original.length;
  return [s, Math.max(e, Math.min(nextStart, wordEnd(n.original, e)))];
}

function wordEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && /[\p{L}\p{N}]/u.test(text[i]!)) i++;
  return i;
}

/** Blanks `text[start, end)` with spaces: offsets stay put, later steps no longer see it. */
export function mask(text: string, start: number, end: number): string {
  return text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);
}

/** Levenshtein distance, for matching mistyped task titles. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = saved;
    }
  }
  return row[b.length]!;
}
