/**
 * Limits of user text and how they are counted, free of joi so the web app bundles them (its
 * title counter counts as the api does). Lengths are characters (code points), ADR 180.
 */

export const TITLE_MAX = 255;
export const DESCRIPTION_MAX = 10_000;
export const TAG_MAX = 50;
export const TAGS_MAX = 20;
/** Characters in a list's name. */
export const LIST_NAME_MAX = 100;

/** Characters (code points) in `value`: an emoji is 1, a combining sequence is its parts. */
export function codePointLength(value: string): number {
  let count = 0;
  for (const _ of value) count += 1;
  return count;
}

/** The first `max` characters of `value`: never half of a surrogate pair, as `slice` can be. */
export function truncateCodePoints(value: string, max: number): string {
  return codePointLength(value) <= max ? value : Array.from(value).slice(0, max).join('');
}
