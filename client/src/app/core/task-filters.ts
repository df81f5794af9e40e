import type { Params } from '@angular/router';
import { dueWindow, statusOf } from '@todo/contracts/due';
import { matchesSearch } from '@todo/contracts/search';
import type { TaskQuery } from './api.service';
import type { Task, TaskPriority, TaskSort } from './types';
import { deviceZone, localWeekStart } from './zoned-time';

export type DueFilter = '' | 'today' | 'overdue' | 'week';

export interface TaskFilters {
  /** The id of the list shown; '' = every list. */
  list: string;
  /** 'me' = only tasks assigned to the signed-in user; '' = anyone's. */
  assignee: '' | 'me';
  status: 'pending' | 'completed' | 'all';
  priority: '' | TaskPriority;
  tag: string;
  q: string;
  due: DueFilter;
  sort: TaskSort;
}

export const DEFAULT_FILTERS: TaskFilters = {
  list: '',
  assignee: '',
  status: 'pending',
  priority: '',
  tag: '',
  q: '',
  due: '',
  sort: '-createdAt',
};

/**
 * Filters as a person sets them, made consistent: "Overdue" is about open tasks, so it shows
 * Status "To do" (contracts' `statusOf`); choosing Done or All while Overdue is on turns Overdue
 * off. Either way the list never shows pending tasks under a "Done" status.
 */
export function combineFilters(current: TaskFilters, patch: Partial<TaskFilters>): TaskFilters {
  const next = { ...current, ...patch };
  if (patch.due === 'overdue') next.status = 'pending';
  else if (patch.status && patch.status !== 'pending' && next.due === 'overdue') next.due = '';
  next.status = statusOf(next.status, next.due) ?? next.status;
  return next;
}

const STATUSES: TaskFilters['status'][] = ['pending', 'completed', 'all'];
const PRIORITIES: TaskFilters['priority'][] = ['', 'low', 'medium', 'high'];
const DUES: DueFilter[] = ['', 'today', 'overdue', 'week'];
const SORTS: TaskSort[] = [
  'dueDate',
  '-dueDate',
  'createdAt',
  '-createdAt',
  'updatedAt',
  '-updatedAt',
  'priority',
  '-priority',
  'title',
  '-title',
];

/** Filters from the page's URL query (`?status=completed&q=milk`); unknown values are defaults. */
export function filtersFromParams(params: Params): TaskFilters {
  const pick = <T>(allowed: readonly T[], value: unknown, fallback: T): T =>
    allowed.includes(value as T) ? (value as T) : fallback;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const list = text(params['list']);
  return combineFilters(DEFAULT_FILTERS, {
    list: /^[0-9a-f-]{36}$/i.test(list) ? list.toLowerCase() : '',
    assignee: params['assignee'] === 'me' ? 'me' : '',
    status: pick(STATUSES, params['status'], DEFAULT_FILTERS.status),
    priority: pick(PRIORITIES, params['priority'], DEFAULT_FILTERS.priority),
    tag: text(params['tag']),
    q: text(params['q']),
    due: pick(DUES, params['due'], DEFAULT_FILTERS.due),
    sort: pick(SORTS, params['sort'], DEFAULT_FILTERS.sort),
  });
}

/** The URL query of a set of filters: defaults left out, so a plain /tasks is the default list. */
export function filtersToParams(filters: TaskFilters): Params {
  const params: Params = {};
  for (const key of Object.keys(DEFAULT_FILTERS) as (keyof TaskFilters)[]) {
    const value = filters[key].trim();
    params[key] = value && value !== DEFAULT_FILTERS[key] ? value : null;
  }
  return params;
}

/** How many filters differ from the default list (the phone's "Filter (n)" button). */
export function activeFilterCount(filters: TaskFilters): number {
  return (['assignee', 'status', 'priority', 'tag', 'due'] as const).filter(
    (key) => filters[key].trim() !== DEFAULT_FILTERS[key],
  ).length;
}

/** The REST query of a set of filters: the api computes the due window in the user's zone. */
export function toQuery(filters: TaskFilters, weekStart = localWeekStart()): TaskQuery {
  return {
    listId: filters.list || undefined,
    assignee: filters.assignee || undefined,
    status: statusOf(filters.status, filters.due),
    priority: filters.priority || undefined,
    tag: filters.tag.trim().toLowerCase() || undefined,
    q: filters.q.trim() || undefined,
    due: filters.due || undefined,
    weekStart: filters.due === 'week' ? weekStart : undefined,
    sort: filters.sort,
    limit: 100,
  };
}

/**
 * Whether a task belongs in the list of these filters: the server's rules, applied locally,
 * with the same due windows (contracts' `dueWindow`) and the same search rule. `me` is the
 * signed-in user's id ("Assigned to me").
 */
export function matchesFilters(
  task: Task,
  filters: TaskFilters,
  now = new Date(),
  zone = deviceZone(),
  weekStart = localWeekStart(),
  me: string | null = null,
): boolean {
  const query = toQuery(filters, weekStart);
  if (task.status === 'deleted') return false;
  if (query.listId && task.listId !== query.listId) return false;
  if (filters.assignee === 'me' && (!me || task.assigneeId !== me)) return false;
  if (query.status !== 'all' && task.status !== query.status) return false;
  if (query.priority && task.priority !== query.priority) return false;
  if (query.tag && !task.tags.includes(query.tag)) return false;
  if (query.q && !matchesSearch(query.q, `${task.title}\n${task.description ?? ''}`)) return false;
  if (filters.due) {
    if (!task.dueDate) return false;
    const window = dueWindow(filters.due, now, zone, weekStart);
    const due = Date.parse(task.dueDate);
    if (window.after && !(due > window.after.getTime())) return false;
    if (window.before && !(due < window.before.getTime())) return false;
  }
  return true;
}

const PRIORITY_RANK: Record<TaskPriority, number> = { low: 1, medium: 2, high: 3 };

/** Due time for sorting: tasks without one sort last. */
const dueKey = (task: Task, missing: number) => (task.dueDate ? Date.parse(task.dueDate) : missing);

/**
 * The server's sort orders (tasks without a due date last either way); ties by due date
 * (soonest first), then title (A–Z), then id — as the api orders them.
 */
export function compareTasks(sort: TaskSort): (a: Task, b: Task) => number {
  const descending = sort.startsWith('-');
  const field = descending ? sort.slice(1) : sort;
  const sign = descending ? -1 : 1;
  const key = (task: Task): number | string => {
    switch (field) {
      case 'dueDate':
        return dueKey(task, descending ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY);
      case 'priority':
        return PRIORITY_RANK[task.priority];
      case 'title':
        return task.title.toLowerCase();
      case 'updatedAt':
        return Date.parse(task.updatedAt);
      default:
        return Date.parse(task.createdAt);
    }
  };
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka < kb) return -sign;
    if (ka > kb) return sign;
    const da = dueKey(a, Number.POSITIVE_INFINITY);
    const db = dueKey(b, Number.POSITIVE_INFINITY);
    if (da !== db) return da < db ? -1 : 1;
    const ta = a.title.toLowerCase();
    const tb = b.title.toLowerCase();
    if (ta !== tb) return ta < tb ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}
