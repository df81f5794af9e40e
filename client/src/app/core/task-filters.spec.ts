import { makeTask } from '../../testing/fixtures';
import { DEFAULT_FILTERS, compareTasks, dueWindow, matchesFilters, toQuery } from './task-filters';

describe('task filters', () => {
  const now = new Date(2026, 10, 27, 12, 0); // Friday 27 Nov 2026, local time

  it('turns due filters into windows (weeks start on Monday)', () => {
    const today = dueWindow('today', now);
    expect(today.before!.getTime() - today.after!.getTime()).toBe(86_400_000 + 1);
    const week = dueWindow('week', now);
    expect(new Date(week.after!.getTime() + 1).getDay()).toBe(1);
    expect(dueWindow('overdue', now)).toEqual({ before: now });
    expect(dueWindow('', now)).toEqual({});
  });

  it('builds the REST query: trims, lowercases tags, overdue means pending', () => {
    const query = toQuery(
      { ...DEFAULT_FILTERS, status: 'all', tag: ' Home ', q: ' milk ', due: 'overdue' },
      now,
    );
    expect(query.status).toBe('pending');
    expect(query.tag).toBe('home');
    expect(query.q).toBe('milk');
    expect(query.dueBefore).toBe(now.toISOString());
    expect(query.priority).toBeUndefined();
  });

  it('matches tasks the way the server filters them', () => {
    const task = makeTask({ title: 'Buy Milk', tags: ['home'], priority: 'high' });
    expect(matchesFilters(task, DEFAULT_FILTERS, now)).toBeTrue();
    expect(matchesFilters(task, { ...DEFAULT_FILTERS, q: 'milk' }, now)).toBeTrue();
    expect(matchesFilters(task, { ...DEFAULT_FILTERS, q: 'bread' }, now)).toBeFalse();
    expect(matchesFilters(task, { ...DEFAULT_FILTERS, tag: 'work' }, now)).toBeFalse();
    expect(matchesFilters(task, { ...DEFAULT_FILTERS, priority: 'low' }, now)).toBeFalse();
    expect(matchesFilters(task, { ...DEFAULT_FILTERS, status: 'completed' }, now)).toBeFalse();
    expect(matchesFilters(task, { ...DEFAULT_FILTERS, due: 'today' }, now)).toBeFalse();
    const dueToday = makeTask({ dueDate: new Date(2026, 10, 27, 18, 0).toISOString() });
    expect(matchesFilters(dueToday, { ...DEFAULT_FILTERS, due: 'today' }, now)).toBeTrue();
    expect(matchesFilters(dueToday, { ...DEFAULT_FILTERS, due: 'overdue' }, now)).toBeFalse();
    expect(
      matchesFilters(makeTask({ status: 'deleted' }), { ...DEFAULT_FILTERS, status: 'all' }),
    ).toBeFalse();
  });

  it('sorts like the server: no due date last in both directions, priority by rank', () => {
    const a = makeTask({ dueDate: '2026-11-28T09:00:00Z', priority: 'low' });
    const b = makeTask({ dueDate: '2026-11-29T09:00:00Z', priority: 'high' });
    const none = makeTask({ dueDate: null, priority: 'medium' });
    expect([none, b, a].sort(compareTasks('dueDate')).map((t) => t.id)).toEqual([
      a.id,
      b.id,
      none.id,
    ]);
    expect([none, a, b].sort(compareTasks('-dueDate')).map((t) => t.id)).toEqual([
      b.id,
      a.id,
      none.id,
    ]);
    expect([a, none, b].sort(compareTasks('-priority')).map((t) => t.priority)).toEqual([
      'high',
      'medium',
      'low',
    ]);
  });
});
