/**
 * @todo/language — the task language shared by the chat (api) and the quick-add box (client).
 * Pure TypeScript on chrono-node and rrule: no Node APIs, so it runs unchanged in a browser.
 */
import type { RecurrenceInput, TaskPriority } from '@todo/contracts';
import { extract, leftover } from './parse.js';
import { recurrenceInput } from './series.js';
import { normalise } from './text.js';
import type { Entity, ParseContext } from './types.js';

export { parseUtterance, clean } from './parse.js';
export { editDistance } from './text.js';
export { isListName } from './lists.js';
export { recurrenceInput } from './series.js';
export * from './types.js';

export interface QuickAddResult {
  /** What is left of the text once the recognised parts are cut out. */
  title: string;
  /** Ready for `POST /api/v1/tasks` (CreateTaskRequest shape). */
  fields: {
    dueDate?: string;
    priority?: TaskPriority;
    tags?: string[];
    reminderOffset?: number | null;
    /** As the user said it: never an end they did not ask for. */
    recurrence?: Omit<RecurrenceInput, 'endDate'> & { endDate?: string };
  };
  entities: Entity[];
}

/**
 * The quick-add box: every recognised part as an entity with its span (the chips), the
 * fields they set, and the remaining title. `keepLiteral` spans (chips the user removed)
 * are never parsed and stay in the title.
 */
export function parseQuickAdd(
  text: string,
  ctx: ParseContext,
  options: { keepLiteral?: Array<{ start: number; end: number }> } = {},
): QuickAddResult {
  const n = normalise(text);
  // Literal spans are given in the typed text; map them onto the normalised text.
  const literal: Array<[number, number]> = (options.keepLiteral ?? []).map(({ start, end }) => {
    let s = n.origin.findIndex((o) => o >= start);
    let e = n.origin.findIndex((o) => o >= end);
    if (s < 0) s = n.text.length;
    if (e < 0) e = n.text.length;
    return [s, e];
  });
  let x = extract(n, ctx, literal);
  // "every hour", "twice a week": a repeat the box cannot set (too frequent, or the days are
  // not said). Its words stay in the title rather than vanish into a chip that sets nothing.
  const unsettable = (x.tooFrequent || x.timesPerWeek) && x.scan.get('recurrence');
  if (unsettable) x = extract(n, ctx, [...literal, [unsettable.start, unsettable.end]]);
  const f = x.fields;
  const fields: QuickAddResult['fields'] = {};
  if (f.due) fields.dueDate = f.due.iso;
  if (f.priority) fields.priority = f.priority;
  // "to my shopping list": the box has no list picker by name, so it stays the tag it was.
  const tags = f.list ? [...new Set([...(f.tags ?? []), f.list.toLowerCase()])] : f.tags;
  if (tags) fields.tags = tags;
  // "remind me to …" with no time: no reminder that could never fire (as in the chat).
  const idleReminder = x.reminderLeading && !f.due && f.reminderOffset === 0;
  if (f.reminderOffset !== undefined && !idleReminder) fields.reminderOffset = f.reminderOffset;
  if (f.recurrence) fields.recurrence = recurrenceInput(f.recurrence);
  // A leading "remind me to" is a command, not part of the title.
  const lead = /^\s*(?:remind me to|remind me about)\s+/.exec(x.scan.free);
  const cuts: Array<[number, number]> = x.scan.found.map((found) => [found.start, found.end]);
  if (lead) cuts.push([0, lead[0].length]);
  return { title: leftover(n, cuts), fields, entities: x.entities };
}
