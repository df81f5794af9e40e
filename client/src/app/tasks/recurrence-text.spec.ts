import { describeRecurrence } from './recurrence-text';

describe('describeRecurrence', () => {
  it('says "Every Monday" with no end when the series is open-ended', () => {
    expect(describeRecurrence({ frequency: 'weekly', byWeekday: [0] }, 'UTC')).toBe('Every Monday');
    expect(describeRecurrence({ frequency: 'daily' }, 'UTC')).toBe('Every day');
  });

  it('says "Every Monday, 5 times"', () => {
    expect(
      describeRecurrence({ frequency: 'weekly', byWeekday: [0], maxOccurrences: 5 }, 'UTC'),
    ).toBe('Every Monday, 5 times');
  });

  it('names several days, the interval and an end date', () => {
    const text = describeRecurrence(
      {
        frequency: 'weekly',
        interval: 2,
        byWeekday: [4, 0],
        endDate: '2026-12-31T12:00:00.000Z',
      },
      'UTC',
    );
    expect(text).toBe('Every 2 weeks on Monday and Friday, until 31 Dec 2026');
  });

  it("names the end date's day in the user's zone", () => {
    // 23:59:59 on 31 Dec in New York is already 1 Jan in UTC.
    const pattern = { frequency: 'daily' as const, endDate: '2027-01-01T04:59:59.000Z' };
    expect(describeRecurrence(pattern, 'America/New_York')).toBe('Every day, until 31 Dec 2026');
    expect(describeRecurrence(pattern, 'UTC')).toBe('Every day, until 1 Jan 2027');
  });

  it('calls Monday to Friday "weekday"', () => {
    expect(
      describeRecurrence(
        { frequency: 'weekly', byWeekday: [0, 1, 2, 3, 4], maxOccurrences: 10 },
        'UTC',
      ),
    ).toBe('Every weekday, 10 times');
  });

  it('says the last day of the month for byMonthday -1', () => {
    expect(describeRecurrence({ frequency: 'monthly', byMonthday: -1 }, 'UTC')).toBe(
      'Every month on the last day',
    );
    expect(describeRecurrence({ frequency: 'monthly', interval: 3, byMonthday: -1 }, 'UTC')).toBe(
      'Every 3 months on the last day',
    );
  });

  it('handles daily, monthly on a day, yearly, once, and the completion anchor', () => {
    const say = (p: Parameters<typeof describeRecurrence>[0]) => describeRecurrence(p, 'UTC');
    expect(say({ frequency: 'daily', maxOccurrences: 1 })).toBe('Every day, once');
    expect(say({ frequency: 'daily', interval: 3, maxOccurrences: 4 })).toBe(
      'Every 3 days, 4 times',
    );
    expect(say({ frequency: 'monthly', byMonthday: 22, maxOccurrences: 12 })).toBe(
      'Every month on the 22nd, 12 times',
    );
    expect(say({ frequency: 'monthly', byMonthday: 11, maxOccurrences: 2 })).toBe(
      'Every month on the 11th, 2 times',
    );
    expect(say({ frequency: 'yearly', anchor: 'completion' })).toBe(
      'Every year, counted from each completion',
    );
  });

  it('shows custom rules and "Does not repeat"', () => {
    expect(
      describeRecurrence(
        { frequency: 'custom', rrule: 'RRULE:FREQ=WEEKLY;BYDAY=TU', maxOccurrences: 2 },
        'UTC',
      ),
    ).toBe('Custom rule FREQ=WEEKLY;BYDAY=TU, 2 times');
    expect(describeRecurrence(null, 'UTC')).toBe('Does not repeat');
  });
});
