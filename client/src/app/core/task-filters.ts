import type { TaskQuery } from './api.service';
import type { Task, TaskPriority, TaskSort } from './types';

export type DueFilter = '' | 'today' | 'overdue' | 'week';

export interface TaskFilters {
  status: 'pending' | 'completed' | 'all';
  priority: '' | TaskPriority;
  tag: string;
  q: string;
  due: DueFilter;
  sort: TaskSort;
}

export const DEFAULT_FILTERS: TaskFilters = {
  status: 'pending',
  priority: '',
  tag: '',
  q: '',
  due: '',
  sort: '-createdAt',
};

const DAY = 86_400_000;

function startOfDay(now: Date): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}

/** The due window of a due filter, in the browser's time zone; weeks start on Monday. */
export function dueWindow(due: DueFilter, now = new Date()): { after?: Date; before?: Date } {
  const today = startOfDay(now);
  switch (due) {
    case 'today':
      return { after: new Date(today.getTime() - 1), before: new Date(today.getTime() + DAY) };
    case 'overdue':
      return { before: now };
    case 'week': {
      const mondayOffset = (today.getDay() + 6) % 7;
      const monday = new Date(today.getTime() - mondayOffset * DAY);
      return {
        after: new Date(monday.getTime() - 1),
        before: new Date(monday.getTime() + 7 * DAY),
      };
    }
    default:
      return {};
  }
}

/** The REST query of a set of filters. */
export function toQuery(filters: TaskFilters, now = new Date()): TaskQuery {
  const window = dueWindow(filters.due, now);
  const status = filters.due === 'overdue' ? 'pending' : filters.status;
  return {
    status,
    priority: filters.priority || undefined,
    tag: filters.tag.trim().toLowerCase() || undefined,
    q: filters.q.trim() || undefined,
    dueAfter: window.after?.toISOString(),
    dueBefore: window.before?.toISOString(),
    sort: filters.sort,
    limit: 100,
  };
}

/** Whether a task belongs in the list of these filters: the server's rules, applied locally. */
export function matchesFilters(task: Task, filters: TaskFilters, now = new Date()): boolean {
  const query = toQuery(filters, now);
  if (task.status === 'deleted') return false;
  if (query.status !== 'all' && task.status !== query.status) return false;
  if (query.priority && task.priority !== query.priority) return false;
  if (query.tag && !task.tags.includes(query.tag)) return false;
  if (query.q) {
    const needle = query.q.toLowerCase();
    const haystack = `${task.title}\n${task.description ?? ''}`.toLowerCase();
    if (!haystack.includes(needle)) return false;
  }
  if (query.dueAfter || query.dueBefore) {
    if (!task.dueDate) return false;
    const due = Date.parse(task.dueDate);
    if (query.dueAfter && !(due > Date.parse(query.dueAfter))) return false;
    if (query.dueBefore && !(due < Date.parse(query.dueBefore))) return false;
  }
  return true;
}

const PRIORITY_RANK: Record<TaskPriority, number> = { low: 1, medium: 2, high: 3 };

/** The server's sort orders (tasks without a due date last either way), ties broken by id. */
export function compareTasks(sort: TaskSort): (a: Task, b: Task) => number {
  const descending = sort.startsWith('-');
  const field = descending ? sort.slice(1) : sort;
  const sign = descending ? -1 : 1;
  const key = (task: Task): number | string => {
    switch (field) {
      case 'dueDate':
        return task.dueDate
          ? Date.parse(task.dueDate)
          : descending
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY;
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
    return a.id < b.id ? -sign : a.id > b.id ? sign : 0;
  };
}
