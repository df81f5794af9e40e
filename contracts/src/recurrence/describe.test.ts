import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeRecurrence } from './describe.js';

describe('describeRecurrence', () => {
  const say = (pattern: Parameters<typeof describeRecurrence>[0]) =>
    describeRecurrence(pattern, 'UTC');

  it('says nothing about an end when the series is open-ended', () => {
    assert.equal(say({ frequency: 'weekly', byWeekday: [0] }), 'every Monday');
    assert.equal(say({ frequency: 'daily' }), 'every day');
    assert.equal(say(null), 'does not repeat');
  });

  it('names weekdays, weekends, every other week and longer intervals', () => {
    assert.equal(say({ frequency: 'weekly', byWeekday: [4, 0, 2, 1, 3] }), 'every weekday');
    assert.equal(say({ frequency: 'weekly', byWeekday: [6, 5] }), 'every weekend');
    assert.equal(
      say({ frequency: 'weekly', interval: 2, byWeekday: [4, 0] }),
      'every other Monday and Friday',
    );
    assert.equal(
      say({ frequency: 'weekly', interval: 3, byWeekday: [1] }),
      'every 3 weeks on Tuesday',
    );
    assert.equal(say({ frequency: 'weekly', interval: 2 }), 'every 2 weeks');
  });

  it('says the last day of the month and ordinals', () => {
    assert.equal(say({ frequency: 'monthly', byMonthday: -1 }), 'every month on the last day');
    assert.equal(
      say({ frequency: 'monthly', interval: 3, byMonthday: -1 }),
      'every 3 months on the last day',
    );
    assert.equal(
      say({ frequency: 'monthly', byMonthday: 22, maxOccurrences: 12 }),
      'every month on the 22nd, 12 times',
    );
    assert.equal(
      say({ frequency: 'monthly', byMonthday: 11, maxOccurrences: 1 }),
      'every month on the 11th, once',
    );
  });

  it("names the end date's day in the user's zone", () => {
    // 23:59:59 on 31 Dec in New York is already 1 Jan in UTC.
    const pattern = { frequency: 'daily' as const, endDate: '2027-01-01T04:59:59.000Z' };
    assert.equal(describeRecurrence(pattern, 'America/New_York'), 'every day, until 31 Dec 2026');
    assert.equal(describeRecurrence(pattern, 'UTC'), 'every day, until 1 Jan 2027');
  });

  it('reads custom rules and the completion anchor', () => {
    assert.equal(
      say({ frequency: 'custom', rrule: 'FREQ=MONTHLY;BYDAY=1MO' }),
      'on the first Monday of every month',
    );
    assert.equal(
      say({ frequency: 'custom', rrule: 'RRULE:FREQ=MONTHLY;BYDAY=-1FR' }),
      'on the last Friday of every month',
    );
    assert.equal(
      say({ frequency: 'custom', rrule: 'RRULE:FREQ=WEEKLY;BYDAY=TU', maxOccurrences: 2 }),
      'every Tuesday, 2 times',
    );
    assert.equal(
      say({ frequency: 'custom', rrule: 'FREQ=MONTHLY;BYMONTHDAY=1,15' }),
      'every month on the 1st and the 15th',
    );
    assert.equal(
      say({ frequency: 'custom', rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR' }),
      'every other Monday and Friday',
    );
    // Richer rules are named as they are, never guessed at.
    assert.equal(
      say({ frequency: 'custom', rrule: 'FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1' }),
      'on a custom schedule (FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1)',
    );
    assert.equal(
      say({ frequency: 'yearly', anchor: 'completion' }),
      'every year, counted from each completion',
    );
  });
});
