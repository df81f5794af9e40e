import { humanizeDates } from './human-dates';

describe('humanizeDates', () => {
  it('rewrites ISO timestamps in a sentence as wall time in the given zone', () => {
    const iso = '2026-11-27T09:05:00.000Z';
    expect(humanizeDates(`"Call Sam" is due at ${iso}.`, 'America/New_York')).toBe(
      '"Call Sam" is due at Fri 27 Nov, 04:05.',
    );
    expect(humanizeDates(`"Call Sam" is due at ${iso}.`, 'Asia/Kolkata')).toBe(
      '"Call Sam" is due at Fri 27 Nov, 14:35.',
    );
  });

  it('leaves text without timestamps alone', () => {
    expect(humanizeDates('no dates here, 2026-11-27 only', 'UTC')).toBe(
      'no dates here, 2026-11-27 only',
    );
  });
});
