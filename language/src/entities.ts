import type { TaskPriority } from '@todo/contracts';
import { NUM, toNumber, type Scan } from './scan.js';

/**
 * Step 2a: tags, priority, reminders and durations. Each finder reads the parts of the text
 * nothing else has claimed and claims what it recognises.
 */

const WORD = `[\\p{L}\\p{N}][\\p{L}\\p{N}_/-]*`;
const TAG_STOP = new Set(['it', 'this', 'that', 'with', 'as', 'the', 'a', 'and']);

export function findTags(scan: Scan): void {
  scan.each(new RegExp(`(?:^|(?<=\\s|,))[#@](${WORD})`, 'gu'), (m) => {
    // "gym @7am", "@ 5pm": a time written with an at sign, not a label.
    if (m[0][0] === '@' && /^\d{1,2}(?::\d{2})?(?:am|pm)?$/.test(m[1]!)) return;
    scan.take('tag', m.index, m.index + m[0].length, [m[1]!]);
  });
  // "tag buy milk with groceries": the tag comes after the task's name.
  scan.each(
    new RegExp(
      `^(?:tag|label) (?!(?:it|this|that) ).+? (?:with|as) (?:the )?(?:tag |label )?(${WORD})$`,
      'gu',
    ),
    (m) => {
      const at = m[0].search(/ (?:with|as) (?:the )?(?:tag |label )?[^ ]+$/);
      scan.take('tag', at + 1, m[0].length, [m[1]!]);
      // The verb is read too (no chip): the words between name the task.
      scan.take('tag-verb', 0, m[0].indexOf(' '), null);
    },
  );
  // "tag car, low priority": a priority said next is not another tag.
  const notPriority = `(?!(?:low|high|medium|normal|top)\\s+prio)`;
  const list = `(${WORD})(?:(?:\\s*,\\s*|\\s+and\\s+|\\s*&\\s*)${notPriority}(${WORD}))?(?:(?:\\s*,\\s*|\\s+and\\s+)${notPriority}(${WORD}))?`;
  scan.each(
    new RegExp(
      `(?:^|(?<=\\s|,))(?:and\\s+|,\\s*)?(?:tag(?:ged)?|label(?:l?ed)?|add (?:the )?(?:tag|label)s?)(?:\\s+(?:it|this|that))?(?:\\s+(?:with|as))?(?:\\s+the)?(?:\\s+(?:tag|label)s?)?:?\\s+${list}`,
      'gu',
    ),
    (m) => {
      // "remove the tag errands" is an edit of the tags, not a tag for the task.
      if (
        /(?:remove|delete|drop|untag|take off)\s+(?:the\s+)?$/.test(scan.n.text.slice(0, m.index))
      )
        return;
      const tags = [m[1], m[2], m[3]].filter((t): t is string => !!t && !TAG_STOP.has(t));
      if (tags.length) scan.take('tag', m.index, m.index + m[0].length, tags);
    },
  );
  // "to my shopping list": the list the task goes in (ADR 330), not a tag. "my todo list" is
  // no list's name.
  scan.each(
    new RegExp(
      `(?:^|(?<=\\s))(?:to|on|in|onto|into|for) (?:(?:my|the|our) )?(?!(?:todo|to-do|task|tasks|todos|whole|entire|main|own|a|new)\\b)(${WORD}) list\\b`,
      'gu',
    ),
    (m) => {
      scan.take('list', m.index, m.index + m[0].length, m[1]!);
    },
  );
}

const PRIORITY_WORDS: Array<[RegExp, TaskPriority]> = [
  [/(?:^|(?<=[\s([]))p([1-4])\b/g, 'high'],
  [
    /(?:^|(?<=\s))(?:with |at |as |set to |is )?(?:a )?(high|top|highest|max|hi|medium|normal|mid|med|low|lowest|lo)[ -]?(?:priority|pri)\b:?/g,
    'high',
  ],
  [
    /(?:^|(?<=\s))priority(?: is| of|:| to| as| up to| down to| up| down)? ?(high|medium|normal|low|1|2|3)\b/g,
    'high',
  ],
  [
    /(?<=(?:make|set|change|switch|mark) (?:it|that|this|the priority|priority)(?: to| as)? )(high|medium|normal|low)\b/g,
    'high',
  ],
  // "make it less urgent": lower, whatever the word after "less".
  [/(?:^|(?<=\s))less (?:urgent|important|of a priority)\b/g, 'low'],
  // "high", "low" alone: in a conversation, the level of the task in focus.
  [/^(high|medium|normal|low)$/g, 'high'],
  [
    /(?:^|(?<=\s))(?:not urgent|not important|not a priority|not high priority|no rush|low importance|whenever)\b:?/g,
    'low',
  ],
  [
    /(?:^|(?<=[\s([]))(?:(?:super|really|very|extremely|quite|so|most) )?(?:urgent(?:ly)?|asap|critical|important)\b:?/g,
    'high',
  ],
  [/(?:^|(?<=\s)|(?<=\w))!{2,3}(?=\s|$)/g, 'high'],
  // "lower the priority", "raise its priority": a direction, no level named.
  [/(?:^|(?<=\s))(?:lower|decrease|reduce|drop)(?: the| its)? priority\b/g, 'low'],
  [/(?:^|(?<=\s))(?:raise|increase|bump|up)(?: the| its)? priority(?: up)?\b/g, 'high'],
];

function priorityOf(word: string | undefined, fallback: TaskPriority): TaskPriority {
  switch (word) {
    case '1':
    case 'high':
    case 'top':
    case 'highest':
    case 'max':
    case 'hi':
      return 'high';
    case '2':
    case 'medium':
    case 'normal':
    case 'mid':
    case 'med':
      return 'medium';
    case '3':
    case '4':
    case 'low':
    case 'lowest':
    case 'lo':
      return 'low';
    default:
      return fallback;
  }
}

export function findPriority(scan: Scan): void {
  for (const [re, fallback] of PRIORITY_WORDS) {
    scan.each(re, (m) => {
      if (scan.get('priority')) return;
      scan.take('priority', m.index, m.index + m[0].length, priorityOf(m[1], fallback));
    });
  }
}

const UNIT = `(?:minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w)`;

function minutes(count: string, unit: string): number {
  const n = count === 'half an' || count === 'half a' ? 0.5 : toNumber(count);
  const u = unit[0] === 'h' ? 60 : unit[0] === 'd' ? 1440 : unit[0] === 'w' ? 10080 : 1;
  return Math.round(n * u);
}

const AMOUNT = `(half an?|${NUM})\\s*(${UNIT})`;

/** A reminder: minutes before the due time, null for none, or a wall time on the due day. */
export type ReminderValue =
  | { offset: number | null }
  | { at: { hour: number; minute: number; meridiem?: string } }
  | { leading: true };

export function findReminder(scan: Scan): void {
  const verb = `(?:remind(?:er)?|alert|notify|ping|nudge)(?: me)?`;
  const lead = `(?:^|(?<=\\s|,))(?:and |also |with |plus |,\\s*)*(?:set |add |give me |put )?(?:an? )?`;
  const rules: Array<[RegExp, (m: RegExpExecArray) => ReminderValue]> = [
    [
      new RegExp(
        `${lead}(?:no reminders?|without (?:an? )?reminders?|don't remind me|do not remind me|no alerts?|(?:turn off|remove|delete|cancel|clear|drop|disable|get rid of) (?:the |my |its |that )?(?:reminders?|alerts?)|no notifications?)\\b`,
        'g',
      ),
      () => ({ offset: null }),
    ],
    [
      new RegExp(
        `${lead}${verb}(?: me)? (?:for |of )?${AMOUNT} (?:before|earlier|ahead|prior)(?: hand)?`,
        'g',
      ),
      (m) => ({ offset: minutes(m[1]!, m[2]!) }),
    ],
    [
      new RegExp(`${lead}${verb}(?: me)? (?:the )?(day|night|evening) before`, 'g'),
      (m) => (m[1] === 'day' ? { offset: 1440 } : { offset: 1440 - 6 * 60 }),
    ],
    [
      new RegExp(
        `${lead}${verb}(?: me)? (?:at|@|for) (\\d{1,2})(?::(\\d{2}))? ?(am|pm)?(?! ?(?:minutes?|hours?|days?|weeks?|m|h)\\b)(?: (?:that|on the|the same) (?:day|morning))?`,
        'g',
      ),
      (m) => ({
        at: { hour: Number(m[1]), minute: Number(m[2] ?? 0), ...(m[3] ? { meridiem: m[3] } : {}) },
      }),
    ],
    [
      new RegExp(`${lead}${AMOUNT} (?:before|ahead|prior|early|earlier)\\b`, 'g'),
      (m) => ({ offset: minutes(m[1]!, m[2]!) }),
    ],
    [new RegExp(`${lead}(?:the )?day before\\b`, 'g'), () => ({ offset: 1440 })],
    [
      // "remind me in the morning": that day at the hour the word means.
      new RegExp(
        `${lead}${verb}(?: me)? (?:in the |that |on the day in the )(morning|afternoon|evening)`,
        'g',
      ),
      (m) => ({ at: { hour: m[1] === 'morning' ? 9 : m[1] === 'afternoon' ? 15 : 18, minute: 0 } }),
    ],
    [
      new RegExp(`${lead}${verb}(?: me)? (?:at|on) (?:the )?(?:due )?time\\b`, 'g'),
      () => ({ offset: 0 }),
    ],
    [
      /^(?:please )?(?:remind|alert|notify|ping) me(?: to| about| that| i need to| i have to)?\b/g,
      () => ({ leading: true }),
    ],
    [
      new RegExp(`${lead}(?:with (?:an? )?reminder|and remind me|remind me)$`, 'g'),
      () => ({ offset: 0 }),
    ],
  ];
  for (const [re, value] of rules) {
    scan.each(re, (m) => {
      if (scan.get('reminder')) return;
      scan.take('reminder', m.index, m.index + m[0].length, value(m));
    });
  }
}

/** "for 30 minutes", "takes 2 hours": how long the task takes (kept in the description). */
export function findDuration(scan: Scan): void {
  scan.each(
    new RegExp(
      `(?:^|(?<=\\s))(?:for|takes?|lasting|about) (half an|${NUM}) ?(minutes?|mins?|hours?|hrs?|h)\\b`,
      'g',
    ),
    (m) => {
      scan.take('duration', m.index, m.index + m[0].length, minutes(m[1]!, m[2]!));
    },
  );
}
