import { InjectionToken } from '@angular/core';
import { parseQuickAdd, type Entity, type ParseContext, type QuickAddResult } from '@todo/language';
import { formatInZone } from '../core/zoned-time';
import type { CreateTaskRequest, TaskPriority } from '../core/types';
import { recurrenceLabel } from './recurrence-text';
import { REMINDER_OFFSETS } from './task-edit-dialog';

/*
 * The quick-add box reads "Call mom every sunday at 6pm" as a title plus fields with the
 * task-language parser's `parseQuickAdd`, the parser the chat uses too. It is provided through
 * QUICK_ADD_PARSER (so specs can drive the chips with a parser of their own); the parser and
 * its libraries load with the task list's chunk, not at start.
 */

export type QuickAddContext = ParseContext;
export type QuickAddEntity = Entity;
export type QuickAddParse = QuickAddResult;

export interface Span {
  start: number;
  end: number;
}

export type QuickAddParser = (
  text: string,
  ctx: QuickAddContext,
  options?: { keepLiteral?: Span[] },
) => QuickAddParse;

export const QUICK_ADD_PARSER = new InjectionToken<QuickAddParser>('quick-add parser', {
  providedIn: 'root',
  factory: () => parseQuickAdd,
});

/** A chip: what one recognised part means, in words, and the text it came from. */
export interface QuickAddChip extends QuickAddEntity {
  label: string;
}

const PRIORITY_WORDS: Record<TaskPriority, string> = {
  high: 'High priority',
  medium: 'Medium priority',
  low: 'Low priority',
};

function reminderWords(offset: number | null | undefined): string {
  if (offset === null) return 'No reminder';
  const known = REMINDER_OFFSETS.find((o) => o.value === offset);
  if (known) return `Remind ${known.label}`;
  return `Remind ${offset} minutes before`;
}

/** The chips of a parse: each recognised part said the way the task will show it. */
export function chipsOf(parse: QuickAddParse, zone: string): QuickAddChip[] {
  const { fields } = parse;
  return parse.entities.map((entity) => {
    let label: string;
    switch (entity.kind) {
      case 'date':
        label = fields.dueDate
          ? `Due ${formatInZone(fields.dueDate, 'EEE d MMM, HH:mm', zone)}`
          : entity.text;
        break;
      case 'recurrence':
        label = fields.recurrence ? recurrenceLabel(fields.recurrence, zone) : entity.text;
        break;
      case 'priority':
        label = fields.priority ? PRIORITY_WORDS[fields.priority] : entity.text;
        break;
      case 'reminder':
        label = reminderWords(fields.reminderOffset);
        break;
      case 'tag':
        label = `#${entity.text.replace(/^#|^(?:tagged|tag|label(?:ed)?)\s+/i, '').trim()}`;
        break;
    }
    return { ...entity, label };
  });
}

/** The task a parse creates: the remaining title and the fields (just the text without one). */
export function draftOf(parse: QuickAddParse | null, text: string): CreateTaskRequest {
  if (!parse) return { title: text };
  return { title: parse.title.trim(), ...parse.fields };
}

/**
 * Literal spans still valid for `text`: a span the user freed is kept only while the words it
 * covered are still there, at the same place.
 */
export function liveSpans(spans: Array<Span & { text: string }>, text: string): Span[] {
  return spans
    .filter((s) => text.slice(s.start, s.end) === s.text)
    .map(({ start, end }) => ({ start, end }));
}
