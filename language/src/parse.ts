import type { TaskPriority } from '@todo/contracts';
import {
  findDuration,
  findPriority,
  findReminder,
  findTags,
  type ReminderValue,
} from './entities.js';
import { listReading } from './lists.js';
import { choose, readings } from './readings.js';
import { findRecurrence, type RecurrenceEnd, type RecurrenceFound } from './recurrence.js';
import { NUMBER_WORDS, Scan, ordinalNumber } from './scan.js';
import { buildSeries } from './series.js';
import { mask, normalise, toOriginal, type Normalised } from './text.js';
import type {
  ConversationHints,
  Entity,
  EntityKind,
  Intent,
  ListFilter,
  ParseContext,
  ParseResult,
  PreferencesPatch,
  TaskFields,
  TaskRef,
} from './types.js';
import { findDateAt, findDates, resolveDue, type When } from './when.js';

/**
 * The pipeline, in the order a reader should follow it:
 *   1. normalise (lower case, typos) keeping a map back to what was typed;
 *   2. find entities — tags, priority, reminder, repeat rule, duration, dates — each claiming
 *      its words so nothing is read twice;
 *   3. decide the intent from what is left (a command word, a reference, or nothing: add);
 *   4. the title is what is left of the user's own text, minus connectors and punctuation.
 */

export interface Extracted {
  scan: Scan;
  fields: TaskFields;
  entities: Entity[];
  /** "twice a week": the days still to be asked. */
  timesPerWeek?: number;
  /** "twice a month": the days of the month are asked instead of weekdays. */
  timesPeriod?: 'week' | 'month';
  /** "every hour": a rule more frequent than daily, which a task cannot have. */
  tooFrequent?: boolean;
  /** "remind me to …": a reminder at the due time, which needs a due time to exist. */
  reminderLeading?: boolean;
  /** The series' first occurrence when no day or time was said ("every friday"). */
  impliedDue?: boolean;
  durationMinutes?: number;
}

const ENTITY_KIND: Record<string, EntityKind | undefined> = {
  tag: 'tag',
  // The quick-add box shows a named list as the tag it always was; the chat reads `fields.list`.
  list: 'tag',
  priority: 'priority',
  reminder: 'reminder',
  recurrence: 'recurrence',
  'recurrence-end': 'recurrence',
  'recurrence-anchor': 'recurrence',
  'date-end': 'recurrence',
  date: 'date',
};

/** Step 2: every entity, and the task fields they amount to. */
export function extract(
  n: Normalised,
  ctx: ParseContext,
  literal: Array<[number, number]> = [],
): Extracted {
  const scan = new Scan(n);
  for (const [s, e] of literal) scan.free = mask(scan.free, s, e);
  findTags(scan);
  findPriority(scan);
  findReminder(scan);
  findRecurrence(scan);
  findDuration(scan);
  const endFound = scan.get('recurrence-end') as { value: RecurrenceEnd } | undefined;
  let until: When | null = null;
  if (endFound?.value.untilStart !== undefined)
    until = findDateAt(scan, endFound.value.untilStart, ctx);
  findDates(scan, ctx);

  const fields: TaskFields = {};
  const tags = scan.found.filter((f) => f.kind === 'tag').flatMap((f) => f.value as string[]);
  if (tags.length) fields.tags = [...new Set(tags.map((t) => t.toLowerCase()))];
  const list = scan.get('list');
  if (list) fields.list = list.value as string;
  const priority = scan.get('priority');
  if (priority) fields.priority = priority.value as TaskPriority;
  // "friday, not thursday", "not tomorrow, friday": a day said with "not" is the one that is
  // wrong; its words are still read (and cut from the title), its date is not used.
  const negated = (f: { start: number }) =>
    /\b(?:not|instead of|rather than)\s*$/.test(n.text.slice(0, f.start));
  const when = scan.found
    .filter((f) => f.kind === 'date' && !negated(f))
    .map((f) => f.value as When);
  const rec = scan.get('recurrence')?.value as RecurrenceFound | undefined;
  let timesPerWeek: number | undefined;
  let impliedDue = false;
  if (rec?.tooFrequent) {
    // Nothing to build: the words are read (and left out of any title), the rule refused.
    const due = resolveDue(when, ctx);
    if (due) fields.due = due;
  } else if (rec?.timesPerWeek) timesPerWeek = rec.timesPerWeek;
  else if (rec) {
    const series = buildSeries(
      rec,
      when,
      endFound ? { value: endFound.value, until } : null,
      !!scan.get('recurrence-anchor'),
      ctx,
    );
    fields.recurrence = series.recurrence;
    fields.due = series.due;
    impliedDue = series.implied;
  } else {
    const due = resolveDue(when, ctx);
    if (due) fields.due = due;
  }
  const reminder = scan.get('reminder')?.value as ReminderValue | undefined;
  if (reminder && 'offset' in reminder) fields.reminderOffset = reminder.offset;
  if (reminder && 'leading' in reminder) fields.reminderOffset = 0;
  if (reminder && 'at' in reminder) {
    let hour = reminder.at.hour;
    if (reminder.at.meridiem === 'pm' && hour < 12) hour += 12;
    // "remind me at 5": the afternoon, as a bare "at 5" is for a due time (ADR 080).
    if (!reminder.at.meridiem && hour >= 1 && hour <= 7) hour += 12;
    if (reminder.at.meridiem === 'am' && hour === 12) hour = 0;
    if (fields.due?.time) {
      const [dh, dm] = fields.due.time.split(':').map(Number) as [number, number];
      fields.reminderOffset = Math.max(0, dh * 60 + dm - (hour * 60 + reminder.at.minute));
    } else
      fields.reminderTime = `${String(hour).padStart(2, '0')}:${String(reminder.at.minute).padStart(2, '0')}`;
  }
  const duration = scan.get('duration')?.value as number | undefined;

  const entities: Entity[] = [];
  for (const f of scan.found) {
    const kind = ENTITY_KIND[f.kind];
    if (!kind || f.start >= f.end) continue;
    const [start, end] = toOriginal(n, f.start, f.end);
    entities.push({ kind, start, end, text: n.original.slice(start, end) });
  }
  entities.sort((a, b) => a.start - b.start);
  return {
    scan,
    fields,
    entities,
    ...(timesPerWeek ? { timesPerWeek, timesPeriod: rec?.timesPeriod ?? 'week' } : {}),
    ...(rec?.tooFrequent ? { tooFrequent: true } : {}),
    ...(reminder && 'leading' in reminder ? { reminderLeading: true } : {}),
    ...(impliedDue ? { impliedDue } : {}),
    ...(duration ? { durationMinutes: duration } : {}),
  };
}

/** Words that join a title to the parts read out of it: never the first word of a title. */
const LEADING = new Set([
  'and',
  'also',
  'then',
  'but',
  'to',
  'on',
  'at',
  'by',
  'due',
  'with',
  'as',
  'is',
  'for',
  'set',
  'it',
]);
/** Words that never end a title: the leading ones, plus those left before an entity read. */
const TRAILING = new Set([
  ...LEADING,
  'from',
  'starting',
  'the',
  'this',
  'of',
  'in',
  'until',
  'before',
  'every',
  'each',
  'a',
  'an',
  'around',
  'about',
  // "call mom sometime": no day said, and no word of the title either.
  'sometime',
  'someday',
  'eventually',
  // "fix the wifi its urgent": the subject of a priority or date clause that was read.
  'its',
  "it's",
  'very',
  'super',
  // "buy milk not tomorrow but friday": the day said with "not" was read.
  'not',
  // "call mom later", "pay it soon": no day said, no word of the title either.
  'later',
  'soon',
  // "call grandma twice a week or so": a hedge after the part that was read.
  'or',
  'so',
  'ish',
  // "water the plants like twice a week": a filler before the part that was read.
  'like',
]);

/**
 * Step 4: the user's own words left after the entity and command spans (in normalised offsets)
 * are cut out, with connectors and punctuation trimmed from the ends. Casing is kept.
 */
export function leftover(n: Normalised, cut: Array<[number, number]>, trim = clean): string {
  const removed = new Array<boolean>(n.original.length).fill(false);
  for (const [s, e] of cut) {
    const [os, oe] = toOriginal(n, s, e);
    for (let i = os; i < oe; i++) removed[i] = true;
  }
  let out = '';
  for (let i = 0; i < n.original.length; i++) out += removed[i] ? ' ' : n.original[i];
  return trim(out);
}

export function clean(text: string): string {
  let words = text
    .replace(/\s+([,;:.!?])/g, '$1')
    .split(/\s+/)
    .filter(Boolean);
  const bare = (w: string) => w.toLowerCase().replace(/^[^\p{L}\p{N}#]+|[^\p{L}\p{N}]+$/gu, '');
  // An emoji is the user's own wording ("🎂 for mum", "buy 🥛 tomorrow"), except one typed last,
  // after everything else ("dentist tmrw at 3 🦷"), which says how rather than what.
  const emoji = (w: string) => EMOJI_WORD.test(w);
  let typedLast = !/\s$/.test(text);
  let changed = true;
  while (changed && words.length) {
    changed = false;
    const head = words[0]!;
    if ((!bare(head) && !emoji(head)) || (words.length > 1 && LEADING.has(bare(head)))) {
      words = words.slice(1);
      changed = true;
      continue;
    }
    const tail = words.at(-1)!;
    // An emoji alone is kept only when it is all that was typed ("🎂🎉"), not after a date.
    const decoration = emoji(tail) && typedLast && (words.length > 1 || /^\s/.test(text));
    if ((!bare(tail) && (!emoji(tail) || decoration)) || TRAILING.has(bare(tail))) {
      words = words.slice(0, -1);
      changed = true;
    }
    if (changed && !decoration) typedLast = false;
  }
  return (
    words
      .join(' ')
      // "(urgent)", "[p1]": the brackets of a marker that was read.
      .replace(/\s*[([]\s*[)\]]/g, '')
      .replace(/([,;:.!?-])\1+/g, '$1')
      .replace(/\s*[,;:]\s*$/, '')
      .replace(/^[\s,;:.!?-]+|[\s,;:.!?-]+$/g, '')
      .replace(/\s*,\s*(?=,)/g, '')
      .replace(/(\S)\s*,\s*$/g, '$1')
      .trim()
  );
}

// ---------------------------------------------------------------- step 3: the intent

/**
 * An answer to a yes/no question is a run of yes-words ("sure, go ahead", "yes do it please")
 * or of no-words ("nah leave it", "no keep them"), in any combination.
 */
const YES_UNIT = `(?:y+e+s+|y|ye|yh|ya+|yah|yeah+|yea|yeh|yep|yup|alrighty|aight|ight|okie dokie|okey dokey|okie|yas|sure|sure thing|ok|okay|k|kk|alright|all right|fine|fine by me|that's fine|that's ok|that works|works for me|i'm sure|i am sure|confirm|confirmed|do it|go|go ahead|go on|go for it|please do|please|correct|right|that's right|absolutely|definitely|of course|affirmative|sounds good|do that|delete them|proceed|let's do it|why not|okey|oki|okie|aye|yes sir|that's correct|exactly|go on then|yes thanks|yes thank you)`;
/** After a yes: "yes delete them all", "go ahead and delete", "ok now". */
const YES_TAIL = `(?:${YES_UNIT}|(?:to )?(?:both|all of them)|to all|(?<=\\b(?:yes|yeah|yep|yup|ok|okay|sure) )all|that one|this one|that's the one|that's it|do|go|(?:and |i want to |i'd like to )?(?:delete|remove|clear)(?: (?:them|them all|all of them|it|all|everything|both|the lot))?|both|all of them|now|then|thanks|thank you)`;
const NO_UNIT = `(?:no|n|nope|nah|naw|cancel|never ?mind(?: that)?|nvm|don't|do not|stop|forget (?:about )?it|abort|not now|not right now|not just now|not yet|maybe later|maybe not|not today|wait|hold on|hang on|no need|leave (?:it|them|em|'em|that|those|it be)(?: alone| be| as (?:it is|they are))?|(?:(?:i'll|i will|i'd rather|let's|lets) )?keep(?: (?:it|them|em|'em|that|those|both|everything))?(?: all| both)?|don't (?:delete|remove|do (?:it|that)|bother)(?: (?:it|them|anything|any of them))?|do not (?:delete|remove)(?: (?:it|them|anything))?|skip (?:it|that)|no way|not really|i changed my mind|changed my mind|neither|neither of them|none|none of them|cancel (?:that|it)|stop it|not that one|not (?:those|these|them|that|this|it|any of them)(?: ones?)?|sorry|let's not|let us not|(?:i'd |i would )?rather not|(?:absolutely|definitely|certainly|of course|better|probably|please) not|please don't|not)`;
const YES = new RegExp(`^${YES_UNIT}(?:[\\s,]+${YES_TAIL})*$`);
// "thanks", "i'm good" only follow a no ("no thanks", "nah i'm good"): alone they are not one.
const NO = new RegExp(
  `^(?:${NO_UNIT}[\\s,]+)*(?:no|nope|nah|naw|na|don't|do not|cancel|never ?mind|nvm|abort|stop)(?:[\\s,]+(?:${NO_UNIT}|thanks|thank you|ta|i'm good|i'm ok|i'm fine|all good))*$|^${NO_UNIT}(?:[\\s,]+${NO_UNIT})*$`,
);
/** "both", "all of them": the whole of what was just asked about. */
const ALL_OF_THEM =
  /^(?:both(?: of (?:them|em|'em))?|all of (?:them|em|'em)|all|the lot|the whole lot|every one|each of them)$/;
const HELP =
  /^(help|halp|\?|help me|help me out|how do i (?:start|begin)|how does (?:it|this) work|what now|what do i do(?: now| here)?|i'm lost|i am lost|what is this(?: app| thing| bot)?|how to use(?: this| you| it)?|i need (?:some )?help|(?:can|could) you help(?: me)?(?: out)?|show me what you can do|what commands (?:are there|do you (?:know|have|understand))|how (?:do|can|should) i (?:add|create|make|use|delete|remove|complete|edit|change|set|list|see|schedule) .+|what can you do|what can i say|what do you do|how does this work|how do i use (this|you)|commands|show commands|options|menu|instructions|what are the commands|how do you work|what (?:can|do|should) (?:you|i) (?:do|say|ask|type)(?: here| with (?:you|this))?|what are you for|what (?:can|does|do) (?:this|the|you|it)(?: thing| app| bot| tool)? do|how (?:can|do) (?:you|i) (?:use (?:this|you)|help)|what do you understand|what can you help (?:me )?with|what are my options|help me out(?: here)?|what can i ask(?: you)?|i'm confused|i am confused|tutorial|guide|explain|show me how|how (?:do|can|should) i (?:mark|undo|tag|rename|move|finish|repeat|remind|reschedule|postpone|find|search|clear)(?: .+)?|how to (?:add|create|make|use|delete|remove|complete|edit|change|set|list|see|schedule|mark|undo|tag|rename|move|repeat|remind)(?: .+)?)$/;
const UNDO =
  /^(?:ctrl[ +-]?z|cmd[ +-]?z|go back(?: one step| a step)?|step back)$|^(?:undo|revert|reverse|roll back|rollback)(?: (?:that|it|this|last|the last(?: one| change| thing| action| step| edit)?|what (?:you|i) (?:just )?did|my last (?:change|action|edit)|the (?:last |previous )?change|the previous(?: one)?))+$|^(undo|undo (that|it|this|the last (one|change|thing))|revert( that| it)?|take (that|it) back|go back|oops undo( that)?|undo please|please undo( that)?|reverse that|cancel (that|the last (one|change))|put it back|restore (it|that))$/;
/** "that's not what i meant", "wrong one": the last change was a mistake; take it back. */
const MISTAKE =
  /^(?:(?:that|this|it)(?:'s| is| was) (?:not what i (?:meant|wanted|said|asked for)|wrong|a mistake|the wrong (?:one|task))|i didn't (?:mean|want|ask for) (?:that|this|it)|(?:the )?wrong (?:one|task)|not what i (?:meant|wanted)|my (?:mistake|bad)(?: undo(?: that| it)?)?|bring it back|cancel (?:the )?last (?:action|change|step|thing|one))$/;
const GREETING =
  /^(hi|hello|hey|heya|hiya|yo|sup|howdy|good (morning|afternoon|evening|night)|hey there|hi there|hello there|morning|gm)( bot| todo bot| there)?$/;
const THANKS =
  /^(thanks|thank you|thx|ty|cheers|great|cool|nice|awesome|perfect|got it|lol|haha|hah|wow|ok cool|great thanks|thanks a lot|thank u|thanks!|np|bye|goodbye|see you|later|hmm+|ugh|meh|blah|idk|whatever)$/;
const ORDINAL_SELECT =
  /^(?:the |number |no |#|option |choice |item |task )?(first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th|\d{1,2}|one|two|three|four|five)(?: one| 1| task| item)?(?: please)?$|^(?:the )?(?:one |task |item )?(?:at|on) (?:the )?(top|bottom|end)(?: of the list)?(?: please)?$|^(?:the )?(top|bottom|final|latest|topmost|bottom-most|latter|former)(?: one| task| item)?(?: please)?$/;

const NUMBER_NAMES = ['one', 'two', 'three', 'four', 'five'];
function selectIndex(word: string): number {
  if (/^(top|topmost|former)$/.test(word)) return 1;
  if (/^(bottom|end|final|bottom-most|latter|latest)$/.test(word)) return -1;
  if (NUMBER_NAMES.includes(word)) return NUMBER_NAMES.indexOf(word) + 1;
  return ordinalNumber(word);
}

/**
 * "asdasd", "jkjkjk": the same few keys typed over and over. A chunk of at most one vowel,
 * three or four letters repeated, or two letters three times ("mama", "couscous" stay words).
 */
function keysAgain(w: string): boolean {
  const m = /^(\p{L}{2,4})\1+$/u.exec(w);
  if (!m) return false;
  const chunk = m[1]!;
  const vowels = chunk.replace(/[^aeiouy]/g, '').length;
  return vowels <= 1 && (chunk.length >= 3 || w.length >= 3 * chunk.length);
}

/** Keyboard mashes and strings with no words at all. */
function isNonsense(plain: string): boolean {
  if (!/\p{L}/u.test(plain)) return true;
  const words = plain.split(' ');
  const mash = (w: string) =>
    /^(asdf|qwer|zxcv|hjkl|jkl|sdfg|dfgh|fghj|ghjk|wert|erty|uiop|xcvb|lkj|poiu|mnb)/.test(w) ||
    (w.length >= 4 && !/[aeiouy]/.test(w)) ||
    /(.)\1{3,}/.test(w) ||
    /^(\p{L})\1{2,}$/u.test(w) ||
    /^(?:foo|bar|baz|qux|xyz|abc|lorem|ipsum|dolor|sit|amet|asd|qwe|zxc)$/.test(w) ||
    /[bcdfghjklmnpqrstvwxz]{5,}/.test(w) ||
    keysAgain(w);
  return words.every(mash);
}

/**
 * Talk that is not a task, by its shape rather than its words: thanks with an addressee
 * ("thx mate"), fillers ("uhhh", "blah blah"), how the speaker feels ("i'm bored"), remarks
 * to or about the bot ("you're useless", "are you a robot"), asking the bot to perform or
 * advise ("sing me a song", "recommend a good movie", "can you dance"), and questions about
 * the clock itself ("what day is it today"). A task title is something the user will do;
 * none of these is. Callers still check that no task field was said ("can you call mom at 6").
 */
const FILLER_WORD =
  /^(?:u+h+|u+m+|e+r+m*|e+h+|h+m+|a+h+|o+h+|m+h*m+|blah|bla+|la+|meh|(?:lo)+l+|lmao|xd+|rofl|ha(?:ha)+h?|he(?:he)+|heh|ugh+|welp|yawn|z{3,}|oops|whoops|wow|ooh|aw+|wtf|omg|hm+|er|so|well|like|anyway|anyways|idk|dunno|yo|hey|oi|huh|what|test|testing)$/;
const ADDRESSEE = `(?:so much|a lot|a bunch|very much|again|mate|man|bro|buddy|dude|pal|bot|guys?|friend|love|boss|chief|you|for (?:the|your|that|all the) help|for that|for everything)`;
const CHIT_CHAT: RegExp[] = [
  new RegExp(
    `^(?:thanks|thank you|ty|cheers|ta|great|cool|nice|awesome|perfect|brilliant|lovely|ok|okay|lol|haha|good job|well done|nice one|much appreciated)(?: ${ADDRESSEE})+$`,
  ),
  /^(?:i'm|i am|i feel|i'm feeling|i am feeling|feeling)(?: (?:so+|very|really|kinda|kind of|a bit|a little|pretty|too|super|quite|just))* (?!done\b|finished\b|through\b|going\b|in\b|off\b|out\b)[a-z]+$/,
  /^(?:you|you're|youre|you are|your|yours|are you|were you|do you|did you|have you|will you be|would you like|i love you|i hate you|love you|hate you|screw you|this bot|stupid|dumb|useless|bad bot|good bot)\b/,
  /^(?:(?:can|could|will|would) you |please )?(?:sing|dance|rap|(?:recommend|suggest) (?:me |a |an |some |something|anything|any |good )|entertain|amuse|cheer me up|talk to me|chat with me|play (?:me |a |some )|write me a (?:poem|song|story|joke)|make me laugh|teach me)\b/,
  /^(?:sing|tell|play|read|write|give|recommend|suggest|show) me (?:a |an |some |something )?(?:song|joke|story|poem|movie|film|book|recipe|fact|quote|riddle|game|something funny|something interesting|tune)s?\b/,
];
/** A question about the calendar or the clock itself, not about tasks on a day. */
const CLOCK_QUESTION =
  /^(?:what|what's|what is|which)(?: the)? (?:day|date|time|year|month|weather)(?: of the week| of the month)?(?: is it| is today| it is| today is| is it now)?(?: today| now| right now| like| there)?$|^what(?:'s| is) today's date$|^(?:is it|is today) (?:mon|tues|wednes|thurs|fri|satur|sun)day$/;
/** Greetings, thanks, farewells and acknowledgements, in any combination ("ok thanks bye"). */
const SOCIAL_UNIT = `(?:hi|hello|hey|heya|hiya|howdy|yo|sup|wassup|whassup|what's up|hey there|hi there|morning|evening|afternoon|good (?:morning|afternoon|evening|night|day)|gm|gn|night|nite|goodnight|good night|bye|bye bye|byebye|goodbye|see ya|see (?:you|ya)(?: later| soon| tomorrow| then| around| next time)?|cya|later|talk later|ttyl|catch you later|take care|thanks|thank you|many thanks|thanks again|ty|cheers|ta|ok|okay|k|cool|nice|nice one|great|perfect|awesome|brilliant|lovely|sweet|good|fine|wow|lol|haha|that's all|that's it|that is all|all good|nothing|nothing else|no worries|np|anyone there|anybody there|are you there|you there|tysm|thnx|thnks|thanx|much appreciated|appreciated|appreciate it|that helps|that helped|that's helpful|noted|gotcha|got it|understood|makes sense|that makes sense|fair enough|interesting|really|seriously|i see|cool beans|roger|roger that|copy that|will do|wat|ping|great job|good job|well done|nice job|nice work|good work|great work|great stuff|good stuff|excellent|amazing|fantastic|super|sweet as|legend|you rock|you're the best|that was (?:quick|fast|easy|helpful)|that's (?:great|perfect|brilliant|lovely|awesome|nice|cool|good|helpful)|wyd|hru|how r you|ily|brb|gtg|g2g|idc|smh|whatcha doing|what you doing|what are you doing|what are you up to)`;
const SOCIAL_TAIL = `(?:${SOCIAL_UNIT}|${ADDRESSEE}|partner|folks|everyone|there|again|much|world|all|for(?: now| today| the day)?|heaps|loads|tons|a ton|a million)`;
// "oh nice", "ah thanks": an interjection first changes nothing.
const SOCIAL = new RegExp(
  `^(?:(?:oh|ah|ooh|aw|aww|hmm+|um+|well)[\\s,]+)?${SOCIAL_UNIT}(?:[\\s,]+${SOCIAL_TAIL})*$`,
);
const REMARK: RegExp[] = [
  // "this is cool", "that's funny", "the weather is nice": a remark, not something to do.
  /^(?:this|that|it|life|everything|the weather|weather|this app|the app|this thing)(?:'s| is| was| looks| seems| feels)(?: so| very| really| pretty| kinda| a bit| too)? (?!done\b|finished\b|complete|due\b|overdue\b|urgent\b|important\b|high\b|low\b|tasks?\b|todos?\b|list\b|agenda\b)[a-z]+$/,
  // "feeling sad today": how the speaker feels, whenever.
  /^(?:i'm|i am|i feel|i'm feeling|i am feeling|feeling)(?: (?:so+|very|really|kinda|kind of|a bit|a little|pretty|too|super|quite|just))* (?!done\b|finished\b|through\b|going\b|in\b|off\b|out\b|free\b|busy\b|available\b|away\b|late\b)[a-z]+(?: today| now| right now| lately| tonight| this morning)$/,
  // "i like you", "i hate mondays": an opinion.
  /^i (?:really |kinda |just |do )?(?:like|love|hate|enjoy|dislike|adore|miss) (?!to\b)/,
  // "not sure", "hmm let me think": a hedge, neither a task nor an answer.
  /^(?:(?:hmm+|um+|uh+|well)[\s,]+)*(?:not sure|i'm not sure|i am not sure|not really sure|unsure|maybe|perhaps|possibly|let me think(?: about it)?|i'll think about it|i don't know|i do not know|i dunno|no idea|no clue|good question|hard to say|it depends|depends)$/,
  // "so tired", "really bored": how the speaker feels, said short.
  /^(?:so+|very|really|super|kinda|too|soo+) (?:tired|bored|sleepy|hungry|sad|happy|stressed|sick|exhausted|lonely|angry|annoyed|excited|confused|lost|cold|hot|fed up)$/,
  /^(?:say|tell me|tell) something(?: funny| interesting| nice| random| else)?$/,
  // "marry me", "hug me": asking the bot for affection, not a task.
  /^(?:marry|kiss|hug|date|love) me\b/,
  /^(?:shut up|shush|hush|go away|get lost|leave me alone|knock knock|boring|whatever|test|testing|stop talking|say something|say hi|say hello)(?: \d+)*$/,
  // Reactions to the bot's last reply: "sounds great", "love it", "not helpful", "makes no sense".
  /^(?:sounds (?:good|great|fine|ok|okay|perfect)|love it|good stuff|not helpful|(?:that )?makes no sense|i don't (?:understand|get it)|i do not understand|(?:nice|pleased|good) to meet you|my name is \w+|i need a hug)$/,
  // Asking for knowledge: "define love", "calculate 5*5", "best pizza near me".
  /^(?:define|calculate|compute|translate|meaning of)\b|\bnear me$|^weather\b/,
  /^(?:what|what's|how|how's|will|is|whats)\b.*\bweather\b|^weather(?: today| tomorrow| forecast| now)?$/,
];
/**
 * Talk, and which kind, so the reply can answer in kind: "thx mate" is thanked back, "bye"
 * is said goodbye to, anything else gets the greeting.
 */
function smalltalk(plain: string): Intent {
  // Letters held down, or doubled at a word's end: "thankss", "byeee".
  const held = plain.replace(/(\p{L})\1{2,}/gu, '$1');
  const words = `${held} ${held.replace(/(\p{L})\1\b/gu, '$1')}`;
  const social =
    /\b(?:thanks|thank you|ty|tysm|thnx|thnks|thanx|cheers|ta|appreciated?|appreciate it)\b/.test(
      words,
    )
      ? 'thanks'
      : /\b(?:bye|bye bye|byebye|goodbye|see ya|see you|cya|later|ttyl|take care|good ?night|night|nite|gn|gtg|g2g|brb)\b/.test(
            words,
          )
        ? 'farewell'
        : /^(?:hi|hello|hey|heya|hiya|howdy|yo|sup|wassup|what's up|good (?:morning|afternoon|evening|day)|morning|gm)\b/.test(
              words,
            )
          ? 'greeting'
          : undefined;
  return { type: 'unknown', reason: 'smalltalk', ...(social ? { social } : {}) };
}

function isChitChat(plain: string): boolean {
  // Letters held down: "lmaooo", "hmmmm".
  if (
    plain
      .split(' ')
      .every((w) => FILLER_WORD.test(w) || FILLER_WORD.test(w.replace(/(\p{L})\1+$/u, '$1')))
  )
    return true;
  if (SOCIAL.test(plain)) return true;
  // "can you dance": the bot is asked to do something that is not one of its operations.
  const can = /^(?:can|could|will|would) you (?:please )?(\w+)/.exec(plain);
  if (can && !BOT_VERBS.test(can[1]!)) return true;
  // "can you tell me a story": the same request, asked politely.
  const request = plain.replace(/^(?:(?:can|could|will|would) you |please )+/, '');
  return CHIT_CHAT.some((re) => re.test(plain) || re.test(request));
}
const BOT_VERBS =
  /^(?:add|create|remind|make|set|put|schedule|move|push|postpone|reschedule|delay|delete|remove|cancel|drop|mark|complete|finish|tick|check|change|rename|update|tag|label|untag|show|list|find|search|look|note|undo|help|clear|give|tell|repeat|bump|shift|snooze|note|jot|write|save|track|book|plan|get|call|email|text|buy|pay|pick|send|do)$/;

// An auxiliary asks only with a subject after it: "do you…" asks, "do the dishes" is a task.
const QUESTION_START =
  /^(?:how|who|why|where|when|what|what's|whats|which|tell me)\b|^(?:is|are|can|could|will|would|should|was|were|has)\s+(?:i|you|we|they|he|she|it|this|that|there|these|those|my|your|the|a|an|any|anyone|anything|u)\b|^(?:do|did|does|have)\s+(?:i|you|we|they|he|she|there|u)\b|^(?:does|did)\s+(?:it|this|that)\b/;
const TASK_WORDS =
  /\b(tasks?|todos?|to-dos?|to do|due|overdue|agenda|list|next|today|tomorrow|tonight|this week|on my plate|scheduled|planned|priority|tagged|left|pending|open|completed|done|finished|have|got|coming up|up next|everything|stuff|things|items|ones|late|behind|miss|missed|finish|urgent|important|tag|label)\b|#|^(?:show|list|display)(?: me)? all$/;
/** Nouns that make "get …", "see …" a question about the list rather than a task to do. */
const LIST_NOUNS = /\b(tasks?|todos?|to-dos?|agenda|list|everything|stuff|items)\b/;

function queryFilter(plain: string): ListFilter | null {
  // "what", "show", "list": asking about the list. "get", "see", "my": also everyday task
  // verbs ("get flu jab next week"), so they ask only when a list noun follows.
  const strong =
    /^(what|what's|whats|what is|what are|show|list|display|tell me|which|do i have|did i|have i|anything|any|overdue|today's|tomorrow's|tasks|todos|everything|agenda|am i|have i)\b/.test(
      plain,
    ) || /\?$/.test(plain);
  const weak =
    /^(give me|get|view|see|my|all|open|pending|upcoming|how many)\b/.test(plain) &&
    LIST_NOUNS.test(plain);
  // "urgent tasks", "my open todos": describing words, then a list noun.
  const described =
    /^(?:(?:urgent|important|high priority|low priority|overdue|completed|finished|done|open|pending|upcoming|recent|remaining|all|my|the)\s+)+(?:tasks|todos|to-?dos|items|stuff)$/.test(
      plain,
    );
  const asks = strong || weak || described;
  const search =
    /^(?:find|search(?: for)?|look (?:up|for)|lookup)(?: my| the| all)? (?:tasks?|todos?|items?)(?: (?:about|with|for|mentioning|containing|called|named|matching|that mention))? (.+)$/.exec(
      plain,
    ) ??
    /^(?:search|find)(?: for)? (.+?) in (?:my )?(?:tasks|list|todos)$/.exec(plain) ??
    /^(?:any|anything|tasks?|todos?|what do i have)(?: tasks?)? (?:about|mentioning|with the word|containing|matching|called|named|to do with|on|regarding|for) (?!(?:today|tomorrow|tonight|this|next|the weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b)(.+)$/.exec(
      plain,
    ) ??
    /^(?:show|list|find)(?: me)?(?: my| the| all)? (?:tasks?|todos?) (?:about|mentioning|containing|matching|with the word|called|named) (.+)$/.exec(
      plain,
    ) ??
    // "do i have anything about taxes", "is there something on the passport"
    /^(?:do i have|have i got|is there|are there)(?: any| anything| something| a| an)?(?: tasks?| todos?)? (?:about|on|mentioning|containing|with the word|to do with|called|named|for) (.+)$/.exec(
      plain,
    ) ??
    // "search for passport", "find dentist": a search, unless a date or tag makes it a task.
    /^(?:search(?: for)?|look for|look up|lookup|find)(?: me)? (?!(?:a|an|some|out|time|a way|someone|somebody)\b)(.+)$/.exec(
      plain,
    );
  if (!asks && !search) return null;
  if (!search && !TASK_WORDS.test(plain)) return null;
  const filter: ListFilter = {};
  if (search) {
    filter.q = search[1]!
      .replace(/^["'“]|["'”]$/g, '')
      .replace(/\?$/, '')
      .trim();
    return filter;
  }
  if (/\b(overdue|late|past due|missed|miss|behind)\b/.test(plain)) filter.due = 'overdue';
  else if (/\b(today|tonight|today's)\b/.test(plain)) filter.due = 'today';
  else if (/\b(tomorrow|tomorrow's)\b/.test(plain)) filter.due = 'tomorrow';
  else if (/\b(this week|the week|next 7 days|next seven days|this weeks)\b/.test(plain))
    filter.due = 'week';
  else if (/\b(next|up next|coming up|first)\b/.test(plain) && !/\bnext week\b/.test(plain))
    filter.due = 'next';
  if (
    /\b(high|urgent|important|top)\b(?: priority)?/.test(plain) &&
    /\b(priority|urgent|important)\b/.test(plain)
  )
    filter.priority = 'high';
  else if (
    /\blow(?:[ -]priority)?\b/.test(plain) &&
    /\bpriority|low\b/.test(plain) &&
    /\blow\b/.test(plain)
  )
    filter.priority = 'low';
  else if (/\b(medium|normal) priority\b/.test(plain)) filter.priority = 'medium';
  const tag =
    /(?:#|tagged |with (?:the )?tag |labell?ed |label )([\p{L}\p{N}_-]+)/u.exec(plain) ??
    /\b(?:my|the|under) ([\p{L}\p{N}_-]+) (?:tag|label)\b/u.exec(plain) ??
    // "what's in my work list", "show my garden tasks": a list named by a word that is no filter.
    /\b(?:in|on|from)? ?(?:my|the) (?!(?:all|open|pending|completed|done|finished|overdue|today's|tomorrow's|upcoming|high|low|medium|urgent|important|priority|recent|old|new|next|current|remaining|other|own|daily|weekly|todo|to-do|task|this|these|those|whole|entire|main|full)\b)([\p{L}\p{N}_-]+) (?:list|tasks|todos|stuff)$/u.exec(
      plain,
    );
  if (tag) filter.tag = tag[1]!;
  // "incl done ones", "with the completed ones too": finished tasks as well as open ones.
  const inclusive =
    /\b(?:incl|including|include|with|plus|and|also)(?: the)? (?:done|completed|finished)(?: ones| tasks| todos)?\b/.test(
      plain,
    );
  if (inclusive) filter.status = 'all';
  else if (
    /\b(completed|done|finished|did i (do|finish|complete))\b/.test(plain) &&
    !/\bnot (done|completed|finished)\b/.test(plain)
  )
    filter.status = 'completed';
  // "everything", "all my tasks": every status, unless another filter narrows the list.
  else if (
    /\ball (my )?(tasks|todos)\b|\beverything\b|^(?:show|list|display)(?: me)? all$/.test(plain) &&
    !filter.due &&
    !filter.tag &&
    !filter.priority
  )
    filter.status = 'all';
  return filter;
}

function preferences(plain: string): PreferencesPatch | null {
  const quiet =
    /quiet hours (?:from |between )?(\d{1,2})(?::(\d{2}))? ?(am|pm)? (?:to|until|and|-) ?(\d{1,2})(?::(\d{2}))? ?(am|pm)?/.exec(
      plain,
    );
  if (quiet) {
    const hh = (h: string, m: string | undefined, mer: string | undefined) => {
      let hour = Number(h) % 12;
      if (mer === 'pm' || (!mer && Number(h) === 12)) hour += 12;
      if (!mer && Number(h) > 12) hour = Number(h);
      return `${String(hour % 24).padStart(2, '0')}:${m ?? '00'}`;
    };
    return {
      quietHoursStart: hh(quiet[1]!, quiet[2], quiet[3]),
      quietHoursEnd: hh(quiet[4]!, quiet[5], quiet[6]),
    };
  }
  if (/^(?:turn off|disable|no more|remove|stop) quiet hours$/.test(plain))
    return { quietHoursStart: null, quietHoursEnd: null };
  const zone =
    /(?:my )?time ?zone (?:is|to|=)?\s*([a-z_]+\/[a-z_/+-]+|utc)$|^i(?:'m| am) in ([a-z_]+\/[a-z_/+-]+)$/.exec(
      plain,
    );
  if (zone) return { timezone: canonicalZone(zone[1] ?? zone[2]!) };
  const channel =
    /^(?:turn |switch )?(on|off|enable|disable|stop|start) (email|push)(?: notifications)?(?: (on|off))?$|^(email|push)(?: notifications)? (on|off)$/.exec(
      plain,
    );
  if (channel) {
    const which = (channel[2] ?? channel[4]) as 'email' | 'push';
    const state = channel[3] ?? channel[5] ?? channel[1]!;
    const on = /^(on|enable|start)$/.test(state);
    return which === 'email' ? { emailEnabled: on } : { pushEnabled: on };
  }
  return null;
}

function canonicalZone(raw: string): string {
  if (raw === 'utc') return 'UTC';
  return raw
    .split('/')
    .map((part) =>
      part
        .split('_')
        .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
        .join('_'),
    )
    .join('/');
}

function deleteMany(asked: string): ListFilter | null {
  // "can you delete all my tasks": asked politely, still several tasks at once.
  const plain = asked
    // "start fresh, delete everything": the reason given first changes nothing.
    .replace(
      /^(?:(?:let's|lets|i want to|i wanna) )?(?:start (?:fresh|over|again|from scratch)|fresh start|clean slate|reset)[\s,]+(?:and )?/,
      '',
    )
    .replace(/^(?:(?:can|could|would|will) you |please |pls )+/, '');
  const m =
    /^(?:delete|remove|clear|clean up|get rid of|wipe|erase|trash)(?: out)? (?:all|every|everything|both|all of|each of)(?: (?:my|the|of my|of the|of them|of these|of those|these|those|them))*(?: (completed|done|finished|pending|open|overdue|old))?(?: (high|low|medium|urgent|important)(?: priority)?)?(?: (?:tasks?|todos?|items?|ones?|stuff|things|of them|them|this|these|those))?(?: (?:tagged|with (?:the )?tag|labell?ed|in) #?([\p{L}\p{N}_-]+))?(?: (?:tasks?|todos?))?(?: (?:for )?(today|tomorrow))?$/u.exec(
      plain,
    ) ??
    /^(?:clear|clean up|wipe|empty)(?: out)?(?: (?:my|the|all|whole|entire))*(?: (completed|done|finished))?(?: (?:tasks|todos|list|todo list|task list))$/u.exec(
      plain,
    ) ??
    /^(?:clear|clean up|clear out|wipe)(?: (?:my|the|all))*( completed| done| finished)(?: ones| items)?$/u.exec(
      plain,
    ) ??
    /^(?:delete|remove|clear|get rid of|trash|bin)( )(?:them all|all of them|the lot|the whole lot|everything on (?:my|the) list|all the things|every single (?:task|one|thing))$/u.exec(
      plain,
    ) ??
    // "delete completed", "remove the finished ones", "delete old tasks"
    /^(?:delete|remove|clear|get rid of|trash|bin)(?: the| my)? (completed|done|finished|old)(?: ones| tasks| todos| items)?$/u.exec(
      plain,
    );
  if (!m) return null;
  const filter: ListFilter = { status: 'all' };
  const state = m[1]?.trim();
  if (state === 'completed' || state === 'done' || state === 'finished' || state === 'old')
    filter.status = 'completed';
  else if (state === 'pending' || state === 'open') filter.status = 'pending';
  else if (state === 'overdue') [filter.status, filter.due] = ['pending', 'overdue'];
  const level = m.length > 4 ? m[2] : undefined;
  const [tag, day] = m.length > 4 ? [m[3], m[4]] : [m[2], m[3]];
  if (level) filter.priority = /high|urgent|important/.test(level) ? 'high' : (level as 'low');
  if (tag) filter.tag = tag;
  if (day === 'today' || day === 'tomorrow') filter.due = day;
  return filter;
}

const PRONOUN =
  /^(it|that|this|that one|this one|that task|this task|the task|them|the one|the last one i added|what i just added|(?:the |its |it's )?(?:time|date|due date|deadline|due time|day|priority|reminder|title|name|due))$/;

function refFrom(text: string, listRef: boolean): TaskRef {
  // "finished the tax return 🎉": an emoji says how, not which.
  const t = text.replace(PICTOGRAPH, '').trim();
  // "make it 5pm and high priority": the connector left between two entities is not a name.
  const lower = t.toLowerCase().replace(/(?:\s+(?:and|with|to|as|at|for|on|by|also))+$/, '');
  // "push to tmrw": nothing but a connector is left where the name would be.
  if (
    !t ||
    PRONOUN.test(lower) ||
    /^(?:to|for|until|till|by|on|at|into|back|out|off|as)$/.test(lower)
  )
    return { kind: 'focus' };
  // "make it repeat …", "make it earlier, 8am": a pronoun then how it changes, not a name.
  if (/^(?:it|that)\b/.test(lower)) return { kind: 'focus' };
  // "remove buy stamps from my list": where the task is kept is not part of its name.
  const place =
    /\s+(?:from|off|on|in|of)\s+(?:my|the|our)\s+(?:list|lists|tasks|todos|to-?do list|task list|to-?dos)$/i.exec(
      t,
    );
  if (place) return refFrom(t.slice(0, place.index), listRef);
  const pos =
    /^(?:the |number |no |#|task |item )?(first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th|\d{1,2})(?: one| task| item| on the list)?$/.exec(
      lower,
    );
  if (pos && (listRef || !/^\d+$/.test(pos[1]!)))
    return { kind: 'position', index: selectIndex(pos[1]!) };
  return {
    kind: 'title',
    text: t
      // "finished with the report finally", "the one about the dentist", "the dentist one":
      // the words around a name are not part of it.
      .replace(/^(?:with|about|off) /i, '')
      .replace(/\s+(?:finally|already|at last|as well|too|now|today)$/i, '')
      .replace(/^(?:the )?one (?:about|for|with|called|named|that says) /i, '')
      .replace(/^(?:my|the) (?:task )?/i, '')
      .replace(/(\S)\s+one$/i, '$1')
      .replace(/^["'“]|["'”]$/g, '')
      .replace(/^task /i, ''),
  };
}

interface Verb {
  re: RegExp;
  build: (m: RegExpExecArray, x: Extracted, refText: (group: number) => string) => Intent | null;
}

/** Whether the extracted fields say anything. */
function hasFields(f: TaskFields): boolean {
  return Object.keys(f).length > 0;
}

const PICTOGRAPH = /[\p{Extended_Pictographic}\u{FE0F}\u{200D}]/gu;
/** A word made only of emoji (with their joiners, variation selectors and skin tones). */
const EMOJI_WORD = /^(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u{FE0F}|\u{200D})+$/u;
/** An edit verb and at most a pronoun: what to change is not said. */
const VAGUE_EDIT =
  /^(?:(?:can|could|would|will) (?:you|u) (?:please |pls )?)?(?:change|edit|update|modify|adjust|tweak|alter|amend)(?: (?:it|that|this|that one|this one|the task|my task|something))?(?: (?:up|for me|a bit|please|pls))*$/;
const FILLER =
  /^(?:(?:ok|okay|oh|and|also|plus|then|so|hmm|um|well|please|pls|can you|could you|would you|just|maybe|actually|instead|wait(?=\s*,)|hey|(?:can|could|shall) we (?:do|make it|have it|go for|go with|move it to|change it to)?|how about|what about|let's (?:do|make it|say|go with|go for)?|let us)\b[\s,]*)+/;
/** Words that may be left over from an edit of the task in focus once its fields are read. */
const EDIT_RESIDUE = new Set(
  "it that this one that one the a an and also plus then with for to as at on of by up down so please just tag tags label labels add set give put make change bump raise lower increase decrease turn switch be is its it's should priority reminder reminders due date time deadline task item repeat repeats repeating recur same works better would fine instead".split(
    ' ',
  ),
);

export function parseUtterance(
  text: string,
  ctx: ParseContext,
  hints: ConversationHints = {},
): ParseResult {
  const n = normalise(text);
  const plain = n.text
    // Emoji say how, not what: "thanks 🙏" is thanks.
    .replace(PICTOGRAPH, '')
    .replace(/[“”"]/g, '')
    .replace(/[.!,;]+(?=\s|$)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const bareQ = plain.replace(/\?+$/, '').trim();
  const none: ParseResult['entities'] = [];
  const simple = (intent: Intent): ParseResult => ({ intent, entities: none });

  if (!bareQ)
    return simple(plain.includes('?') ? { type: 'help' } : { type: 'unknown', reason: 'nonsense' });
  const bare = bareQ.replace(/^(?:please |pls )|(?: please| pls| now)$/g, '');
  // "how does this even work": a softener changes nothing.
  if (HELP.test(bare) || HELP.test(bare.replace(/ (?:even|actually|exactly|again)\b/g, '')))
    return simple({ type: 'help' });
  const undoing = bare.replace(
    /^(?:(?:oops|whoops|oh no|uh oh|sorry|no|nope|wait|ugh|argh|damn|dang|ah|hmm|actually|oh)[\s,]+)+/,
    '',
  );
  // After a "no", only the word undo itself takes back: "no, cancel that" answers a question.
  const undoWord = /^(?:undo|revert|reverse|roll ?back|ctrl|cmd)\b/.test(undoing);
  const sorry = /^(?:oops|whoops|oh no|uh oh|sorry)\b/.test(bare);
  if ((UNDO.test(undoing) && (undoWord || sorry || undoing === bare)) || MISTAKE.test(undoing)) {
    // With a question open ("delete these 3?"), "no that's wrong" answers it; taking back the
    // last change then needs the word undo.
    const answersQuestion = hints.pending && !undoWord && MISTAKE.test(undoing);
    return simple(answersQuestion ? { type: 'deny' } : { type: 'undo' });
  }
  // "uh yes", "hmm no": a filler before an answer changes nothing.
  const answer = bare.replace(/^(?:(?:uh+|um+|hmm+|erm*|oh|well|ah+|actually|so)[\s,]+)+/, '');
  // Letters held down, or doubled at a word's end: "nooo", "noo", "yess".
  const heldAnswer = answer.replace(/(\p{L})\1{2,}/gu, '$1');
  const answers = [answer, heldAnswer, heldAnswer.replace(/(\p{L})\1\b/gu, '$1')];
  if (answers.some((a) => YES.test(a) || ALL_OF_THEM.test(a))) return simple({ type: 'confirm' });
  // "not right now": the "now" cut from `bare` belongs to the answer.
  if ([...answers, bareQ].some((a) => NO.test(a))) return simple({ type: 'deny' });
  // "no, the second one", "i mean the first one", "the last one i meant": still a pick.
  const picked = answer
    .replace(
      // "no, the second one", "yes the first one", "just the last one": still a pick.
      /^(?:(?:no|nope|sorry|oops|actually|wait|i mean|i meant|sorry i meant|rather|yes|yeah|yep|yup|ok|okay|sure|just|only)[\s,]+)+/,
      '',
    )
    .replace(/[\s,]+(?:i mean|i meant|instead|then|i think|i guess|probably|i suppose)$/, '');
  const sel = ORDINAL_SELECT.exec(picked);
  if (sel) return simple({ type: 'select', index: selectIndex(sel[1] ?? sel[2] ?? sel[3]!) });
  // Lists (ADR 330): a list's own operations, and the list a task goes in or a question is about.
  const listed = listReading(
    text,
    hints.lists ?? [],
    (t) => parseUtterance(t, ctx, { ...hints, lists: undefined }).intent,
    (t) => refFrom(t, true),
  );
  if (listed) return simple(listed);
  if (
    /^(done|finished|completed|did it|done it|all done|mark (it )?(as )?(done|complete)|it's done|that's done|it is done)$/.test(
      bare,
    )
  ) {
    // "mark it done" with nothing in the conversation: ask which task (ADR 200).
    if (!hints.hasFocus) return simple({ type: 'unknown', reason: 'no-focus' });
    return simple({ type: 'complete', ref: { kind: 'focus' } });
  }
  if (GREETING.test(bare) || THANKS.test(bare)) return simple(smalltalk(bare));
  const prefs = preferences(bare);
  if (prefs) return simple({ type: 'set-preferences', preferences: prefs });
  const many = deleteMany(bare);
  if (many) return simple({ type: 'delete-many', filter: many });
  // Remarks and clock questions may name a day ("i hate mondays", "what's the weather
  // tomorrow") and are still not tasks; the rest is talk only when no task field was said.
  // Letters held down ("hellooo", "byeee") say the same word.
  // A laugh or a sigh at the end ("im bored lol") changes nothing.
  const talk = bare
    // "hahaha", "lolol": a laugh of any length is the same laugh.
    .replace(/\b(?:ha){2,}h?\b/g, 'haha')
    .replace(/\bl(?:ol)+\b/g, 'lol')
    .replace(/(?:[\s,]+(?:lol|haha|lmao|xd|tbh|smh|ugh|:\)|:\())+$/, '');
  const held = talk.replace(/(\p{L})\1{2,}/gu, '$1');
  if (
    CLOCK_QUESTION.test(talk) ||
    SOCIAL.test(held) ||
    SOCIAL.test(held.replace(/(\p{L})\1\b/gu, '$1')) ||
    REMARK.some((re) => re.test(talk)) ||
    (isChitChat(talk) && !hasFields(extract(n, ctx).fields))
  )
    return simple(smalltalk(talk));
  const query = queryFilter(bare);
  // "find a plumber by friday": a date or tag makes "find …" a task to do, not a search.
  const findTask = query?.q && /^(find|look)\b/.test(bare) && hasFields(extract(n, ctx).fields);
  if (query && !findTask && !/^(add|create|remind)\b/.test(bare))
    return simple({ type: 'list', filter: query });
  if (isNonsense(bare)) return simple({ type: 'unknown', reason: 'nonsense' });
  if (
    (QUESTION_START.test(bare) &&
      !/^(can|could|would|will) you\b|^(can|could|shall) we\b|^(how|what) about\b/.test(bare)) ||
    /^tell me\b/.test(bare)
  ) {
    return simple(smalltalk(bare));
  }

  // "change it", "can you edit that": an edit that says nothing of what to change.
  if (VAGUE_EDIT.test(bare)) return simple({ type: 'unknown', reason: 'vague-edit' });

  // Steps 2–4 on everything else.
  const x = extract(n, ctx);
  const ruled = finish(decide(n, x, hints), x);
  // Step 3b: a new task is only the rules' fallback; weigh it against the other readings.
  const intent =
    ruled.type === 'add' || ruled.type === 'correction'
      ? choose(
          readings(ruled, x.scan.free, x.fields, hints, (hour) =>
            hour > 23
              ? null
              : resolveDue(
                  [
                    {
                      // A bare "5" is the afternoon, as in "at 5" (ADR 080).
                      hour: hour >= 1 && hour <= 7 ? hour + 12 : hour,
                      minute: 0,
                      dateSaid: false,
                      timeSaid: true,
                    },
                  ],
                  ctx,
                ),
          ),
        )
      : ruled;
  // "it" with no task in the conversation: nothing to point at, so ask rather than guess.
  if ('ref' in intent && intent.ref?.kind === 'focus' && !hints.hasFocus)
    return {
      intent: {
        type: 'unknown',
        reason: 'no-focus',
        ...('fields' in intent && hasFields(intent.fields) ? { fields: intent.fields } : {}),
        ...(intent.type === 'reschedule' && intent.due ? { fields: { due: intent.due } } : {}),
      },
      entities: x.entities,
    };
  return { intent, entities: x.entities };
}

/**
 * An edit changes only what was said. Tags named are added to the task's own, not put in
 * their place; a repeat rule without a day or time of its own ("make it every monday") keeps
 * the task's due date, its first occurrence is only a hint for a task that has none.
 */
function finish(intent: Intent, x: Extracted): Intent {
  if (intent.type !== 'update') return intent;
  let out = intent;
  if (out.fields.tags) {
    const { tags, ...fields } = out.fields;
    out = { ...out, fields, tagsAdd: [...new Set([...(out.tagsAdd ?? []), ...tags])] };
  }
  if (x.impliedDue && out.fields.recurrence && out.fields.due) {
    const { due, ...fields } = out.fields;
    out = { ...out, fields, firstDue: due };
  }
  return out;
}

function decide(n: Normalised, x: Extracted, hints: ConversationHints): Intent {
  const { scan, fields } = x;
  // "drink water every hour": understood, and refused with what was understood.
  if (x.tooFrequent) return { type: 'unknown', reason: 'too-frequent', fields };
  const cuts: Array<[number, number]> = scan.found.map((f) => [f.start, f.end]);
  const free = scan.free;
  // Leading fillers and a correction marker ("actually", "no, I meant").
  let at = 0;
  let correction = false;
  const lead =
    /^[\s,]*(?:(?:no(?! longer| need)|nope|sorry|oops|whoops|wait|oh|ugh|argh|wrong|typo|my bad)[\s,:\-–]+)*(?:i meant to say|meant to say|i meant|i mean|meant|make that|rather|i said|what i meant was|correction|typo)\b[\s,:]*/.exec(
      free,
    ) ??
    // "scratch that, call dad", "not that, the report": the last one was wrong, this is meant.
    /^[\s,]*(?:scratch that|not that(?: one)?|forget that)[\s,:]+(?=\S)/.exec(free) ??
    /^[\s,]*(?:(?:no(?! longer| need)|nope|sorry|oops|wait(?=\s*(?:,|$))|oh no)(?:[\s,]+|$))+/.exec(
      free,
    );
  if (lead) {
    correction = true;
    at = lead[0].length;
  }
  const rest0 = free.slice(at);
  const fill = FILLER.exec(rest0.trimStart());
  if (fill && fill[0]) {
    if (/\b(actually|instead)\b/.test(fill[0])) correction = true;
    at += rest0.length - rest0.trimStart().length + fill[0].length;
  }
  // Trailing fillers: "at 10 instead", "make it 5 please".
  const tail =
    /[\s,]+(?:instead|please|pls|then|now|thanks|thank you)[\s.!\p{Extended_Pictographic}\u{FE0F}]*$/u.exec(
      free,
    );
  if (tail && tail.index >= at) {
    cuts.push([tail.index, free.length]);
    if (/instead/.test(tail[0])) correction = true;
  }
  const body = tail && tail.index >= at ? free.slice(at, tail.index) : free.slice(at);
  const offset = at;
  cuts.push([0, at]);
  const title = (extra: Array<[number, number]> = []) => leftover(n, [...cuts, ...extra]);
  /** The user's own text of a regex group (casing kept), entities cut out. */
  const group = (m: RegExpExecArray, i: number): string => {
    const g = m[i];
    if (g === undefined) return '';
    const s = offset + m.index + (m.indices?.[i]?.[0] ?? m[0].indexOf(g)) - m.index;
    const e = s + g.length;
    const keep: Array<[number, number]> = [
      [0, s],
      [e, n.text.length],
    ];
    // A reference keeps its words ("buy milk for" names tasks that go on); only spacing goes.
    return leftover(n, [...cuts, ...keep], (t) =>
      t.replace(/\s+/g, ' ').replace(/^[\s,;:.!?]+|[\s,;:.!?]+$/g, ''),
    );
  };
  const hasEntities = hasFields(fields) || x.timesPerWeek !== undefined;
  const withDuration = (f: TaskFields): TaskFields =>
    x.durationMinutes && !f.description
      ? { ...f, description: `Takes about ${durationText(x.durationMinutes)}.` }
      : f;

  // "every 3 months change filter": a part read before the verb, and no "to" after it: the
  // verb starts a title ("change filter"), it does not change a task called "filter".
  const entityFirst =
    /^\s+\S/.test(body) && !/\b(?:to|as|at|for|on|by|until|till|into)\b/.test(body);
  const verbs: Verb[] = [
    {
      // "rename it to …", "call it …", "change the title of X to …"
      re: /^\s*(?:rename|retitle|call|name)\s+(.+?)\s+(?:to|as)\s+(.+?)\s*$|^\s*(?:rename|retitle)\s+(it|that|this)\s+(.+?)\s*$|^\s*(?:call|name)\s+(it|that|this)\s+(.+?)\s*$|^\s*change\s+(?:the\s+)?(?:title|name)(?:\s+(?:of|for)\s+(.+?))?\s+to\s+(.+?)\s*$|^\s*rename(\s*)(?:to|as)\s+(.+?)\s*$|^\s*(?:make|set)\s+the\s+(?:title|name)(\s*)(?:to\s+)?(.+?)\s*$|^\s*(?:it's|its|it is)(\s*)(?:actually\s+)?called\s+(.+?)\s*$/d,
      build: (m) => {
        const i =
          m[1] !== undefined
            ? 1
            : m[3] !== undefined
              ? 3
              : m[5] !== undefined
                ? 5
                : m[7] !== undefined || m[8] !== undefined
                  ? 7
                  : m[9] !== undefined
                    ? 9
                    : m[11] !== undefined
                      ? 11
                      : 13;
        const newTitle = clean(rawGroup(n, offset, m, i + 1));
        if (!newTitle) return null;
        return {
          type: 'update',
          ref: refFrom(m[i] === undefined ? '' : group(m, i), true),
          fields: { ...fields, title: newTitle },
        };
      },
    },
    {
      // "add a note: …", "description: …"
      re: /^\s*(?:add\s+(?:a\s+)?(?:note|description|details?|comment)(?:\s+to\s+(it|that|.+?))?|note|description|details|comment)\s*(?::|saying|that says|that)\s*(.+?)\s*$/d,
      build: (m) => ({
        type: 'update',
        ref: refFrom(m[1] === undefined ? '' : group(m, 1), true),
        fields: { description: rawGroup(n, offset, m, 2).trim() },
      }),
    },
    {
      re: /^\s*(?:stop|don't|do not|no longer|never)\s+(?:repeating|repeat|recurring|recur)(?:\s+(?:it|that|this))?(?:\s+(?!(?:anymore|any more|again|any longer)\s*$)(.+?))?(?:\s+(?:anymore|any more|again|any longer))?\s*$|^\s*(?:make\s+(?:it|that|this)\s+)?(?:a\s+)?one[- ]?(?:off|time)(?:\s+task)?\s*$|^\s*(?:remove|delete|cancel|end|stop|turn off)\s+(?:the\s+)?(?:repeat|recurrence|series|repetition)(?:\s+(?:of|on|for|from)\s+(.+?))?\s*$|^\s*(?:it|that)\s+(?:doesn't|does not|shouldn't|should not)\s+(?:need to\s+)?repeat\s*$|^\s*(?:don't|do not)\s+(?:make\s+(?:it|that)\s+)?repeat\s*$|^\s*(?:make\s+(?:it|that)\s+)?(?:(?:just|only)\s+)?once\s*$/d,
      build: (m) => ({
        type: 'update',
        ref: refFrom(
          m[1] !== undefined ? group(m, 1) : m[2] !== undefined ? group(m, 2) : '',
          true,
        ),
        fields: { ...fields, recurrence: null },
      }),
    },
    {
      // "remove the due date", "no deadline for the report": undated, not deleted.
      re: /^\s*(?:(?:remove|delete|clear|drop|get rid of|take off|unset)\s+(?:the\s+|its\s+)?|no\s+)(?:due date|due time|deadline|date)(?:\s+(?:from|on|for|of)\s+(.+?))?\s*$/d,
      build: (m) =>
        hasEntities
          ? null
          : {
              type: 'update',
              ref: refFrom(m[1] !== undefined ? group(m, 1) : '', true),
              fields: { due: null },
            },
    },
    {
      // "untag work", "remove the tag work from the report"
      re: /^\s*(?:untag(?:\s+(?:it|that|this))?|(?:remove|delete|drop|take off)\s+(?:the\s+)?(?:tag|label)s?)\s+#?([\p{L}\p{N}_-]+)(?:\s+(?:from|on|off)\s+(.+?))?\s*$|^\s*(?:remove|delete|drop|take off|get rid of)\s+(?:the\s+)?#?([\p{L}\p{N}_-]+)\s+(?:tag|label)(?:\s+(?:from|on|off)\s+(.+?))?\s*$/du,
      build: (m) =>
        // "remove the tag": which tag is not said, so ask rather than remove a tag "the".
        /^(?:the|a|an|this|that|its|my|it)$/.test((m[1] ?? m[3])!)
          ? { type: 'unknown', reason: 'vague-edit' }
          : {
              type: 'update',
              ref: refFrom(
                m[2] !== undefined ? group(m, 2) : m[4] !== undefined ? group(m, 4) : '',
                true,
              ),
              fields: {},
              tagsRemove: [(m[1] ?? m[3])!],
            },
    },
    {
      re: /^\s*(?:reopen|re-open|unmark|uncomplete|un-complete|uncheck|untick|undo complete|undo completing)\s+(.+?)\s*$|^\s*mark\s+(.+?)\s+(?:as\s+)?(?:not done|undone|incomplete|not complete|not finished|pending|open)\s*$|^\s*(.+?)\s+(?:is\s+|isn't\s+|is not\s+|wasn't\s+)?(?:not done|not finished|not complete|undone|done yet)\s*$|^\s*(.+?)\s+(?:isn't|is not|wasn't|was not|aren't|are not)\s+(?:done|finished|complete|completed)(?:\s+yet)?\s*$/d,
      build: (m) => ({
        type: 'reopen',
        ref: refFrom(
          group(m, m[1] !== undefined ? 1 : m[2] !== undefined ? 2 : m[3] !== undefined ? 3 : 4),
          true,
        ),
      }),
    },
    {
      re: /^\s*(?:mark|set|tick|check)\s+(.+?)\s+(?:as\s+)?(?:done|complete|completed|finished|off)\s*$/d,
      build: (m) => ({ type: 'complete', ref: refFrom(group(m, 1), true) }),
    },
    {
      re: /^\s*(?:i(?:'ve| have)?\s+)?(?:just\s+|already\s+)?(?:complete[d]?|finish(?:ed)?|did|done with|done|check(?:ed)? off|tick(?:ed)? off|cross(?:ed)? off|close|closed|(?:i'm|i am) done with|(?:i'm|i am) finished with|finished with|knock(?:ed)? out|wrap(?:ped)? up|mark done|mark complete|mark off|got done with|all done with|finally did|finally finished|sorted)\s*[:\-–]?\s+(.+?)\s*$/d,
      build: (m) => {
        const ref = refFrom(group(m, 1), true);
        // "finish the slides friday" is a task to do; "i finished the slides" is news.
        const imperative = /^\s*(?:complete|finish|close|do|wrap up|knock out)\s/.test(m[0]);
        if (imperative && (hasEntities || (ref.kind === 'title' && !/^\s*complete\s/.test(m[0]))))
          return null;
        if (hasEntities) return null;
        return { type: 'complete', ref };
      },
    },
    {
      re: /^\s*(.+?)\s*(?:\s(?:is|are|was)|'s)\s+(?:done|finished|complete|completed|taken care of|sorted)\s*$|^\s*(?:got\s+)?(.+?)\s*[-–:]?\s+(?:done|finished|complete|completed|sorted)\s*$/d,
      build: (m) => {
        const i = m[1] !== undefined ? 1 : 2;
        if (hasEntities) return null;
        return { type: 'complete', ref: refFrom(group(m, i), true) };
      },
    },
    {
      // "bought the milk", "i just called mom": news that something on the list is done.
      re: /^\s*(?:i\s+)?(?:just\s+|already\s+|finally\s+)?(?:bought|paid|called|rang|phoned|sent|emailed|texted|booked|cleaned|washed|fixed|posted|returned|renewed|submitted|filed|ordered|wrote|cooked|fed|watered|mowed|hoovered|vacuumed|signed|printed|packed|picked up|dropped off|took out|handed in|collected|visited|tidied|ironed|paid off|replied to|answered)\s+(.+?)\s*$/d,
      build: (m) => (hasEntities ? null : { type: 'complete', ref: refFrom(group(m, 1), true) }),
    },
    {
      // "i don't need to buy milk anymore", "no need to call mom", "the dentist is cancelled"
      re: /^\s*(?:i\s+)?(?:don't|do not|no longer|no)\s+(?:need|have)\s+to\s+(.+?)(?:\s+(?:anymore|any more))?\s*$|^\s*(.+?)\s+(?:is|was|got|has been)\s+(?:cancelled|canceled|called off)\s*$/d,
      build: (m) =>
        hasEntities
          ? null
          : { type: 'delete', ref: refFrom(group(m, m[1] !== undefined ? 1 : 2), true) },
    },
    {
      re: /^\s*(?:delete|remove|cancel|drop|trash|erase|scrap|scratch|strike|get rid of|forget about|forget|kill|nuke|ditch|bin|del|rm)\s*[:\-–]?\s+(.+?)\s*$|^\s*take\s+(.+?)\s+off\s+(?:my|the)\s+(?:list|todo list|to-do list|tasks)\s*$/d,
      build: (m) => {
        if (hasEntities && !fields.tags) return null;
        const refText = group(m, m[1] !== undefined ? 1 : 2);
        // "remove #work": only a tag was named, so the tag goes, not the task.
        if (fields.tags && !refText && /^\s*(?:remove|delete|drop)\b/.test(m[0]))
          return { type: 'update', ref: { kind: 'focus' }, fields: {}, tagsRemove: fields.tags };
        return { type: 'delete', ref: refFrom(refText, true) };
      },
    },
    {
      // "push the report to friday", "move dentist to 3pm", "postpone it", "push it back 2 days"
      re: /^\s*(?:push|move|postpone|reschedule|delay|shift|bump|defer|put off|change|switch|snooze|bring)(?:\s+(?:back|out|forward))?\s+(.+?)(?:\s+(?:back|out|forward|off|later|over))?(?:\s+(?:to|until|till|for|by|until|into))?\s*$/d,
      build: (m) => {
        const refText = group(m, 1);
        if (entityFirst) return null;
        // After any "can you", "please": the verb starts the sentence.
        const whole = n.text
          .slice(offset)
          .replace(/[.!?]+$/, '')
          .trim();
        const shift =
          /^(?:\S+(?:\s+(?:back|out|forward))?)\s+(.*?)\s*(?:back |forward |out )?(?:by )?(an?|\d+|one|two|three|four|five|six|seven|ten)\s+(minutes?|hours?|days?|weeks?)(?: later| back| forward)?$/.exec(
            whole,
          );
        if (shift && !/\b(?:in|at|to|until|till)\s+(?:an?|\d+|one|two|three)\s+\w+$/.test(whole)) {
          const count = /^\d+$/.test(shift[2]!) ? Number(shift[2]) : NUMBER_WORDS[shift[2]!]!;
          const unit =
            shift[3]![0] === 'm'
              ? 1
              : shift[3]![0] === 'h'
                ? 60
                : shift[3]![0] === 'd'
                  ? 1440
                  : 10080;
          return {
            type: 'reschedule',
            ref: refFrom(clean(shift[1]!), true),
            shiftMinutes: count * unit,
          };
        }
        if (fields.due) {
          const rest: TaskFields = { ...fields };
          delete rest.due;
          if (hasFields(rest)) return { type: 'update', ref: refFrom(refText, true), fields };
          return { type: 'reschedule', ref: refFrom(refText, true), due: fields.due };
        }
        if (/^(?:push|postpone|delay|defer|put off|snooze|bump)/.test(m[0].trim())) {
          if (hasFields(fields)) return null;
          return { type: 'reschedule', ref: refFrom(refText, true), shiftMinutes: 1440 };
        }
        return null;
      },
    },
    {
      // "make it high priority", "set the report to friday", "change it to every monday", "make that 4pm"
      re: /^\s*(?:make|set|change|update|switch|turn|mark|give|put|move|label)\s+(.+?)(?:\s+(?:to|as|at|for|on|by|with|a|an))*\s*$/d,
      build: (m) => {
        if (!hasEntities) return null;
        const ref = refFrom(group(m, 1), true);
        if (ref.kind === 'title' && !/^\s*(?:make|set|change|mark|give|switch|turn)\s/.test(m[0]))
          return null;
        if (ref.kind === 'title' && entityFirst) return null;
        return { type: 'update', ref, fields: withDuration(fields) };
      },
    },
    {
      // "it's due friday", "it should be high priority", "due friday"
      re: /^\s*(?:(?:it|that|this|the (?:time|date|due date|deadline|priority|reminder))(?:'s|\s+is|\s+should be|\s+should|\s+needs to be|\s+has to be|\s+will be|\s+must be)?\s*)?(?:due|needs to be done|should be done|happens|is|repeat|repeats|recur|be)?\s*$/d,
      build: () => {
        if (!hasEntities) return null;
        if (x.timesPerWeek) return null;
        if (!hints.hasFocus && !correction) return { type: 'unknown', reason: 'no-title', fields };
        return { type: 'update', ref: { kind: 'focus' }, fields };
      },
    },
  ];

  // "an hour later", "make it 30 minutes earlier": a shift of the task in focus, not a time
  // counted from now.
  const later =
    /^(?:(?:make|move|push|put|set|do|have) (?:it|that) )?(an?|half an|\d+|one|two|three|four|five|ten|fifteen|twenty|thirty|forty-five) (minutes?|hours?|days?|weeks?) (later|earlier|sooner|after|before)$/.exec(
      n.text.slice(offset).replace(/[.!?\s]+$/, ''),
    );
  if (later && (hints.hasFocus || correction)) {
    const count = later[1] === 'half an' ? 0.5 : (NUMBER_WORDS[later[1]!] ?? Number(later[1]));
    const unit = { m: 1, h: 60, d: 1440, w: 10080 }[later[2]![0] as 'm' | 'h' | 'd' | 'w'];
    const sign = /later|after/.test(later[3]!) ? 1 : -1;
    return { type: 'reschedule', ref: { kind: 'focus' }, shiftMinutes: sign * count * unit };
  }

  // "tag buy milk with groceries": the tag was read; what is left names the task.
  if (scan.get('tag-verb') && !fields.due && !fields.recurrence) {
    const named = title();
    if (named) return { type: 'update', ref: refFrom(named, true), fields };
  }

  for (const verb of verbs) {
    const m = verb.re.exec(body);
    if (!m) continue;
    const intent = verb.build(m, x, (i) => group(m, i));
    if (intent) return intent;
  }

  // In a conversation, fields with nothing left but pronouns and the words that name fields
  // ("tag it #a and #b", "no reminder for that one", "bump the priority up to high") edit the
  // task in focus: no new task is made of "tag it".
  if (
    hasEntities &&
    (hints.hasFocus || correction) &&
    !x.timesPerWeek &&
    body.trim() &&
    body
      .trim()
      .split(/[\s,;:.!?]+/)
      .filter(Boolean)
      .every((w) => EDIT_RESIDUE.has(w))
  )
    return { type: 'update', ref: { kind: 'focus' }, fields: withDuration(fields) };

  // Nothing but a correction: "no, I meant buy bread".
  const addPrefix =
    /^\s*(?:(?:please|pls)\s+)?(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?)?(?:(?:add|create|new|jot down|write down|note down|insert)(?:\s+(?:a|an|new|another)\b)*(?:\s+(?:task|todo|to-do|item|reminder|entry)\b)?(?:\s+(?:to|for|called|named|titled)\b|\s+:)*|(?:new\s+)?(?:task|todo|to-do)\s*:|i\s+(?:need|have|want|got|gotta|must|should|ought)\s+(?:to\s+)?|(?:need|have|got|gotta|must|should|want)\s+to\s+|gotta\s+|don't\s+forget\s+(?:to\s+)?|do not\s+forget\s+(?:to\s+)?|remember\s+to\s+|don't\s+let\s+me\s+forget\s+(?:to\s+)?|remind\s+me\s+(?:to|about)\s+)\s*/d.exec(
      body,
    );
  const prefixCut: Array<[number, number]> = addPrefix?.[0].trim()
    ? [[offset, offset + addPrefix[0].length]]
    : [];
  // "add something for friday", "that one": a pronoun or placeholder names no task; "not" is
  // what is left of "friday, not thursday".
  const name =
    /^(?:something|anything|stuff|some stuff|things?|a thing|the thing|it|that|this|this one|that one|them|those|these|one|not|than|instead of|rather than|do|do it|do that|do this|have it|later|soon|now|asap)$/i.test(
      title(prefixCut),
    )
      ? ''
      : title(prefixCut);
  // "ugh mondays", "lol tomorrow": a sigh with a day in it names nothing to do.
  if (
    name &&
    name
      .toLowerCase()
      .split(/[\s,.!?]+/)
      .filter(Boolean)
      .every((w) => FILLER_WORD.test(w))
  )
    return { type: 'unknown', reason: 'smalltalk' };
  if (correction && !addPrefix?.[0].trim() && name) {
    return { type: 'correction', text: name, fields };
  }
  if (!name) {
    if (hasEntities && (hints.hasFocus || correction) && !x.timesPerWeek)
      return { type: 'update', ref: { kind: 'focus' }, fields };
    return {
      type: 'unknown',
      reason: hasEntities ? 'no-title' : 'nonsense',
      ...(hasEntities ? { fields } : {}),
    };
  }
  const addFields: TaskFields = { ...withDuration(fields) };
  // "remind me to call the bank": no time to remind at, so the task is added without one
  // (the reply says so) rather than with a reminder that can never fire.
  if (x.reminderLeading && !addFields.due && addFields.reminderOffset === 0)
    delete addFields.reminderOffset;
  const add: Intent = { type: 'add', fields: { ...addFields, title: name } };
  if (x.timesPerWeek)
    return {
      type: 'clarify',
      question: x.timesPeriod === 'month' ? 'which-monthdays' : 'which-days',
      intent: add,
    };
  return add;
}

/** The user's text of group `i` in the original casing (entities not cut: titles may contain anything). */
function rawGroup(n: Normalised, offset: number, m: RegExpExecArray, i: number): string {
  const span = m.indices?.[i];
  if (!span) return m[i] ?? '';
  const [s, e] = toOriginal(n, offset + span[0], offset + span[1]);
  return n.original.slice(s, e);
}

function durationText(minutes: number): string {
  if (minutes % 60 === 0) return `${minutes / 60} hour${minutes === 60 ? '' : 's'}`;
  return `${minutes} minutes`;
}
