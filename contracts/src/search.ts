/**
 * How task search reads a query (ADR 241): words, in any order, each matching the start of a
 * word of the title or description, ignoring case, accents and punctuation. The api runs it as
 * PostgreSQL full-text search over unaccented text; the web app applies the same rule to a task
 * that arrives live, to decide whether it belongs in the searched list.
 */

/** Lower case, accents removed ("Café" → "cafe"). */
function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** The words of a search or a text: letters and digits, nothing else (at most 20 for a query). */
export function searchWords(text: string): string[] {
  return fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Whether every word of `query` starts a word of `text` ("thinking fast" in "Thinking, Fast and Slow"). */
export function matchesSearch(query: string, text: string): boolean {
  const wanted = searchWords(query);
  if (!wanted.length) return false;
  const words = searchWords(text);
  return wanted.every((w) => words.some((word) => word.startsWith(w)));
}
