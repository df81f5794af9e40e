import { readFileSync } from 'node:fs';
import { fromWallTime, toWallTime } from '@todo/contracts';
import {
  parseUtterance,
  recurrenceInput,
  type Due,
  type Intent,
  type TaskFields,
  type TaskRef,
} from '../src/index.js';

/**
 * The corpus (corpus/chat.jsonl) and how it is scored. Each line: the text as typed, `now` as
 * the wall-clock time in `timeZone`, an optional `focus` (a task the conversation is about)
 * and the expected outcome in a canonical, zone-local form. A case is right only when the
 * parser's outcome, put in the same form, is exactly equal: nothing missing, nothing extra.
 */
export interface Case {
  id: number;
  category: string;
  text: string;
  now: string;
  timeZone: string;
  focus?: string;
  expect: Record<string, unknown>;
  /** "blind": written independently of the parser, to measure it as a new user would. */
  source?: string;
  /** The names of the user's lists, as the chat knows them when the message arrives. */
  lists?: string[];
}

export const CATEGORIES = [
  'add_dates',
  'recurrence',
  'fields',
  'edits',
  'by_name',
  'queries',
  'ambiguity',
  'offtopic',
  'lists',
];

export function loadCorpus(): Case[] {
  const file = new URL('../corpus/chat.jsonl', import.meta.url);
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Case);
}

/** FNV-1a of the text: the split never changes when cases are added or reordered. */
export function part(text: string): 'dev' | 'test' {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % 10 < 3 ? 'test' : 'dev';
}

const pad = (n: number) => String(n).padStart(2, '0');
function wall(iso: string, timeZone: string): string {
  const w = toWallTime(new Date(iso), timeZone);
  return `${w.getUTCFullYear()}-${pad(w.getUTCMonth() + 1)}-${pad(w.getUTCDate())} ${pad(w.getUTCHours())}:${pad(w.getUTCMinutes())}`;
}

function ref(r: TaskRef): string {
  if (r.kind === 'focus') return 'focus';
  if (r.kind === 'position') return `position:${r.index}`;
  return `title:${r.text.toLowerCase()}`;
}

function dueParts(d: Due, tz: string, exact: boolean): Record<string, string> {
  if (exact) return { due: wall(d.iso, tz) };
  if (d.timeOnly) return { time: d.time! };
  if (!d.time) return { date: d.date };
  return { due: wall(d.iso, tz) };
}

function fieldsOf(f: TaskFields, tz: string, exact: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (f.title !== undefined) out.title = f.title;
  if (f.description !== undefined) out.description = f.description;
  if (f.due) Object.assign(out, dueParts(f.due, tz, exact || !!f.recurrence));
  if (f.priority) out.priority = f.priority;
  if (f.tags) out[exact ? 'tags' : 'tagsAdd'] = [...f.tags].sort();
  if (f.reminderOffset !== undefined) out.reminder = f.reminderOffset;
  if (f.reminderTime !== undefined) out.reminderAt = f.reminderTime;
  if (f.list !== undefined) out.list = f.list.toLowerCase();
  if (f.recurrence === null) out.recurrence = 'none';
  else if (f.recurrence) {
    // The API's shape, with the corpus's shorter names for the end: `until` (a day) and `count`.
    const { endDate, maxOccurrences, ...rule } = recurrenceInput(f.recurrence);
    out.recurrence = {
      ...rule,
      ...(endDate ? { until: wall(endDate, tz).slice(0, 10) } : {}),
      ...(maxOccurrences ? { count: maxOccurrences } : {}),
    };
  }
  return out;
}

/** The parser's outcome in the corpus's canonical form. */
export function canonical(intent: Intent, tz: string): Record<string, unknown> {
  switch (intent.type) {
    case 'add':
      return { intent: 'add', ...fieldsOf(intent.fields, tz, true) };
    case 'update':
      return {
        intent: 'update',
        ref: ref(intent.ref),
        ...fieldsOf(intent.fields, tz, false),
        ...(intent.tagsAdd ? { tagsAdd: [...intent.tagsAdd].sort() } : {}),
        ...(intent.tagsRemove ? { tagsRemove: [...intent.tagsRemove].sort() } : {}),
      };
    case 'reschedule':
      return {
        intent: 'reschedule',
        ref: ref(intent.ref),
        ...(intent.due ? dueParts(intent.due, tz, false) : {}),
        ...(intent.shiftMinutes !== undefined ? { shift: intent.shiftMinutes } : {}),
      };
    case 'complete':
    case 'reopen':
    case 'delete':
      return { intent: intent.type, ref: ref(intent.ref) };
    case 'list':
    case 'delete-many':
      return {
        intent: intent.type,
        filter: {
          ...intent.filter,
          ...(intent.filter.list ? { list: intent.filter.list.toLowerCase() } : {}),
        },
      };
    case 'add-many':
      return { intent: 'add-many', list: intent.list.toLowerCase(), titles: intent.titles };
    case 'move-to-list':
      return { intent: intent.type, ref: ref(intent.ref), list: intent.list.toLowerCase() };
    case 'create-list':
      return { intent: intent.type, name: intent.name };
    case 'rename-list':
      return { intent: intent.type, list: intent.list.toLowerCase(), name: intent.name };
    case 'archive-list':
    case 'delete-list':
      return { intent: intent.type, list: intent.list.toLowerCase() };
    case 'share-list':
      return {
        intent: intent.type,
        list: intent.list.toLowerCase(),
        with: intent.with.toLowerCase(),
        ...(intent.role ? { role: intent.role } : {}),
      };
    case 'assign':
      return { intent: 'assign', ref: ref(intent.ref), assignee: intent.assignee.toLowerCase() };
    case 'activity':
      return {
        intent: 'activity',
        ...(intent.list ? { list: intent.list.toLowerCase() } : {}),
        ...(intent.ref ? { ref: ref(intent.ref) } : {}),
        ...(intent.did ? { did: intent.did } : {}),
      };
    case 'select':
      return { intent: 'select', index: intent.index };
    case 'correction':
      return { intent: 'correction', text: intent.text };
    case 'clarify':
      return {
        intent: 'clarify',
        title: intent.intent.type === 'add' ? intent.intent.fields.title : '',
      };
    case 'set-preferences':
      return { intent: 'set-preferences', ...intent.preferences };
    default:
      return { intent: intent.type };
  }
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, x]) => [k, sortKeys(x)]),
    );
  return v;
}
/** A new due date is a reschedule whether it was said as "move it to" or "make it". */
function unify(v: Record<string, unknown>): Record<string, unknown> {
  if (
    v.intent === 'update' &&
    Object.keys(v).every((k) => ['intent', 'ref', 'due', 'date', 'time'].includes(k))
  ) {
    return { ...v, intent: 'reschedule' };
  }
  return v;
}
export const same = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  JSON.stringify(sortKeys(unify(a))) === JSON.stringify(sortKeys(unify(b)));

export interface Outcome {
  c: Case;
  part: 'dev' | 'test';
  got: Record<string, unknown>;
  ok: boolean;
  ms: number;
}

export function run(cases: Case[], repeat = 1): Outcome[] {
  return cases.map((c) => {
    const now = fromWallTime(new Date(`${c.now}:00Z`), c.timeZone);
    const parse = () =>
      parseUtterance(
        c.text,
        { now, timeZone: c.timeZone },
        { hasFocus: !!c.focus, ...(c.lists ? { lists: c.lists } : {}) },
      );
    const { intent } = parse();
    // Best of `repeat` runs: the machine is shared, and a descheduled run says nothing about the parser.
    let ms = Infinity;
    for (let i = 0; i < repeat; i++) {
      const t0 = performance.now();
      parse();
      ms = Math.min(ms, performance.now() - t0);
    }
    const got = canonical(intent, c.timeZone);
    return { c, part: part(c.text), got, ok: same(got, c.expect), ms };
  });
}

export interface Score {
  right: number;
  total: number;
}
export function byCategory(outcomes: Outcome[], which: 'dev' | 'test' | 'all'): Map<string, Score> {
  const scores = new Map<string, Score>(CATEGORIES.map((c) => [c, { right: 0, total: 0 }]));
  for (const o of outcomes) {
    if (which !== 'all' && o.part !== which) continue;
    const s = scores.get(o.c.category)!;
    s.total++;
    if (o.ok) s.right++;
  }
  return scores;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
