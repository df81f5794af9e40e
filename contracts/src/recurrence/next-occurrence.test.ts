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

/** Completes each instance at its due time, `count` times: the due dates that follow. */
function walk(p: Partial<RecurrencePattern>, timeZone: string, firstDue: string, count: number) {
  const dues: string[] = [];
  let previousDue = at(firstDue);
  for (let index = 1; index <= count; index += 1) {
    const next = nextOccurrence({
      pattern: { frequency: 'daily', interval: 1, anchor: 'due', ...p },
      timeZone,
      previousDue,
      completedAt: previousDue,
      occurrenceIndex: index,
      now: previousDue,
    });
    assert.ok(next, `occurrence ${index + 1} exists`);
    dues.push(next.toISOString());
    previousDue = next;
  }
  return dues;
}

/** The wall-clock time of `iso` in `timeZone`, as `YYYY-MM-DD HH:MM`. */
const local = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));

describe('nextOccurrence: series without an end', () => {
  it('a daily series never ends: 800 completions, each the next day at 09:00 Berlin time', () => {
    // Two years, so both DST changes of both years are crossed.
    const dues = walk({}, 'Europe/Berlin', '2026-01-01T08:00:00Z', 800);
    assert.equal(dues.length, 800);
    const day = new Date('2026-01-02T00:00:00Z');
    for (const due of dues) {
      assert.equal(local(due, 'Europe/Berlin'), `${day.toISOString().slice(0, 10)} 09:00`);
      day.setUTCDate(day.getUTCDate() + 1);
    }
  });

  it('an open-ended series at its 10,001st instance still has a next one', () => {
    const next = nextOccurrence({
      pattern: { frequency: 'weekly', interval: 1, anchor: 'due', byWeekday: [0] },
      timeZone: 'UTC',
      previousDue: at('2026-01-05T09:00:00Z'),
      completedAt: at('2026-01-05T09:00:00Z'),
      occurrenceIndex: 10_001,
      now: at('2026-01-05T09:00:00Z'),
    });
    assert.equal(next?.toISOString(), '2026-01-12T09:00:00.000Z');
  });

  it('weekly on Sunday, created the week before the last Sunday of March, keeps 09:00 in Berlin', () => {
    // 2026-03-29 is the last Sunday of March: 02:00 CET → 03:00 CEST.
    assert.deepEqual(
      walk({ frequency: 'weekly', byWeekday: [6] }, 'Europe/Berlin', '2026-03-22T08:00:00Z', 2),
      ['2026-03-29T07:00:00.000Z', '2026-04-05T07:00:00.000Z'],
    );
    // …and back on the last Sunday of October (2026-10-25, CEST → CET).
    assert.deepEqual(
      walk({ frequency: 'weekly', byWeekday: [6] }, 'Europe/Berlin', '2026-10-18T07:00:00Z', 1),
      ['2026-10-25T08:00:00.000Z'],
    );
  });

  it('weekly on Monday keeps 09:00 in New York across both changes', () => {
    // 2026-03-08: EST (−5) → EDT (−4); 2026-11-01: back to EST.
    assert.deepEqual(
      walk({ frequency: 'weekly', byWeekday: [0] }, 'America/New_York', '2026-03-02T14:00:00Z', 1),
      ['2026-03-09T13:00:00.000Z'],
    );
    assert.deepEqual(
      walk({ frequency: 'weekly', byWeekday: [0] }, 'America/New_York', '2026-10-26T13:00:00Z', 1),
      ['2026-11-02T14:00:00.000Z'],
    );
  });

  it('a half-hour zone (Asia/Kolkata): 09:00 IST is 03:30Z every day', () => {
    assert.deepEqual(walk({}, 'Asia/Kolkata', '2026-06-01T03:30:00Z', 3), [
      '2026-06-02T03:30:00.000Z',
      '2026-06-03T03:30:00.000Z',
      '2026-06-04T03:30:00.000Z',
    ]);
  });
});

describe('nextOccurrence: byMonthday -1, the last day of the month', () => {
  it('walks a year of month ends: 28 or 29 in February, 30 in 30-day months', () => {
    const dues = walk({ frequency: 'monthly', byMonthday: -1 }, 'UTC', '2027-01-31T09:00:00Z', 13);
    assert.deepEqual(
      dues.map((d) => d.slice(0, 10)),
      [
        '2027-02-28',
        '2027-03-31',
        '2027-04-30',
        '2027-05-31',
        '2027-06-30',
        '2027-07-31',
        '2027-08-31',
        '2027-09-30',
        '2027-10-31',
        '2027-11-30',
        '2027-12-31',
        '2028-01-31',
        '2028-02-29',
      ],
    );
    assert.ok(dues.every((d) => d.endsWith('T09:00:00.000Z')));
  });

  it('a leap-year February from the 31st of January', () => {
    assert.deepEqual(
      walk({ frequency: 'monthly', byMonthday: -1 }, 'UTC', '2028-01-31T09:00:00Z', 2),
      ['2028-02-29T09:00:00.000Z', '2028-03-31T09:00:00.000Z'],
    );
  });

  it('the last day in the user’s zone, not in UTC (Asia/Kolkata, 02:00 IST)', () => {
    // 2026-01-31 02:00 IST is 2026-01-30T20:30Z: in UTC it would be the 30th.
    assert.deepEqual(
      walk({ frequency: 'monthly', byMonthday: -1 }, 'Asia/Kolkata', '2026-01-30T20:30:00Z', 2),
      ['2026-02-27T20:30:00.000Z', '2026-03-30T20:30:00.000Z'],
    );
  });

  it('anchor completion: the month end after the completion, at the series’ time', () => {
    const next = nextOccurrence({
      pattern: { frequency: 'monthly', interval: 1, anchor: 'completion', byMonthday: -1 },
      timeZone: 'Europe/Berlin',
      previousDue: at('2026-01-31T08:00:00Z'),
      completedAt: at('2026-02-03T10:00:00Z'),
      occurrenceIndex: 1,
      now: at('2026-02-03T10:00:00Z'),
    });
    assert.equal(next?.toISOString(), '2026-02-28T08:00:00.000Z');
  });
});
