import { editDistance } from './text.js';

/**
 * Words the interpreter keys on. A misspelt one (one edit away, five letters or more) is
 * corrected wherever it stands for dates and keywords, and only as the first two words for
 * verbs, so a task titled "compete in the race" is not turned into "complete".
 */
const COMMANDS = [
  'complete',
  'completed',
  'finish',
  'finished',
  'delete',
  'remove',
  'rename',
  'remind',
  'reschedule',
  'create',
  'change',
  'update',
  'reopen',
  'show',
  'list',
  'cancel',
  'postpone',
  'search',
  'enable',
  'disable',
];
const KEYWORDS = [
  'tomorrow',
  'today',
  'tonight',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  'priority',
  'reminder',
  'overdue',
  'weekday',
  'weekdays',
  'minutes',
  'before',
  'every',
  'daily',
  'weekly',
  'monthly',
  'yearly',
  'repeat',
  'repeating',
  'quiet',
  'notifications',
  'timezone',
  'tagged',
  'january',
  'february',
  'march',
  'april',
  'august',
  'september',
  'october',
  'november',
  'december',
  'urgent',
  'important',
  'description',
  'pending',
  'tasks',
  'mondays',
  'tuesdays',
  'wednesdays',
  'thursdays',
  'fridays',
  'saturdays',
  'sundays',
  'weekends',
  'mornings',
  'evenings',
  'times',
  'hours',
  'weeks',
  'months',
  'years',
  'reminders',
];
const ALL = new Set([...COMMANDS, ...KEYWORDS]);

/** Misspellings more than one edit away that people make anyway. */
const KNOWN: Record<string, string> = {
  wensday: 'wednesday',
  wendsday: 'wednesday',
  wednsday: 'wednesday',
  wedensday: 'wednesday',
  tomorow: 'tomorrow',
  tommorow: 'tomorrow',
  tommorrow: 'tomorrow',
  tmrw: 'tomorrow',
  tmr: 'tomorrow',
  thurday: 'thursday',
  thrusday: 'thursday',
  saterday: 'saturday',
  teusday: 'tuesday',
  fryday: 'friday',
  remaind: 'remind',
  priorty: 'priority',
  reminer: 'reminder',
};

const sorted = (w: string) => [...w].sort().join('');

function correct(word: string, dictionary: string[]): string {
  const lower = word.toLowerCase();
  const known = KNOWN[lower];
  if (known) return known;
  // Four-letter words only for swapped letters ("shwo"), which are rarely other words.
  if (lower.length === 4 && !ALL.has(lower)) {
    const swapped = dictionary.find(
      (c) => c.length === 4 && sorted(c) === sorted(lower) && editDistance(c, lower) === 1,
    );
    if (swapped) return swapped;
  }
  if (lower.length < 5 || ALL.has(lower) || !/^[a-z]+$/.test(lower)) return word;
  for (const candidate of dictionary) {
    // A plural or singular of a keyword is a word in its own right, not a typo.
    if (candidate === `${lower}s` || lower === `${candidate}s`) continue;
    if (Math.abs(candidate.length - lower.length) <= 1 && editDistance(lower, candidate) === 1)
      return candidate;
  }
  return word;
}

export function fixTypos(text: string): string {
  let index = 0;
  return text.replace(/[A-Za-z]+/g, (word) => {
    const position = index;
    index += 1;
    return correct(word, position < 2 ? [...COMMANDS, ...KEYWORDS] : KEYWORDS);
  });
}
