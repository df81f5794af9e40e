import { makeTask } from '../../testing/fixtures';
import {
  DEFAULT_FILTERS,
  activeFilterCount,
  combineFilters,
  compareTasks,
  filtersFromParams,
  filtersToParams,
  matchesFilters,
  toQuery,
} from './task-filters';

describe('task filters', () => {
  // Friday 27 Nov 2026, 12:00 in Berlin.
  const now = new Date('2026-11-27T11:00:00Z');
  const zone = 'Europe/Berlin';

  it('builds the REST query: trims, lowercases tags, sends due and the week start', () => {
    const query = toQuery(
      { ...DEFAULT_FILTERS, status: 'all', tag: ' Home ', q: ' milk ', due: 'week' },
      7,
    );
    expect(query.status).toBe('all');
    expect(query.tag).toBe('home');
    expect(query.q).toBe('milk');
    expect(query.due).toBe('week');
    expect(query.weekStart).toBe(7);
    expect(query.priority).toBeUndefined();
    expect(toQuery({ ...DEFAULT_FILTERS, due: 'overdue', status: 'all' }).status).toBe('pending');
  });

  it('combines status and due predictably: Overdue means To do, Done turns Overdue off', () => {
    const done = combineFilters(DEFAULT_FILTERS, { status: 'completed' });
    const overdue = combineFilters(done, { due: 'overdue' });
    expect(overdue.status).toBe('pending');
    expect(overdue.due).toBe('overdue');
    const doneAgain = combineFilters(overdue, { status: 'completed' });
    expect(doneAgain.status).toBe('completed');
    expect(doneAgain.due).toBe('');
    // A Done + Overdue URL (shared from an old version) never lists pending tasks as "Done".
    expect(filtersFromParams({ status: 'completed', due: 'overdue' }).status).toBe('pending');
  });

  it('round-trips through the URL query, leaving defaults out and ignoring junk', () => {
    const filters = { ...DEFAULT_FILTERS, status: 'all' as const, tag: 'home', q: 'milk' };
    const params = filtersToParams(filters);
    expect(params).toEqual({
      list: null,
      assignee: null,
      status: 'all',
      priority: null,
      tag: 'home',
      q: 'milk',
      due: null,
      sort: null,
    });
    expect(filtersFromParams({ ...params, sort: 'size', priority: 'urgent' })).toEqual(filters);
    expect(filtersFromParams({})).toEqual(DEFAULT_FILTERS);
    expect(activeFilterCount(filters)).toBe(2);
    expect(activeFilterCount(DEFAULT_FILTERS)).toBe(0);
  });

  it('shows one list: from the URL, in the REST query, and when matching a task', () => {
    const id = '00000000-0000-4000-9000-00000000000a';
    const filters = filtersFromParams({ list: id.toUpperCase() });
    expect(filters.list).toBe(id);
    expect(filtersFromParams({ list: 'groceries' }).list).toBe('', 'not an id');
    expect(filtersToParams(filters)['list']).toBe(id);
    expect(toQuery(filters).listId).toBe(id);
    expect(toQuery(DEFAULT_FILTERS).listId).toBeUndefined();
    expect(matchesFilters(makeTask({ listId: id }), filters)).toBeTrue();
    expect(matchesFilters(makeTask({ listId: 'another' }), filters)).toBeFalse();
    expect(matchesFilters(makeTask({ listId: 'another' }), DEFAULT_FILTERS)).toBeTrue();
    expect(activeFilterCount(filters)).toBe(0, 'a list is a place, not a filter to reset');
  });

  it('"Assigned to me": from the URL, in the REST query, and when matching a task', () => {
    const filters = filtersFromParams({ assignee: 'me' });
    expect(filters.assignee).toBe('me');
    expect(filtersFromParams({ assignee: 'someone' }).assignee).toBe('', 'only me is a filter');
    expect(filtersToParams(filters)['assignee']).toBe('me');
    expect(filtersToParams(DEFAULT_FILTERS)['assignee']).toBeNull();
    expect(toQuery(filters).assignee).toBe('me');
    expect(activeFilterCount(filters)).toBe(1);
    const mine = makeTask({ assigneeId: 'u1' });
    const theirs = makeTask({ assigneeId: 'u2' });
    const nobody = makeTask({ assigneeId: null });
    const match = (t: typeof mine) => matchesFilters(t, filters, now, zone, 1, 'u1');
    expect([mine, theirs, nobody].map(match)).toEqual([true, false, false]);
    expect(matchesFilters(theirs, DEFAULT_FILTERS, now, zone, 1, 'u1')).toBeTrue();
  });

  it('matches tasks the way the server filters them', () => {
    const task = makeTask({ title: 'Buy Milk', tags: ['home'], priority: 'high' });
    expect(matchesFilters(task, DEFAULT_FILTERS, now, zone)).toBeTrue();
    expect(matchesFilters(task, { ...DEFAULT_FILTERS, q: 'milk' }, now, zone)).toBeTrue();
    expect(matchesFilters(task, { ...DEFAULT_FILTERS, q: 'bread' }, now, zone)).toBeFalse();
    expect(matchesFilters(task, { ...DEFAULT_FILTERS, tag: 'work' }, now, zone)).toBeFalse();
    expect(matchesFilters(task, { ...DEFAULT_FILTERS, priority: 'low' }, now, zone)).toBeFalse();
    expect(
      matchesFilters(task, { ...DEFAULT_FILTERS, status: 'completed' }, now, zone),
    ).toBeFalse();
    expect(matchesFilters(task, { ...DEFAULT_FILTERS, due: 'today' }, now, zone)).toBeFalse();
    const dueToday = makeTask({ dueDate: '2026-11-27T17:00:00Z' });
    expect(matchesFilters(dueToday, { ...DEFAULT_FILTERS, due: 'today' }, now, zone)).toBeTrue();
    expect(matchesFilters(dueToday, { ...DEFAULT_FILTERS, due: 'overdue' }, now, zone)).toBeFalse();
    expect(
      matchesFilters(makeTask({ status: 'deleted' }), { ...DEFAULT_FILTERS, status: 'all' }),
    ).toBeFalse();
  });

  it('searches words in any order, ignoring punctuation, case and accents', () => {
    const book = makeTask({ title: 'Thinking, Fast and Slow' });
    const cafe = makeTask({ title: 'Café crème' });
    expect(matchesFilters(book, { ...DEFAULT_FILTERS, q: 'thinking fast' }, now, zone)).toBeTrue();
    expect(matchesFilters(book, { ...DEFAULT_FILTERS, q: 'SLOW thinking' }, now, zone)).toBeTrue();
    expect(matchesFilters(cafe, { ...DEFAULT_FILTERS, q: 'creme cafe' }, now, zone)).toBeTrue();
    expect(matchesFilters(book, { ...DEFAULT_FILTERS, q: 'fast quick' }, now, zone)).toBeFalse();
  });

  it('this week follows the first day of the week it is given', () => {
    // Sunday 29 Nov: in a Monday week (23–29 Nov); in a Sunday week it starts the next one.
    const sunday = makeTask({ dueDate: '2026-11-29T10:00:00Z' });
    const week = { ...DEFAULT_FILTERS, due: 'week' as const };
    expect(matchesFilters(sunday, week, now, zone, 1)).toBeTrue();
    expect(matchesFilters(sunday, week, now, zone, 7)).toBeFalse();
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

  it('orders ties by due date (soonest first, none last), then title — not by id', () => {
    const later = makeTask({
      id: 'a',
      title: 'A',
      priority: 'high',
      dueDate: '2026-12-02T09:00:00Z',
    });
    const sooner = makeTask({
      id: 'b',
      title: 'Z',
      priority: 'high',
      dueDate: '2026-12-01T09:00:00Z',
    });
    const undatedB = makeTask({ id: 'c', title: 'beta', priority: 'high', dueDate: null });
    const undatedA = makeTask({ id: 'd', title: 'Alpha', priority: 'high', dueDate: null });
    for (const sort of ['priority', '-priority', '-createdAt'] as const) {
      const same = { createdAt: '2026-11-01T00:00:00Z' };
      const tasks = [undatedB, later, undatedA, sooner].map((t) => ({ ...t, ...same }));
      expect(tasks.sort(compareTasks(sort)).map((t) => t.title)).toEqual([
        'Z',
        'A',
        'Alpha',
        'beta',
      ]);
    }
  });
});
