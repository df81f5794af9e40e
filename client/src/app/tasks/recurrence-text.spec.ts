import { describeRecurrence } from './recurrence-text';

describe('describeRecurrence', () => {
  it('says "Every Monday, 5 times"', () => {
    expect(describeRecurrence({ frequency: 'weekly', byWeekday: [0], maxOccurrences: 5 })).toBe(
      'Every Monday, 5 times',
    );
  });

  it('names several days, the interval and an end date', () => {
    const text = describeRecurrence({
      frequency: 'weekly',
      interval: 2,
      byWeekday: [4, 0],
      endDate: '2026-12-31T12:00:00.000Z',
    });
    expect(text).toBe('Every 2 weeks on Monday and Friday, until 31 Dec 2026');
  });

  it('calls Monday to Friday "weekday"', () => {
    expect(
      describeRecurrence({ frequency: 'weekly', byWeekday: [0, 1, 2, 3, 4], maxOccurrences: 10 }),
    ).toBe('Every weekday, 10 times');
  });

  it('handles daily, monthly on a day, yearly, once, and the completion anchor', () => {
    expect(describeRecurrence({ frequency: 'daily', maxOccurrences: 1 })).toBe('Every day, once');
    expect(describeRecurrence({ frequency: 'daily', interval: 3, maxOccurrences: 4 })).toBe(
      'Every 3 days, 4 times',
    );
    expect(describeRecurrence({ frequency: 'monthly', byMonthday: 22, maxOccurrences: 12 })).toBe(
      'Every month on the 22nd, 12 times',
    );
    expect(describeRecurrence({ frequency: 'monthly', byMonthday: 11, maxOccurrences: 2 })).toBe(
      'Every month on the 11th, 2 times',
    );
    expect(
      describeRecurrence({ frequency: 'yearly', maxOccurrences: 3, anchor: 'completion' }),
    ).toBe('Every year, 3 times, counted from each completion');
  });

  it('shows custom rules and "Does not repeat"', () => {
    expect(
      describeRecurrence({
        frequency: 'custom',
        rrule: 'RRULE:FREQ=WEEKLY;BYDAY=TU',
        maxOccurrences: 2,
      }),
    ).toBe('Custom rule FREQ=WEEKLY;BYDAY=TU, 2 times');
    expect(describeRecurrence(null)).toBe('Does not repeat');
  });
});
