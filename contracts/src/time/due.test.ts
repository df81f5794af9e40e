import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dueWindow, statusOf, weekStartOf } from './due.js';

// Friday 27 Nov 2026, 12:00 in Berlin (11:00 UTC).
const now = new Date('2026-11-27T11:00:00Z');
const berlin = 'Europe/Berlin';

describe('one definition of today, overdue and this week', () => {
  it('today is midnight to midnight in the zone', () => {
    const { after, before } = dueWindow('today', now, berlin);
    assert.equal(after?.toISOString(), '2026-11-26T22:59:59.999Z');
    assert.equal(before?.toISOString(), '2026-11-27T23:00:00.000Z');
  });

  it('this week is the calendar week holding today, from the given first day', () => {
    const monday = dueWindow('week', now, berlin, 1);
    assert.equal(monday.after?.toISOString(), '2026-11-22T22:59:59.999Z'); // Mon 23 Nov 00:00
    assert.equal(monday.before?.toISOString(), '2026-11-29T23:00:00.000Z'); // Mon 30 Nov 00:00
    const sunday = dueWindow('week', now, berlin, 7);
    assert.equal(sunday.after?.toISOString(), '2026-11-21T22:59:59.999Z'); // Sun 22 Nov 00:00
    assert.equal(sunday.before?.toISOString(), '2026-11-28T23:00:00.000Z'); // Sun 29 Nov 00:00
  });

  it('on the first day of the week, the week starts today (not seven days back)', () => {
    const mondayNoon = new Date('2026-11-23T11:00:00Z');
    const week = dueWindow('week', mondayNoon, berlin, 1);
    assert.equal(week.after?.toISOString(), '2026-11-22T22:59:59.999Z');
  });

  it('a week across the DST change keeps calendar days', () => {
    // Berlin springs forward on Sun 29 Mar 2026: the week is 7 days minus an hour.
    const { after, before } = dueWindow('week', new Date('2026-03-25T12:00:00Z'), berlin, 1);
    assert.equal(before!.getTime() - after!.getTime() - 1, 7 * 86_400_000 - 3_600_000);
  });

  it('overdue is before now and pending only', () => {
    assert.deepEqual(dueWindow('overdue', now, berlin), { before: now });
    assert.equal(statusOf('completed', 'overdue'), 'pending');
    assert.equal(statusOf('all', 'overdue'), 'pending');
    assert.equal(statusOf('completed', 'week'), 'completed');
  });

  it('reads the first day of the week from a locale', () => {
    assert.equal(weekStartOf('de-DE'), 1);
    assert.equal(weekStartOf('en-US'), 7);
    assert.equal(weekStartOf('not a locale!'), 1);
  });
});
