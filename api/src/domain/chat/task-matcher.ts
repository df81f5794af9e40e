import type { Task } from '@todo/contracts';
import { editDistance } from '@todo/language';

const STOPWORDS = new Set(['the', 'a', 'an', 'my', 'task', 'todo', 'to', 'item', 'one']);

const words = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter((w) => w && !STOPWORDS.has(w));

const sameWord = (a: string, b: string) =>
  a === b ||
  (a.length >= 4 &&
    b.length >= 4 &&
    editDistance(a, b) <= (Math.min(a.length, b.length) >= 7 ? 2 : 1));

/** How well `query` names `title`, from 0 to 1: exact, contained, or word by word with typos. */
export function matchScore(title: string, query: string): number {
  const t = words(title);
  const q = words(query);
  if (!q.length || !t.length) return 0;
  if (t.join(' ') === q.join(' ')) return 1;
  const matched = q.filter((w) => t.some((x) => sameWord(w, x))).length;
  if (matched === 0) return 0;
  const coverage = matched / q.length;
  const precision = matched / t.length;
  if (coverage === 1) return 0.6 + 0.35 * precision;
  return 0.5 * coverage * precision;
}

export interface MatchResult {
  task?: Task;
  candidates: Task[];
}

/**
 * The task `query` names. A clear winner is returned; several equally good ones come back as
 * candidates so the chatbot can ask which — it never changes a task on a guess.
 */
export function matchTask(tasks: Task[], query: string): MatchResult {
  const scored = tasks
    .map((task) => ({ task, score: matchScore(task.title, query) }))
    .filter((x) => x.score >= 0.55)
    .sort((a, b) => b.score - a.score);
  const [first, second] = scored;
  if (!first) return { candidates: [] };
  if (!second || first.score - second.score >= 0.1)
    return { task: first.task, candidates: [first.task] };
  const close = scored.filter((x) => first.score - x.score < 0.1).slice(0, 5);
  return { candidates: close.map((x) => x.task) };
}
