import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RecurrencePattern } from '../rest/recurrence.js';
import { nextOccurrence } from './next-occurrence.js';

const pattern = (p: Partial<RecurrencePattern>): RecurrencePattern => ({
  frequency: 'daily',
  interval: 1,
  anchor: 'due',
  maxOccurrences: 100,
  ...p,
});

const at = (iso: string) => new Date(iso);

describe('nextOccurrence', () => {
  it('daily: the next day at the same time', () => {
    const next = nextOccurrence({
      pattern: pattern({}),
      timeZone: 'UTC',
      previousDue: at('2026-01-05T09:00:00Z'),
      completedAt: at('2026-01-05T08:00:00Z'),
      occurrenceIndex: 1,
      now: at('2026-01-05T08:00:00Z'),
    });
    assert.equal(next?.toISOString(), '2026-01-06T09:00:00.000Z');
  });

  it('every 3 days', () => {
    const next = nextOccurrence({
      pattern: pattern({ interval: 3 }),
      timeZone: 'UTC',
      previousDue: at('2026-01-05T09:00:00Z'),
      completedAt: at('2026-01-05T08:00:00Z'),
      occurrenceIndex: 1,
      now: at('2026-01-05T08:00:00Z'),
    });
    assert.equal(next?.toISOString(), '2026-01-08T09:00:00.000Z');
  });

  it('anchor due skips occurrences already in the past', () => {
    const next = nextOccurrence({
      pattern: pattern({}),
      timeZone: 'UTC',
      previousDue: at('2026-01-05T09:00:00Z'),
      completedAt: at('2026-01-08T12:00:00Z'),
      occurrenceIndex: 1,
      now: at('2026-01-08T12:00:00Z'),
    });
    assert.equal(next?.toISOString(), '2026-01-09T09:00:00.000Z');
  });

  it('anchor completion counts from the completion, keeping the time of day', () => {
    const next = nextOccurrence({
      pattern: pattern({ anchor: 'completion', interval: 2 }),
      timeZone: 'UTC',
      previousDue: at('2026-01-05T09:00:00Z'),
      completedAt: at('2026-01-08T12:00:00Z'),
      occurrenceIndex: 1,
      now: at('2026-01-08T12:00:00Z'),
    });
    assert.equal(next?.toISOString(), '2026-01-10T09:00:00.000Z');
  });

  it('weekly on Monday, completed on a Monday: the following Monday', () => {
    // 2026-01-05 is a Monday.
    const next = nextOccurrence({
      pattern: pattern({ frequency: 'weekly', byWeekday: [0] }),
      timeZone: 'UTC',
      previousDue: at('2026-01-05T17:00:00Z'),
      completedAt: at('2026-01-05T10:00:00Z'),
      occurrenceIndex: 1,
      now: at('2026-01-05T10:00:00Z'),
    });
    assert.equal(next?.toISOString(), '2026-01-12T17:00:00.000Z');
  });

  it('weekly on Tuesday and Thursday', () => {
    const next = nextOccurrence({
      pattern: pattern({ frequency: 'weekly', byWeekday: [1, 3] }),
      timeZone: 'UTC',
      previousDue: at('2026-01-06T09:00:00Z'),
      completedAt: at('2026-01-06T09:00:00Z'),
      occurrenceIndex: 1,
      now: at('2026-01-06T09:00:00Z'),
    });
    assert.equal(next?.toISOString(), '2026-01-08T09:00:00.000Z');
  });

  for (const [year, expected] of [
    [2026, '2026-02-28T09:00:00.000Z'],
    [2028, '2028-02-29T09:00:00.000Z'],
  ] as const) {
    it(`monthly on the 31st lands on the last day of February ${year}`, () => {
      const next = nextOccurrence({
        pattern: pattern({ frequency: 'monthly', byMonthday: 31 }),
        timeZone: 'UTC',
        previousDue: at(`${year}-01-31T09:00:00Z`),
        completedAt: at(`${year}-01-31T08:00:00Z`),
        occurrenceIndex: 1,
        now: at(`${year}-01-31T08:00:00Z`),
      });
      assert.equal(next?.toISOString(), expected);
    });
  }

  it('monthly on the 31st returns to the 31st after February', () => {
    const next = nextOccurrence({
      pattern: pattern({ frequency: 'monthly', byMonthday: 31 }),
      timeZone: 'UTC',
      previousDue: at('2026-02-28T09:00:00Z'),
      completedAt: at('2026-02-28T08:00:00Z'),
      occurrenceIndex: 2,
      now: at('2026-02-28T08:00:00Z'),
    });
    assert.equal(next?.toISOString(), '2026-03-31T09:00:00.000Z');
  });

  it('yearly', () => {
    const next = nextOccurrence({
      pattern: pattern({ frequency: 'yearly' }),
      timeZone: 'UTC',
      previousDue: at('2026-03-03T09:00:00Z'),
      completedAt: at('2026-03-03T08:00:00Z'),
      occurrenceIndex: 1,
      now: at('2026-03-03T08:00:00Z'),
    });
    assert.equal(next?.toISOString(), '2027-03-03T09:00:00.000Z');
  });

  it('custom RRULE: every 2 weeks on Tuesday and Thursday', () => {
    const next = nextOccurrence({
      pattern: pattern({ frequency: 'custom', rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH' }),
      timeZone: 'UTC',
      previousDue: at('2026-01-08T09:00:00Z'), // a Thursday
      completedAt: at('2026-01-08T09:00:00Z'),
      occurrenceIndex: 1,
      now: at('2026-01-08T09:00:00Z'),
    });
    assert.equal(next?.toISOString(), '2026-01-20T09:00:00.000Z');
  });

  it('keeps 09:00 local across the spring DST change (Europe/Berlin)', () => {
    // 2026-03-29 02:00 CET → 03:00 CEST. 09:00 CET = 08:00Z; 09:00 CEST = 07:00Z.
    const next = nextOccurrence({
      pattern: pattern({}),
      timeZone: 'Europe/Berlin',
      previousDue: at('2026-03-28T08:00:00Z'),
      completedAt: at('2026-03-28T08:00:00Z'),
      occurrenceIndex: 1,
      now: at('2026-03-28T08:00:00Z'),
    });
    assert.equal(next?.toISOString(), '2026-03-29T07:00:00.000Z');
  });

  it('keeps 09:00 local across the autumn DST change (America/New_York)', () => {
    // 2026-11-01: EDT (−4) → EST (−5).
    const next = nextOccurrence({
      pattern: pattern({}),
      timeZone: 'America/New_York',
      previousDue: at('2026-10-31T13:00:00Z'),
      completedAt: at('2026-10-31T13:00:00Z'),
      occurrenceIndex: 1,
      now: at('2026-10-31T13:00:00Z'),
    });
    assert.equal(next?.toISOString(), '2026-11-01T14:00:00.000Z');
  });

  it('creates nothing at maxOccurrences', () => {
    const next = nextOccurrence({
      pattern: pattern({ maxOccurrences: 3 }),
      timeZone: 'UTC',
      previousDue: at('2026-01-05T09:00:00Z'),
      completedAt: at('2026-01-05T09:00:00Z'),
      occurrenceIndex: 3,
      now: at('2026-01-05T09:00:00Z'),
    });
    assert.equal(next, null);
  });

  it('creates nothing past endDate', () => {
    const next = nextOccurrence({
      pattern: pattern({ maxOccurrences: undefined, endDate: '2026-01-06T08:00:00.000Z' }),
      timeZone: 'UTC',
      previousDue: at('2026-01-05T09:00:00Z'),
      completedAt: at('2026-01-05T09:00:00Z'),
      occurrenceIndex: 1,
      now: at('2026-01-05T09:00:00Z'),
    });
    assert.equal(next, null);
  });
});
