import { humanizeDates } from './human-dates';

describe('humanizeDates', () => {
  it('rewrites ISO timestamps in a sentence and leaves the rest alone', () => {
    const iso = '2026-11-27T09:05:00.000Z';
    const local = new Date(iso).toLocaleString('en-GB', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    expect(humanizeDates(`"Call Sam" is due at ${iso}.`, 'en-GB')).toBe(
      `"Call Sam" is due at ${local}.`,
    );
    expect(humanizeDates('no dates here, 2026-11-27 only')).toBe('no dates here, 2026-11-27 only');
  });
});
