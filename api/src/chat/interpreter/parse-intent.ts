import type { NotificationPreferences } from '@todo/contracts';
import { findDate } from './dates.js';
import { DURATION_PATTERN, durationMinutes } from './durations.js';
import {
  extractFields,
  extractTags,
  findChannels,
  findPriority,
  type ParseContext,
} from './fields.js';
import type { Intent, ListFilter, TaskRef } from './intent.js';
import { findRecurrence } from './recurrence-phrases.js';
import { parseRef } from './references.js';
import { clean } from './text.js';
import { fixTypos } from './typos.js';

export type { ParseContext };

const POLITE_START =
  /^(?:please|pls|plz|kindly|can you|could you|would you|will you|hey|hi|ok|okay|so|and|also|now)\b[,!]?\s+/i;
const POLITE_END = /[,\s]+(?:please|pls|thanks|thank you|thx)$/i;

function normalise(message: string): string {
  // "fix the bug!!" is urgent; clean() would drop the marks.
  const urgent = /!{2,}\s*$/.test(message) ? ' !!' : '';
  let text = clean(fixTypos(message));
  for (let i = 0; i < 4; i += 1) {
    const next = clean(text.replace(POLITE_START, '').replace(POLITE_END, ''));
    if (next === text) break;
    text = next;
  }
  return text + urgent;
}

/** Questions read like statements to the command parsers ("what is due tomorrow"). */
const QUESTION =
  /^(?:what|what's|whats|which|show|list|how many|anything|is there|are there|do i|have i|did i|tell me)\b/i;

type Parser = (text: string, ctx: ParseContext) => Intent | null;

const HELP =
  /^(?:help|\?|what can you do|what do you do|how does this work|how do i use (?:this|you)|commands|hi|hello|hey|good (?:morning|afternoon|evening))\??$/i;

const select: Parser = (text) => {
  const ref = parseRef(text.replace(/^(?:i meant|i mean|i said)\s+/i, ''));
  return ref.kind === 'position' ? { type: 'select', ref } : null;
};

const preferences: Parser = (text) => {
  const prefs: Partial<NotificationPreferences> = {};
  const quiet =
    /\b(?:quiet hours?|do not disturb|don'?t (?:notify|disturb|bother) me|no notifications)\b.*?\b(?:from|between)\s+(.+?)\s+(?:to|and|until|till|-)\s+(.+)$/i.exec(
      text,
    );
  if (quiet) {
    const start = clockTime(quiet[1]!);
    const end = clockTime(quiet[2]!);
    if (start && end)
      return {
        type: 'set-preferences',
        preferences: { quietHoursStart: start, quietHoursEnd: end },
      };
  }
  if (
    /\b(?:turn off|disable|remove|clear|no more|stop)\s+(?:the\s+|my\s+)?quiet hours?\b|\bquiet hours? off\b/i.test(
      text,
    )
  ) {
    return { type: 'set-preferences', preferences: { quietHoursStart: null, quietHoursEnd: null } };
  }
  const zone =
    /\b(?:set\s+)?(?:my\s+)?time\s*zone\s+(?:is\s+|to\s+|=\s*|:\s*)?(.+)$/i.exec(text) ??
    /^i(?:'m| am)\s+(?:in|on|living in)\s+(.+?)(?:\s+time)?$/i.exec(text);
  if (zone) {
    const resolved = resolveTimeZone(zone[1]!);
    if (resolved) return { type: 'set-preferences', preferences: { timezone: resolved } };
  }
  const toggle =
    /\b(turn on|turn off|enable|disable|stop|start|mute|unmute|no)\s+(?:all\s+)?(?:my\s+)?(email|e-mail|push)(?:\s+(?:notifications?|reminders?|alerts?))?\b|\b(email|push)\s+(?:notifications?|reminders?)\s+(on|off)\b/i.exec(
      text,
    );
  if (toggle) {
    const verb = (toggle[1] ?? toggle[4] ?? '').toLowerCase();
    const channel = (toggle[2] ?? toggle[3] ?? '').toLowerCase();
    const on = ['turn on', 'enable', 'start', 'unmute', 'on'].includes(verb);
    if (channel === 'push') prefs.pushEnabled = on;
    else prefs.emailEnabled = on;
    return { type: 'set-preferences', preferences: prefs };
  }
  const only =
    /\b(?:only\s+(?:send\s+me\s+)?(email|push)|(email|push)\s+only)\s*(?:notifications?|reminders?)?$/i.exec(
      text,
    );
  if (only && /notif|remind|send|^only|only$/i.test(text) && !/\b(?:for|about|of)\b/i.test(text)) {
    const channel = (only[1] ?? only[2])!.toLowerCase();
    return {
      type: 'set-preferences',
      preferences: { emailEnabled: channel === 'email', pushEnabled: channel === 'push' },
    };
  }
  const defaultOffset = new RegExp(
    `\\bdefault\\s+reminder(?:\\s+offset)?\\s+(?:to\\s+|of\\s+|is\\s+)?${DURATION_PATTERN}|\\bby default,?\\s+remind me\\s+${DURATION_PATTERN}`,
    'i',
  ).exec(text);
  if (defaultOffset) {
    const minutes = durationMinutes(defaultOffset, 1) ?? durationMinutes(defaultOffset, 4);
    if (minutes !== null)
      return { type: 'set-preferences', preferences: { defaultReminderOffset: minutes } };
  }
  return null;
};

/** "10pm", "22:00", "7 am", "7" → "HH:MM". */
export function clockTime(text: string): string | null {
  const m = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$/i.exec(text.trim());
  if (m) {
    let hour = Number(m[1]);
    const minute = Number(m[2] ?? 0);
    const meridiem = m[3]?.toLowerCase().replace(/\./g, '');
    if (meridiem === 'pm' && hour < 12) hour += 12;
    if (meridiem === 'am' && hour === 12) hour = 0;
    if (hour > 23 || minute > 59) return null;
    return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  }
  if (/^midnight$/i.test(text.trim())) return '00:00';
  if (/^noon|midday$/i.test(text.trim())) return '12:00';
  return null;
}

const ZONES = Intl.supportedValuesOf('timeZone');

/** An IANA zone from "Europe/Berlin", "berlin", "new york", "UTC". */
function resolveTimeZone(input: string): string | null {
  const wanted = input.trim().replace(/\s+/g, '_').toLowerCase();
  if (wanted === 'utc' || wanted === 'gmt') return 'UTC';
  return (
    ZONES.find((z) => z.toLowerCase() === wanted) ??
    ZONES.find((z) => z.toLowerCase().endsWith(`/${wanted}`)) ??
    null
  );
}

const disableReminder: Parser = (text) => {
  const m =
    /^(?:turn off|disable|remove|cancel|delete|clear|stop|mute|no more|no)\s+(?:the\s+)?reminders?(?:\s+(?:for|on|about|of)\s+(.+))?$/i.exec(
      text,
    ) ??
    /^don'?t\s+remind\s+me(?:\s+(?:about|of|for)\s+(.+))?$/i.exec(text) ??
    /^(?:turn off|disable)\s+(?:the\s+)?reminders?\s+(?:for|on)\s+(.+)$/i.exec(text);
  return m ? { type: 'disable-reminder', ref: parseRef(m[1] ?? '') } : null;
};

const REMIND_BEFORE = new RegExp(
  `^(?:remind me|set (?:a |the )?reminder|add (?:a )?reminder|reminder)\\s+(?:(?:for|about|of)\\s+(.+?)\\s+)?${DURATION_PATTERN}\\s+(?:before|earlier|ahead|in advance|prior)(?:\\s+(?:of|for|about)\\s+(.+?))?(?:\\s+(.*))?$`,
  'i',
);
const REMIND_AT_DUE =
  /^(?:remind me|set (?:a |the )?reminder)\s+(?:(?:for|about|of)\s+(.+?)\s+)?(?:at|on)\s+(?:the\s+)?(?:due time|time it'?s due|deadline)(?:\s+(?:of|for|about)\s+(.+?))?$/i;
const REMIND_CHANNELS =
  /^(?:remind me|send (?:me )?reminders?|send the reminder|notify me)\s+(?:(?:about|for|of)\s+(.+?)\s+)?((?:by|via|over)\s+.+|(?:email|push)\s+only|only\s+(?:by\s+|via\s+)?(?:email|push))$/i;

const setReminder: Parser = (text) => {
  const before = REMIND_BEFORE.exec(text);
  if (before) {
    const minutes = durationMinutes(before, 2);
    const trailing = before[6] ?? '';
    const channels = findChannels(trailing) ?? findChannels(before[5] ?? '');
    // "30 minutes before the dentist by email": what is not the channel names the task.
    const trailingRef =
      channels && trailing
        ? clean(trailing.slice(0, channels.start) + trailing.slice(channels.end))
        : trailing;
    const refText = before[1] ?? before[5] ?? trailingRef;
    return {
      type: 'set-reminder',
      ref: parseRef(refText),
      ...(minutes !== null ? { offsetMinutes: minutes } : {}),
      ...(channels ? { channels: channels.channels } : {}),
    };
  }
  const atDue = REMIND_AT_DUE.exec(text);
  if (atDue)
    return { type: 'set-reminder', ref: parseRef(atDue[1] ?? atDue[2] ?? ''), offsetMinutes: 0 };
  const channelsOnly = REMIND_CHANNELS.exec(text);
  if (channelsOnly) {
    const channels = findChannels(channelsOnly[2]!);
    if (channels)
      return {
        type: 'set-reminder',
        ref: parseRef(channelsOnly[1] ?? ''),
        channels: channels.channels,
      };
  }
  return null;
};

const removeRecurrence: Parser = (text) => {
  const m =
    /^(?:stop|don'?t|do not)\s+(?:repeating|recurring)\s*(.*)$/i.exec(text) ??
    /^(?:stop|end)\s+(?:the\s+)?(?:series|recurrence|repetition)(?:\s+(?:of|for)\s+(.+))?$/i.exec(
      text,
    ) ??
    /^(?:remove|delete|cancel|clear)\s+(?:the\s+)?(?:recurrence|repetition|repeat|series)(?:\s+(?:from|of|for|on)\s+(.+))?$/i.exec(
      text,
    ) ??
    /^(?:make\s+)?(.+?)\s+(?:should\s+)?(?:not|no longer)\s+(?:repeat|recur)$/i.exec(text) ??
    /^(?:stop)\s+(.+?)\s+from\s+(?:repeating|recurring)$/i.exec(text) ??
    /^(?:make)\s+(.+?)\s+(?:a\s+)?(?:one-?off|one time|non-?recurring)$/i.exec(text) ??
    /^don'?t\s+repeat\s+(.+)$/i.exec(text);
  return m ? { type: 'remove-recurrence', ref: parseRef(m[1] ?? '') } : null;
};

const setRecurrence: Parser = (text, ctx) => {
  const found = findRecurrence(text, ctx.now, ctx.timeZone);
  if (!found) return null;
  const before = clean(text.slice(0, found.start));
  const after = clean(text.slice(found.end));
  if (after && !/^(?:please|from now on|starting (?:now|today))$/i.test(after)) return null;
  const m =
    /^(?:make|set|have|turn)\s+(.*?)\s*(?:repeat|recur|recurring|repeating|happen|a recurring task)?$/i.exec(
      before,
    ) ??
    /^(?:repeat|recur)\s*(.*)$/i.exec(before) ??
    /^(.*?)\s+(?:should\s+)?(?:repeats?|recurs?|happens?)$/i.exec(before) ??
    /^()$/.exec(before);
  if (!m) return null;
  const refText = (m[1] ?? '').replace(/\s+(?:repeat|recur)$/i, '');
  return { type: 'set-recurrence', ref: parseRef(refText), recurrence: found.recurrence };
};

const complete: Parser = (text) => {
  if (QUESTION.test(text)) return null;
  const m =
    /^(?:complete|completed|finish|finished|close|closed|check off|tick off|cross off|mark off|done with|i(?:'ve| have)?\s+(?:finished|completed|done|did))\s+(.+?)(?:\s+as\s+(?:done|complete|completed|finished))?$/i.exec(
      text,
    ) ??
    /^mark\s+(.+?)\s+(?:as\s+)?(?:done|complete|completed|finished)$/i.exec(text) ??
    /^(.+?)\s+(?:is|are)\s+(?:done|complete|completed|finished)$/i.exec(text) ??
    /^(.+?)\s+(?:done|finished)$/i.exec(text) ??
    /^(?:done|finished|completed|complete it|did it)()$/i.exec(text);
  return m ? { type: 'complete', ref: parseRef(m[1] ?? '') } : null;
};

const reopen: Parser = (text) => {
  const m =
    /^(?:reopen|re-open|uncomplete|un-complete|undo(?:\s+complet(?:e|ing|ion))?|restore)\s+(.+)$/i.exec(
      text,
    ) ??
    /^mark\s+(.+?)\s+(?:as\s+)?(?:not done|incomplete|undone|pending|open|not finished|not complete)$/i.exec(
      text,
    ) ??
    /^(.+?)\s+(?:is|isn'?t)\s+(?:not\s+)?(?:done|finished)\s+(?:yet|after all)$/i.exec(text);
  return m ? { type: 'reopen', ref: parseRef(m[1] ?? '') } : null;
};

const remove: Parser = (text) => {
  const m =
    /^(?:delete|remove|cancel|drop|trash|discard|get rid of|forget(?:\s+about)?|scrap|erase)\s+(.+?)(?:\s+from\s+(?:my\s+)?(?:list|tasks|todos?))?$/i.exec(
      text,
    );
  if (!m) return null;
  if (/^(?:(?:the|my|all)\s+)?(?:tags?|reminders?|recurrence|quiet hours)\b/i.test(m[1]!))
    return null;
  return { type: 'delete', ref: parseRef(m[1]!) };
};

const rename: Parser = (text) => {
  const m =
    /^(?:rename|retitle)\s+(.+?)\s+(?:to|as|into)\s+(.+)$/i.exec(text) ??
    /^(?:change|set|update)\s+(?:the\s+)?(?:title|name)\s+(?:of\s+)?(.+?)\s+to\s+(.+)$/i.exec(
      text,
    ) ??
    /^(?:change|set|update)\s+(.+?)(?:'s)?\s+(?:title|name)\s+to\s+(.+)$/i.exec(text) ??
    /^call\s+(.+?)\s+"(.+)"$/i.exec(text);
  return m ? { type: 'update', ref: parseRef(m[1]!), fields: { title: clean(m[2]!) } } : null;
};

const describe: Parser = (text) => {
  const m =
    /^(?:set|change|update|make)\s+(?:the\s+)?(?:description|notes?|details?)\s+(?:of|for|on)\s+(.+?)\s+(?:to|:)\s*(.+)$/i.exec(
      text,
    ) ??
    /^(?:add|attach)\s+(?:a\s+)?(?:note|description|details?)\s+to\s+(.+?)\s*(?::|saying|that says|-)\s*(.+)$/i.exec(
      text,
    ) ??
    /^describe\s+(.+?)\s+as\s+(.+)$/i.exec(text);
  if (m) return { type: 'update', ref: parseRef(m[1]!), fields: { description: clean(m[2]!) } };
  const clear =
    /^(?:remove|clear|delete)\s+(?:the\s+)?(?:description|notes?)\s+(?:of|from|on)\s+(.+)$/i.exec(
      text,
    );
  return clear ? { type: 'update', ref: parseRef(clear[1]!), fields: { description: null } } : null;
};

const prioritise: Parser = (text) => {
  const set =
    /^(?:set|change|update)\s+(?:the\s+)?priority\s+(?:of|for|on)\s+(.+?)\s+to\s+(high|low|medium|normal|urgent)$/i.exec(
      text,
    );
  if (set)
    return { type: 'update', ref: parseRef(set[1]!), fields: { priority: priorityWord(set[2]!) } };
  const make =
    /^(?:make|set|mark|flag)\s+(.+?)\s+(?:as\s+|to\s+)?(?:(high|low|medium|normal|top)\s*-?\s*priority|(urgent|important))$/i.exec(
      text,
    );
  if (make)
    return {
      type: 'update',
      ref: parseRef(make[1]!),
      fields: { priority: priorityWord(make[2] ?? make[3]!) },
    };
  const is =
    /^(.+?)\s+is\s+(?:(high|low|medium|normal)\s+priority|(urgent|important|not urgent|not important))$/i.exec(
      text,
    );
  if (is) {
    const word = is[2] ?? is[3]!;
    return {
      type: 'update',
      ref: parseRef(is[1]!),
      fields: { priority: /^not/i.test(word) ? 'low' : priorityWord(word) },
    };
  }
  const verb = /^(prioriti[sz]e|deprioriti[sz]e)\s+(.+)$/i.exec(text);
  if (verb)
    return {
      type: 'update',
      ref: parseRef(verb[2]!),
      fields: { priority: /^de/i.test(verb[1]!) ? 'low' : 'high' },
    };
  return null;
};

function priorityWord(word: string): 'low' | 'medium' | 'high' {
  const w = word.toLowerCase();
  return w === 'low' ? 'low' : w === 'medium' || w === 'normal' ? 'medium' : 'high';
}

const TAG_LIST = '#?[a-z0-9][\\w-]*(?:\\s*(?:,|and|&)\\s*#?[a-z0-9][\\w-]*)*';
const splitTags = (list: string) =>
  list
    .split(/\s*(?:,|\band\b|&)\s*/)
    .map((t) => t.replace(/^#/, '').toLowerCase())
    .filter(Boolean);

const tag: Parser = (text) => {
  const add =
    new RegExp(`^(?:tag|label)\\s+(.+?)\\s+(?:with|as)\\s+(${TAG_LIST})$`, 'i').exec(text) ??
    new RegExp(`^add\\s+(?:the\\s+)?(?:tags?|labels?)\\s+(${TAG_LIST})\\s+to\\s+(.+)$`, 'i').exec(
      text,
    );
  if (add) {
    const [refText, list] = /^(?:tag|label)/i.test(text) ? [add[1]!, add[2]!] : [add[2]!, add[1]!];
    return { type: 'tag', ref: parseRef(refText), add: splitTags(list), remove: [] };
  }
  const removeTag = new RegExp(
    `^(?:remove|delete|drop)\\s+(?:the\\s+)?(?:tags?|labels?)\\s+(${TAG_LIST})\\s+from\\s+(.+)$`,
    'i',
  ).exec(text);
  if (removeTag)
    return { type: 'tag', ref: parseRef(removeTag[2]!), add: [], remove: splitTags(removeTag[1]!) };
  const untag = new RegExp(`^untag\\s+(.+?)(?:\\s+(${TAG_LIST}))?$`, 'i').exec(text);
  if (untag && untag[2])
    return { type: 'tag', ref: parseRef(untag[1]!), add: [], remove: splitTags(untag[2]) };
  return null;
};

const reschedule: Parser = (text, ctx) => {
  if (QUESTION.test(text)) return null;
  const by = new RegExp(
    `^(?:postpone|push back|push|delay|defer|snooze)\\s+(.+?)\\s+by\\s+${DURATION_PATTERN}$`,
    'i',
  ).exec(text);
  if (by) {
    const minutes = durationMinutes(by, 2);
    if (minutes !== null)
      return { type: 'reschedule', ref: parseRef(by[1]!), shiftMinutes: minutes };
  }
  const m =
    /^(?:move|reschedule|postpone|push|shift|change|set|put)\s+(?:the\s+due date\s+(?:of|for)\s+)?(.+?)\s+(?:to|for|until|till|on)\s+(.+)$/i.exec(
      text,
    ) ??
    /^(.+?)\s+(?:is|should be)\s+due\s+(.+)$/i.exec(text) ??
    /^(?:make|set)\s+(it|that)\s+(?:due\s+)?(.+)$/i.exec(text) ??
    /^(?:due)\s+(.+?)\s+((?:today|tomorrow|tonight|next|on|at|this)\b.*)$/i.exec(text);
  if (!m) return null;
  const date = findDate(m[2]!, ctx.now, ctx.timeZone);
  if (!date || clean(m[2]!.slice(0, date.index).replace(/\b(?:on|at|by|for|the)\b/gi, '')) !== '')
    return null;
  if (clean(m[2]!.slice(date.index + date.text.length)) !== '') return null;
  return {
    type: 'reschedule',
    ref: parseRef(m[1]!),
    dueDate: date.date.toISOString(),
    ...(date.timeOnly ? { timeOnly: true } : {}),
  };
};

const DUE: Record<string, ListFilter['due']> = {
  today: 'today',
  tonight: 'today',
  tomorrow: 'tomorrow',
  overdue: 'overdue',
  late: 'overdue',
  'this week': 'week',
  'the week': 'week',
  'next 7 days': 'week',
};

const list: Parser = (text) => {
  const lower = text.toLowerCase();
  if (/^(?:todo|to-do|task)\s*:/.test(lower)) return null;
  const asks =
    /^(?:list|show|display|view|see|get|give me|what|what's|whats|which|any|do i have|find|search|look for|tell me)\b/.test(
      lower,
    ) ||
    /^(?:my\s+)?(?:tasks|todos?|to-dos|list|agenda)\b/.test(lower) ||
    /\b(?:overdue|due today|due tomorrow)\??$/.test(lower);
  if (!asks) return null;
  const filter: ListFilter = {};
  const search =
    /\b(?:search(?:\s+for)?|find|look\s+for|(?:tasks?|anything)\s+(?:about|mentioning|containing|with the word))\s+["“]?(.+?)["”]?$/i.exec(
      text,
    );
  if (search && !/\b(?:tasks|todos?|my list)\s*$/i.test(search[1]!))
    filter.q = clean(search[1]!.replace(/^(?:tasks?\s+)?(?:about|for)\s+/i, ''));
  for (const [word, due] of Object.entries(DUE))
    if (new RegExp(`\\b${word}\\b`).test(lower)) filter.due = due;
  const priority = findPriority(text);
  if (priority) filter.priority = priority.priority;
  const { tags } = extractTags(text.replace(/\b(?:tag|tags)\s+(\w+)/i, 'tagged $1'));
  if (tags[0]) filter.tag = tags[0];
  const inTag =
    /\b(?:in|under|for)\s+(?:the\s+)?#?([a-z0-9][\w-]*)\s+(?:tag|category|list)\b/i.exec(text);
  if (inTag) filter.tag = inTag[1]!.toLowerCase();
  if (/\b(?:completed|done|finished|closed)\b/.test(lower)) filter.status = 'completed';
  else if (/\b(?:all|everything|every task)\b/.test(lower) && !filter.due) filter.status = 'all';
  else if (/\b(?:pending|open|remaining|left|incomplete|unfinished|to do)\b/.test(lower))
    filter.status = 'pending';
  return { type: 'list', filter };
};

const ADD =
  /^(?:add|create|make|new|set up|schedule|put|note|jot down|remember(?: to)?|i need to|i have to|i must|i should|need to|have to|don'?t forget(?: to)?|todo|to-do|to do|task)\b[:\s]*(?:(?:a|an|the)\s+)?(?:new\s+)?(?:task|todo|to-do|reminder|item)?\s*(?:(?:called|named|titled|to|for|:)\s+)?(.+)$/i;
const REMIND_TO = /^remind me to\s+(.+)$/i;

const add: Parser = (text, ctx) => {
  const remindTo = REMIND_TO.exec(text);
  const m = remindTo ?? ADD.exec(text);
  if (!m) return null;
  const body = m[1]!.replace(
    /\s+(?:to|on|in)\s+(?:my\s+)?(?:list|tasks|todo list|to-do list|todos)$/i,
    '',
  );
  const fields = extractFields(body, ctx);
  const title = clean(fields.rest.replace(/^(?:to|that|about)\s+/i, ''));
  if (!title) return null;
  const { rest: _rest, timeOnly: _timeOnly, ...taskFields } = fields;
  // "Remind me to call mum at 5pm": the reminder is the point, so it fires at the due time.
  if (remindTo && taskFields.dueDate && taskFields.reminderOffset === undefined)
    taskFields.reminderOffset = 0;
  return { type: 'add', fields: { ...taskFields, title } };
};

/** Order matters: specific commands before the broad "list" and "add" readings. */
const PARSERS: Parser[] = [
  select,
  preferences,
  disableReminder,
  setReminder,
  removeRecurrence,
  tag,
  describe,
  rename,
  prioritise,
  reopen,
  complete,
  remove,
  reschedule,
  setRecurrence,
  list,
  add,
];

/** Reads one message into an intent. Pure: the same words, time and zone give the same intent. */
export function parseIntent(message: string, ctx: ParseContext): Intent {
  const text = normalise(message);
  if (!text) return { type: 'unknown' };
  if (HELP.test(text)) return { type: 'help' };
  for (const parser of PARSERS) {
    const intent = parser(text, ctx);
    if (intent) return intent;
  }
  return { type: 'unknown' };
}

/** "no, I meant …" / "actually …": the rest of the message and whether it corrects the last turn. */
export function splitCorrection(message: string): { correction: boolean; text: string } {
  const m =
    /^\s*(?:no|nope|sorry|oops|wait|actually|correction|i mean)\b[,!.]?\s*(?:(?:no|actually)[,!.]?\s*)?(?:i\s+meant\s+|i\s+mean\s+|make\s+that\s+)?(.*)$/i.exec(
      message,
    );
  return m && m[1] ? { correction: true, text: m[1] } : { correction: false, text: message };
}

export type { Intent, TaskRef };
