import { recurrenceLabel } from './recurrence-text';

// The wording itself is tested with contracts' describeRecurrence; this is the label the app shows.
describe('recurrenceLabel', () => {
  it('says the chat’s wording as a label', () => {
    expect(recurrenceLabel({ frequency: 'weekly', byWeekday: [0] }, 'UTC')).toBe('Every Monday');
    expect(recurrenceLabel({ frequency: 'weekly', byWeekday: [0], maxOccurrences: 5 }, 'UTC')).toBe(
      'Every Monday, 5 times',
    );
    expect(recurrenceLabel(null, 'UTC')).toBe('Does not repeat');
  });

  it("names the end date's day in the user's zone", () => {
    // 23:59:59 on 31 Dec in New York is already 1 Jan in UTC.
    const pattern = { frequency: 'daily' as const, endDate: '2027-01-01T04:59:59.000Z' };
    expect(recurrenceLabel(pattern, 'America/New_York')).toBe('Every day, until 31 Dec 2026');
    expect(recurrenceLabel(pattern, 'UTC')).toBe('Every day, until 1 Jan 2027');
  });

  it('names every other week and custom rules like the chat does', () => {
    expect(recurrenceLabel({ frequency: 'weekly', interval: 2, byWeekday: [4, 0] }, 'UTC')).toBe(
      'Every other Monday and Friday',
    );
    expect(
      recurrenceLabel(
        { frequency: 'custom', rrule: 'RRULE:FREQ=WEEKLY;BYDAY=TU', maxOccurrences: 2 },
        'UTC',
      ),
    ).toBe('Every Tuesday, 2 times');
  });
});
