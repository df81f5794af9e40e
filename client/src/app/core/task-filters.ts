import type { TaskQuery } from './api.service';
import type { Task, TaskPriority, TaskSort } from './types';
import { deviceZone, startOfDayInZone, weekdayInZone } from './zoned-time';

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

/**
 * The due window of a due filter: calendar days in `zone` (the user's zone), weeks start on
 * Monday. Days are counted on the calendar, so a day with a DST change is 23 or 25 hours.
 */
export function dueWindow(
  due: DueFilter,
  now = new Date(),
  zone = deviceZone(),
): { after?: Date; before?: Date } {
  const justBefore = (d: Date) => new Date(d.getTime() - 1);
  switch (due) {
    case 'today':
      return {
        after: justBefore(startOfDayInZone(now, zone)),
        before: startOfDayInZone(now, zone, 1),
      };
    case 'overdue':
      return { before: now };
    case 'week': {
      const monday = -weekdayInZone(now, zone);
      return {
        after: justBefore(startOfDayInZone(now, zone, monday)),
        before: startOfDayInZone(now, zone, monday + 7),
      };
    }
    default:
      return {};
  }
}

/** The REST query of a set of filters. */
export function toQuery(filters: TaskFilters, now = new Date(), zone = deviceZone()): TaskQuery {
  const window = dueWindow(filters.due, now, zone);
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
export function matchesFilters(
  task: Task,
  filters: TaskFilters,
  now = new Date(),
  zone = deviceZone(),
): boolean {
  const query = toQuery(filters, now, zone);
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
