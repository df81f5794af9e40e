import type { ConversationHints, Due, Intent, TaskFields } from './types.js';

/**
 * Step 3b of the pipeline: weigh the readings a message allows before acting on one.
 *
 * The rules in `parse.ts` each recognise one shape of message. When none of them fits, the
 * message becomes a new task whose title is whatever is left, which is also how a half-said
 * edit ("make it later"), an answer ("nah leave it as is") or a correction without a task
 * ("nah friday") used to become a task called "make", "nah leave" or "nah". This step looks at
 * the words that are left once the entities are read, by the class each word belongs to
 * (a short closed lexicon, not phrase patterns), and scores every reading they allow:
 *
 * - **add** scores by its content words: a title needs at least one word that names something
 *   to do ("call", "milk"); "make it", "not now" or "a bit" name nothing.
 * - **answer** (deny or pick): only answer words, with a no ("nah", "leave", "keep") or one
 *   position ("the first one obviously").
 * - **edit** of the task in focus: fields were said, and everything else is an edit verb, a
 *   pronoun, the name of a field or an answer word ("wait make it 8pm not 7").
 * - **ask**: an edit verb, a field name or a vague time without a value ("change the time",
 *   "move it", "a bit later"): what to change, or to when, is missing, so the reply asks.
 *
 * The highest score wins. A reading that needs the task in focus when there is none, or an
 * add that names nothing, turns into a question rather than a guess (ADR 300).
 */

type WordClass =
  'neutral' | 'pronoun' | 'no' | 'halt' | 'yes' | 'ordinal' | 'edit' | 'field' | 'vague';

const LEXICON: Record<WordClass, string> = {
  neutral:
    "a an the to of for me my i u you please pls plz thanks thank thx ta ok okay just then hmm hmmm um umm uh uhh erm well so oh ah abt about with on at in is as be are it's its that's obviously surely definitely think guess mean meant probably maybe now yet really and also again lol obv obvs ofc can could would will want wanna need do did too same instead better works say lets let's how be",
  pronoun: 'it that this them these those one ones thing task item',
  no: "no nah nope naw not don't dont never wait hold",
  // Verbs that answer "no" ("keep them", "leave it") but name a task elsewhere ("keep me posted").
  halt: 'nevermind cancel stop forget leave keep neither none skip',
  yes: 'yes yeah yep yup sure correct right fine',
  ordinal: 'first second third fourth fifth last 1st 2nd 3rd 4th 5th top bottom final',
  edit: 'make change move push set update edit modify adjust tweak fix shift reschedule rename bump put switch postpone delay remind reminder',
  field: 'time date day deadline priority title name due',
  vague:
    'later earlier sooner sometime soon bit little whenever eventually different another other something somewhere anything else wrong incorrect some point soonish',
};
const CLASS_OF = new Map<string, WordClass>();
for (const [cls, words] of Object.entries(LEXICON) as Array<[WordClass, string]>)
  for (const w of words.split(' ')) if (!CLASS_OF.has(w)) CLASS_OF.set(w, cls);

const ORDINAL_INDEX: Record<string, number> = {
  first: 1,
  '1st': 1,
  top: 1,
  second: 2,
  '2nd': 2,
  third: 3,
  '3rd': 3,
  fourth: 4,
  '4th': 4,
  fifth: 5,
  '5th': 5,
  last: -1,
  bottom: -1,
  final: -1,
};

/** Who or what a remark is about. */
const SUBJECTS = new Set(
  "my this that it it's today tonight everything life work you you're your he she they we i i'm".split(
    ' ',
  ),
);
const BEING = new Set(
  "is was are were am isn't wasn't aren't doesn't don't looks seems feels 's".split(' '),
);
const QUESTION_WORDS = new Set('what why how who where'.split(' '));

interface Word {
  text: string;
  cls: WordClass | 'number' | 'content';
}

/** The words left once the entities are read, each with its class. */
function wordsOf(free: string): Word[] {
  return free
    .toLowerCase()
    .split(/[^\p{L}\p{N}']+/u)
    .filter(Boolean)
    .map((text) => ({
      text,
      cls: CLASS_OF.get(text) ?? (/^\d{1,2}$/.test(text) ? 'number' : 'content'),
    }));
}

export interface Reading {
  intent: Intent;
  score: number;
}

function hasFields(f: TaskFields): boolean {
  return Object.keys(f).length > 0;
}

/**
 * The readings of a message the rules read as a new task. `free` is the message with its
 * entities blanked out; `fields` what they said.
 */
export function readings(
  proposed: Extract<Intent, { type: 'add' | 'correction' }>,
  free: string,
  fields: TaskFields,
  hints: ConversationHints,
  /** The due time a bare hour ("how about 5") means, by the product's rules. */
  hourAt: (hour: number) => Due | null,
): Reading[] {
  const words = wordsOf(free);
  const count = (...cls: Array<Word['cls']>) => words.filter((w) => cls.includes(w.cls)).length;
  const only = (...cls: Array<Word['cls']>) => words.every((w) => cls.includes(w.cls));
  const title = proposed.type === 'add' ? proposed.fields.title : proposed.text;
  const titleWords = wordsOf(title);
  const out: Reading[] = [
    // The rules' own reading: as good as the title is real (one word that names something).
    {
      intent: proposed,
      score: titleWords.some((w) => w.cls === 'content' || w.cls === 'halt') ? 1 : 0,
    },
  ];
  const said = hasFields(fields);

  // A new task needs a name: "at some point next month", "the other" name nothing. Weaker than
  // any reading that uses the words, stronger than a title of filler words. (An emoji-only
  // title has no words at all and stays a title.)
  if (proposed.type === 'add' && titleWords.length && out[0]!.score === 0)
    out.push({
      intent: { type: 'unknown', reason: 'no-title', ...(said ? { fields } : {}) },
      score: 0.5,
    });

  // "my cat is so cute", "today was a long day", "now what": a remark or a question about
  // something, not a thing to do. A task is said as something to do ("call mom") or a thing
  // ("dentist"); a subject with a verb of being, or a question word at either end, is talk.
  const t = titleWords.map((w) => w.text);
  const remark =
    t.length >= 3 &&
    (SUBJECTS.has(t[0]!) || (said && BEING.has(t[0]!))) &&
    t.slice(0, 3).some((w) => BEING.has(w));
  const question = !said && (QUESTION_WORDS.has(t[0]!) || QUESTION_WORDS.has(t.at(-1)!));
  if (proposed.type === 'add' && (remark || question))
    out.push({ intent: { type: 'unknown', reason: 'smalltalk' }, score: 2 });

  // "the dentist one": a way to point at a task, never a task's name. Alone it answers
  // "which one?" (the chat matches the words against the candidates) or asks which task.
  if (proposed.type === 'add' && /^the\s+\S+(?:\s+\S+)?\s+one$/i.test(title.trim()))
    out.push({ intent: { type: 'unknown', reason: 'no-title' }, score: 2 });

  // An answer: "nah leave it as is", "not now thanks", "the first one obviously".
  if (!said && only('neutral', 'pronoun', 'no', 'halt', 'yes', 'ordinal')) {
    const positions = words.filter((w) => w.cls === 'ordinal');
    // "not the first, the second": the position after a no is the one meant.
    const picked = positions.length === 2 && words[0]?.cls === 'no' ? positions[1] : positions[0];
    if (positions.length === 1 || (positions.length === 2 && picked === positions[1]))
      out.push({ intent: { type: 'select', index: ORDINAL_INDEX[picked!.text]! }, score: 1 });
    // A plain no ("nah", "not") makes it an answer for sure; "keep me" alone may be a task.
    else if (positions.length === 0 && count('no', 'halt') > 0)
      out.push({ intent: { type: 'deny' }, score: count('no') > 0 ? 2 : 1 });
  }

  // An edit of the task in focus: "nah friday", "wait make it 8pm not 7", "set a reminder".
  // A number is the value that was wrong ("at 7 not 8").
  const setsReminder = !said && words.some((w) => w.text === 'reminder') && count('edit') >= 2;
  if (
    (said || setsReminder) &&
    only('neutral', 'pronoun', 'no', 'yes', 'edit', 'field', 'number') &&
    count('content') === 0
  ) {
    const edit: Intent = {
      type: 'update',
      ref: { kind: 'focus' },
      fields: said ? fields : { reminderOffset: 0 },
    };
    out.push({
      intent: hints.hasFocus
        ? edit
        : { type: 'unknown', reason: 'no-focus', ...(said ? { fields } : {}) },
      score: 1,
    });
  }

  // "how about 5", "lets say 5", "no 6 not 5": a bare hour for the task in focus; the one
  // said with "not" is the one that was wrong.
  const hours = words.filter((w, i) => w.cls === 'number' && words[i - 1]?.text !== 'not');
  const due = hours.length === 1 ? hourAt(Number(hours[0]!.text)) : null;
  if (!said && due && only('neutral', 'pronoun', 'no', 'yes', 'edit', 'field', 'number')) {
    out.push({
      intent: hints.hasFocus
        ? { type: 'update', ref: { kind: 'focus' }, fields: { due } }
        : { type: 'unknown', reason: 'no-focus', fields: { due } },
      score: 1,
    });
  }

  // An edit that says what but not to what: "change the time", "move it", "a bit later".
  if (
    !said &&
    !setsReminder &&
    count('edit', 'field', 'vague') > 0 &&
    only('neutral', 'pronoun', 'no', 'edit', 'field', 'vague')
  )
    out.push({ intent: { type: 'unknown', reason: 'vague-edit' }, score: 1 });

  return out;
}

/**
 * The best reading; the rules' own when nothing scores higher. A tie between two readings
 * other than the rules' own is not guessed at: the message is asked about.
 */
export function choose(all: Reading[]): Intent {
  const [proposed, ...others] = all;
  const best = others.reduce<Reading | undefined>(
    (b, r) => (b === undefined || r.score > b.score ? r : b),
    undefined,
  );
  if (!best || best.score <= proposed!.score) return proposed!.intent;
  const tied = others.filter((r) => r !== best && r.score === best.score);
  if (tied.length) return { type: 'unknown', reason: 'vague-edit' };
  return best.intent;
}
