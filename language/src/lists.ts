import { editDistance } from './text.js';
import type { ActivityVerb, Intent, ListFilter, ListRole, TaskRef } from './types.js';

/**
 * Lists in the chat (ADR 330): messages about a list itself (create, rename, archive, delete,
 * share, show my lists), a task moved or assigned, and the list a task goes in or a question is
 * about. A name is a list's when the user says "list" after it ("the shopping list") or when it
 * is one of the user's own lists (`lists`, from the conversation); "drive to work" stays a title
 * unless it is said as an addition ("add report to work").
 *
 * `rest` parses what is left once the list part is read (the ordinary grammar, without lists).
 */
type Rest = (text: string) => Intent;
type RefOf = (text: string) => TaskRef;

const ROLE: Record<string, ListRole> = {
  viewer: 'viewer',
  view: 'viewer',
  see: 'viewer',
  read: 'viewer',
  editor: 'editor',
  edit: 'editor',
  change: 'editor',
  owner: 'owner',
  own: 'owner',
};
const EMAIL = String.raw`[^\s@]+@[^\s@]+\.[^\s@]+`;

/** Whether `name` is one of `lists`: exact, one letter of plural, or a small typo. */
export function isListName(name: string, lists: readonly string[]): boolean {
  const n = name.trim().toLowerCase();
  if (!n) return false;
  return lists.some((l) => {
    const x = l.toLowerCase();
    if (x === n || `${x}s` === n || x === `${n}s`) return true;
    const limit = Math.min(x.length, n.length) >= 7 ? 2 : Math.min(x.length, n.length) >= 4 ? 1 : 0;
    return limit > 0 && Math.abs(x.length - n.length) <= limit && editDistance(x, n) <= limit;
  });
}

/** Words before "list" that name no list: "my list", "the todo list". */
const NO_NAME =
  /^(?:my|the|our|a|an|list|lists|todo|to-do|to do|task|tasks|todos|whole|entire|main|own|new|this|that|all|everything|done|completed|finished|urgent|important|open|pending|overdue)$/;

/** A name someone gives a list: a few words, none of them a place word of a sentence. */
function validName(name: string): boolean {
  const n = strip(name);
  return (
    !!n &&
    !NO_NAME.test(n) &&
    n.split(/\s+/).length <= 3 &&
    !/\b(?:from|off|of|on|in|to|with)\b/.test(n)
  );
}

function strip(name: string): string {
  return name
    .replace(/^(?:the|my|our)\s+/i, '')
    .replace(/\s+(?:list|tasks|todos|stuff)$/i, '')
    .trim();
}

export function listReading(
  text: string,
  lists: readonly string[],
  rest: Rest,
  refOf: RefOf,
): Intent | null {
  // Lower case for matching, the typed text for names ("Q4 plans").
  const typed = text
    .trim()
    .replace(/^(?:(?:can|could|would) (?:you|u)|please|pls|plz|hey)[\s,]+/i, '')
    .replace(/[\s,]+(?:please|pls|plz|thanks|thx)$/i, '')
    .replace(/[.!]+$/, '')
    .trim();
  const s = typed.toLowerCase();
  const known = (name: string) => isListName(strip(name), lists);
  const named = (name: string, explicit: boolean) => (explicit && validName(name)) || known(name);
  const at = (m: RegExpExecArray, i: number) => typed.slice(m.indices![i]![0], m.indices![i]![1]);
  let m: RegExpExecArray | null;

  if (
    /^(?:show|list|see|view)(?: me)?(?: all)? (?:my|the|of my) lists$|^(?:what|which) lists (?:do i have|have i got|are there|exist)$/.test(
      s,
    )
  )
    return { type: 'show-lists' };

  // Create: "make a new list for the holiday", "new list: Reading", "start a garden list".
  m =
    /^(?:make|create|creat|crate|start|add|new|set up|open)(?: me)?(?: (?:a|an))?(?: new)? list(?:\s*:|\s+(?:called|named|for(?: the| my)?))?\s+(.+)$/d.exec(
      s,
    ) ??
    /^i (?:need|want) (?:a|an) (?:new )?list (?:for|called|named) (?:the |my )?(.+)$/d.exec(s) ??
    /^(?:start|make|create) (?:a|an) (?:new )?(.+?) list$/d.exec(s);
  if (m) return { type: 'create-list', name: at(m, 1).trim() };

  // Rename: "rename groceries to food", "change the name of later to someday".
  m =
    /^(?:rename|renam|renmae|rename the list)\s+(.+?)\s+(?:to|as)\s+(.+)$/d.exec(s) ??
    /^change the name of\s+(.+?)\s+to\s+(.+)$/d.exec(s);
  if (m && named(at(m, 1), /\blist$/.test(m[1]!)))
    return { type: 'rename-list', list: strip(at(m, 1)), name: at(m, 2).trim() };
  m = /^call\s+(.+? list)\s+(.+?)(?:\s+instead)?$/d.exec(s);
  if (m) return { type: 'rename-list', list: strip(at(m, 1)), name: at(m, 2).trim() };

  m = /^archive\s+(.+)$/d.exec(s);
  if (m) return { type: 'archive-list', list: strip(at(m, 1)) };

  // Clear by list: "clear the done ones from work", "delete everything in groceries".
  m =
    /^(?:clear|delete|remove|clean|wipe|get rid of|trash)(?: out| up)?\s+(.+?)\s+(?:from|in|on|off)\s+(.+?)$/d.exec(
      s,
    );
  if (
    m &&
    /^(?:all|the|everything|done|completed|finished|old)\b/.test(m[1]!) &&
    named(m[2]!, / list$/.test(m[2]!))
  ) {
    const done = /\b(?:done|completed|finished|old)\b/.test(m[1]!);
    return {
      type: 'delete-many',
      filter: { status: done ? 'completed' : 'all', list: strip(at(m, 2)) },
    };
  }

  // Delete a list: "delete the groceries list", "delete list later", "delete work" (a list of theirs).
  m =
    /^(?:delete|remove|get rid of|trash|drop|bin)\s+(?:the |my |our )?(?:list\s+(.+)|(.+?\s+list)|(.+))$/d.exec(
      s,
    );
  if (
    m &&
    ((m[1] && validName(m[1])) ||
      (m[2] && validName(m[2])) ||
      (m[3] && (known(m[3]) || m[3] === 'inbox')))
  )
    return { type: 'delete-list', list: strip(at(m, m[1] ? 1 : m[2] ? 2 : 3)) };

  // Share: "share groceries with ada@example.com as editor", "invite sam@x.com to home".
  m = new RegExp(
    String.raw`^share\s+(.+?)\s+with\s+(${EMAIL}|\S+)(?:\s+as\s+(?:an?\s+)?(viewer|editor|owner))?$`,
    'd',
  ).exec(s);
  if (m) return share(at(m, 1), m[2]!, m[3]);
  m = new RegExp(
    String.raw`^invite\s+(${EMAIL}|\S+)\s+to\s+(.+?)(?:\s+as\s+(?:an?\s+)?(viewer|editor|owner))?$`,
    'd',
  ).exec(s);
  if (m) return share(at(m, 2), m[1]!, m[3]);
  m = new RegExp(String.raw`^let\s+(${EMAIL})\s+(see|view|read|edit|change)\s+(.+)$`, 'd').exec(s);
  if (m) return share(at(m, 3), m[1]!, m[2]);
  m = new RegExp(
    String.raw`^make\s+(${EMAIL})\s+(?:an?\s+)?(viewer|editor|owner)\s+(?:of|on|in)\s+(.+)$`,
    'd',
  ).exec(s);
  if (m) return share(at(m, 3), m[1]!, m[2]);

  // Assign: "assign the report to Sam", "assign it to me".
  m = new RegExp(
    String.raw`^(?:assign|asign|assing|assgin)\s+(.+?)\s+to\s+(${EMAIL}|me|[\p{L}'-]+)$`,
    'du',
  ).exec(s);
  if (m) return { type: 'assign', ref: refOf(at(m, 1)), assignee: m[2]! };

  // Move: "move dentist to personal", "file the invoice under work", "put the report in the work list".
  m =
    /^(?:move|mv|send|file|shift|transfer)\s+(.+?)(?:\s+from\s+(?:the |my )?\S+(?: list)?)?\s+(?:to|into|in|onto|under)\s+(.+)$/d.exec(
      s,
    ) ?? /^put\s+((?:the|it|that|this)\b.*?)\s+(?:in|into|on|onto|to)\s+(.+ list)$/d.exec(s);
  if (m && named(m[2]!, / list$/.test(m[2]!)))
    return { type: 'move-to-list', ref: refOf(at(m, 1)), list: strip(at(m, 2)) };

  const activity = activityReading(s, typed, named, refOf);
  if (activity) return activity;

  // Questions about a list: "whats on my work list", "show high priority tasks in work".
  const asks =
    /^(?:what|what's|whats|wat|wat's|what is|what do|show|list|open|see|view|anything|any|is there|are there|which)\b/.test(
      s,
    ) || /\?$/.test(s);
  if (asks || isListName(s.replace(/\?+$/, ''), lists)) {
    const bare = s.replace(/\?+$/, '');
    if (isListName(bare, lists)) return { type: 'list', filter: { list: bare } };
    const ref =
      new RegExp(
        String.raw`\s(?:on|in|from|of)\s+(?:the\s+|my\s+|our\s+)?(\S+(?:\s+\S+)?)\s+list\b`,
        'd',
      ).exec(s) ??
      new RegExp(
        String.raw`^(?:show|list|open|see|view)(?: me)?\s+(?:the\s+|my\s+)?(\S+)\s+list$`,
        'd',
      ).exec(s) ??
      new RegExp(String.raw`\s(?:my|the)\s+(\S+)\s+(?:tasks|todos|stuff|list)\b`, 'd').exec(s) ??
      new RegExp(String.raw`^(?:show|list)(?: me)?\s+(\S+)\s+(?:tasks|todos)\b`, 'd').exec(s) ??
      new RegExp(String.raw`\s(?:on|in|from)\s+(?:the\s+|my\s+)?(\S+)(?=\s|$)`, 'd').exec(s) ??
      new RegExp(String.raw`^(?:show|open|see|view)(?: me)?\s+(?:the\s+|my\s+)?(\S+)$`, 'd').exec(
        s,
      );
    // "list" said after the name ("the work list"), not the verb "list".
    const saysList = ref && / list\b/.test(s.slice(ref.indices![1]![1], ref.indices![0]![1]));
    if (ref && ((saysList && validName(ref[1]!)) || known(ref[1]!))) {
      const name = strip(at(ref, 1));
      const [s0, e0] = ref.indices![0]!;
      const [s1, e1] = ref.indices![1]!;
      // "list my home tasks" → "list my tasks": the other words still filter.
      const keepsNoun = /\s(?:tasks|todos|stuff)$/.test(ref[0]) && !/\blist$/.test(ref[0]);
      const remaining = keepsNoun
        ? `${s.slice(0, s1)}${s.slice(e1)}`.replace(/\s+/g, ' ')
        : `${s.slice(0, s0)} ${s.slice(e0)}`.replace(/\s+/g, ' ');
      const other = rest(remaining.trim() || 'show my tasks');
      const filter: ListFilter = other.type === 'list' ? { ...other.filter } : {};
      delete filter.tag;
      delete filter.q;
      return { type: 'list', filter: { ...filter, list: name } };
    }
  }
  // "groceries: milk, bread": the list first, then what goes in it.
  m = /^(.+?)\s*(?::|\s-|\s–)\s*(.+)$/d.exec(s);
  if (m && /^(?:new|a|an)\b/.test(m[1]!) === false) {
    const head = m[1]!.replace(/^(?:add (?:a )?(?:new )?(?:task|item|todo) to|on|to|in)\s+/, '');
    if (named(head, / list$/.test(head)) && head.split(' ').length <= 4) {
      const items = at(m, 2)
        .split(/\s*,\s*|\s+and\s+|\s*&\s*/)
        .map((t) => t.trim())
        .filter(Boolean);
      const list = strip(typed.slice(m.indices![1]![1] - head.length, m.indices![1]![1]));
      if (items.length > 1) return { type: 'add-many', list, titles: items };
      return addTo(rest(`add ${at(m, 2)}`), at(m, 2), list);
    }
  }
  // "on the books list add dune"
  m = /^(?:on|in|to)\s+(.+? list)[\s,:]+(?:add|put)\s+(.+)$/d.exec(s);
  if (m) return addTo(rest(`add ${at(m, 2)}`), at(m, 2), strip(at(m, 1)));

  // Additions naming one of the user's lists: "add milk to groceries", "milk to groceries",
  // "put dentist on personal". Rewritten to the "… list" form the grammar reads as an entity.
  const lead = /^(?:(?:i )?need|add|put|throw|stick|pop|chuck|toss|adding)\s+/.exec(s);
  // The last "to/on/in <name>" whose name (up to three words) is one of the user's lists, or is
  // followed by "list".
  const place = /\s(?:to|on|onto|in|into)\s+(?:the\s+|my\s+|our\s+)?/g;
  let found: RegExpExecArray | null;
  let best: { index: number; end: number; name: string } | null = null;
  while ((found = place.exec(s))) {
    const after = s.slice(found.index + found[0].length);
    const words = after.split(/\s+/);
    for (let k = Math.min(3, words.length); k >= 1; k--) {
      const name = words.slice(0, k).join(' ');
      const said = new RegExp(`^${escapeRegExp(name)}(\\s+list)?(?=\\s|$)`).exec(after)!;
      if (known(name) || (said[1] && validName(name))) {
        best = { index: found.index, end: found.index + found[0].length + said[0].length, name };
        break;
      }
    }
  }
  if (best) {
    const end = best.end;
    const tail = s.slice(end).trim();
    // Without an addition verb, only the very end names a list ("milk to groceries", not
    // "drive to work tomorrow").
    if (lead || !tail) {
      const head = typed.slice(lead ? lead[0].length : 0, best.index).trim();
      const intent = rest(`add ${head} ${typed.slice(end)}`.trim());
      return addTo(intent, head, best.name);
    }
  }

  return null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function share(list: string, who: string, role: string | undefined): Intent {
  return {
    type: 'share-list',
    list: strip(list),
    with: who,
    ...(role && ROLE[role] ? { role: ROLE[role] } : {}),
  };
}

function addTo(intent: Intent, title: string, list: string): Intent {
  const name = strip(list);
  if (intent.type === 'add') return { ...intent, fields: { ...intent.fields, list: name } };
  return { type: 'add', fields: { title: title.trim(), list: name } };
}

const DID: [RegExp, ActivityVerb][] = [
  [
    /^(?:completed|complete|finished|finish|did|done|ticked off|ticked|checked off|checked|crossed off|crossed out|marked|closed)$/,
    'completed',
  ],
  [/^(?:added|add|created|create|made|put in|put|wrote)$/, 'added'],
  [/^(?:deleted|delete|removed|remove|trashed|binned)$/, 'deleted'],
  [/^(?:moved|move)$/, 'moved'],
  [/^(?:assigned|assign)$/, 'assigned'],
  [/^(?:changed|change|edited|edit|updated|update|renamed|modified|touched)$/, 'changed'],
];

/**
 * Questions about what happened in a list (ADR 375): "what changed on groceries", "any news in
 * the work list", "recent activity on home"; and who did something to a task: "who completed
 * the report", "who added milk?", "who ticked off the dentist".
 */
function activityReading(
  s: string,
  typed: string,
  named: (name: string, explicit: boolean) => boolean,
  refOf: RefOf,
): Intent | null {
  const q = s.replace(/\?+$/, '').trim();
  const at = (m: RegExpExecArray, i: number) => typed.slice(m.indices![i]![0], m.indices![i]![1]);
  const inList = String.raw`\s+(?:on|in|to|with|for|of|at)\s+(?:the\s+|my\s+|our\s+)?(.+?)`;
  const m =
    new RegExp(
      String.raw`^(?:so\s+)?(?:what|what's|whats|wat|what has|what have|what is|whats been|what's been|what has been)\s+(?:changed|change|chnaged|happened|happening|been happening|been going on|going on|new|been done|gone on|went on|been changed|updated)${inList}(?:\s+(?:lately|recently|today|this week))?$`,
      'd',
    ).exec(q) ??
    new RegExp(
      String.raw`^(?:show(?: me)?|see|view|get|check|open|any|whats the|what's the|what is the|the)?\s*(?:the\s+)?(?:latest|recent|last)?\s*(?:activity|activities|changes|history|log|updates|news)${inList}$`,
      'd',
    ).exec(q) ??
    new RegExp(
      String.raw`^who\s+(?:changed|did|edited|touched|updated)\s+(?:what|stuff|things|anything|something)${inList}(?:\s+(?:lately|recently|today))?$`,
      'd',
    ).exec(q);
  if (m && named(m[1]!, /\blist$/.test(m[1]!))) return { type: 'activity', list: strip(at(m, 1)) };

  const who =
    /^(?:so\s+|and\s+|ok\s+)?who(?:'s| has| had)?\s+(ticked off|checked off|crossed off|crossed out|put in|\S+)\s+(.+?)(?:\s+(?:off|done|as done|as complete|complete|completed|in|yesterday|today|earlier|already|lately))?$/d.exec(
      q,
    );
  if (who) {
    const verb = DID.find(([re]) => re.test(who[1]!));
    const thing = who[2]!.replace(/^(?:the|my|our)\s+/, '').replace(/\s+(?:task|todo)$/, '');
    // "who made you", "who created this app": a question about people or the bot, not a task.
    const person =
      /^(?:you|u|ya|yourself|me|us|him|her|them|this app|the app|this bot|the bot|this thing)$/;
    if (
      verb &&
      thing &&
      !person.test(thing) &&
      !/^(?:it|that|this|what|stuff|things|anything)$/.test(thing)
    )
      return {
        type: 'activity',
        ref: refOf(at(who, 2).replace(/\s+(?:task|todo)$/i, '')),
        did: verb[1],
      };
    if (verb && /^(?:it|that|this)$/.test(thing))
      return { type: 'activity', ref: { kind: 'focus' }, did: verb[1] };
  }
  return null;
}
