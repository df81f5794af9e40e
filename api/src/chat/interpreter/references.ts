import type { TaskRef } from './intent.js';
import { ORDINAL_PATTERN, clean, parseOrdinal } from './text.js';

const PRONOUN =
  /^(?:it|that|this|them|that one|this one|that task|this task|the task|the same task|the same one)?$/i;
const ORDINAL_REF = new RegExp(
  `^(?:the\\s+)?${ORDINAL_PATTERN}(?:\\s+(?:one|task|item|thing))?(?:\\s+on\\s+the\\s+list)?$`,
  'i',
);
const NUMBER_REF = /^(?:(?:task|item|number|no\.?)\s*#?|#)?(\d{1,3})$/i;

/** Reads what a phrase points at: a pronoun, a list position, or a title to match. */
export function parseRef(phrase: string): TaskRef {
  const text = clean(
    phrase
      .replace(/^(?:the\s+)?(?:task|todo|item)\s+(?:called|named|titled)\s+/i, '')
      .replace(/^my\s+/i, ''),
  );
  if (PRONOUN.test(text)) return { kind: 'pronoun' };
  const ordinal = ORDINAL_REF.exec(text);
  if (ordinal) return { kind: 'position', index: parseOrdinal(ordinal[1]!) ?? 1 };
  const number = NUMBER_REF.exec(text);
  if (number) return { kind: 'position', index: Number(number[1]) };
  return { kind: 'title', text: text.replace(/^["“']|["”']$/g, '') };
}
