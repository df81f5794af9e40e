import {
  currentZoneName,
  deviceZone,
  endOfDayInZone,
  formatInZone,
  fromZonedInput,
  sameZone,
  startOfDayInZone,
  toZonedInput,
  weekdayInZone,
} from './zoned-time';

describe('zoned time', () => {
  it("runs in a browser zone that no spec uses as a user's (karma.conf.cjs sets TZ)", () => {
    expect(deviceZone()).toBe('America/Los_Angeles');
  });

  it("knows a zone by its old and its current name (Chromium reports 'Asia/Calcutta')", () => {
    expect(currentZoneName('Asia/Calcutta')).toBe('Asia/Kolkata');
    expect(currentZoneName('Europe/Berlin')).toBe('Europe/Berlin');
    expect(sameZone('Asia/Calcutta', 'Asia/Kolkata')).toBeTrue();
    expect(sameZone('US/Pacific', 'America/Los_Angeles')).toBeTrue();
    expect(sameZone('Europe/Paris', 'Europe/Berlin')).toBeFalse();
    expect(sameZone('Not/AZone', 'UTC')).toBeFalse();
  });

  it('formats an instant as wall time in the given zone, half-hour offsets included', () => {
    const iso = '2026-11-30T23:00:00.000Z';
    expect(formatInZone(iso, 'EEE d MMM, HH:mm', 'America/New_York')).toBe('Mon 30 Nov, 18:00');
    expect(formatInZone(iso, 'EEE d MMM, HH:mm', 'Asia/Kolkata')).toBe('Tue 1 Dec, 04:30');
    expect(formatInZone(null, 'HH:mm', 'UTC')).toBeNull();
    expect(formatInZone(iso, 'HH:mm', 'Not/AZone')).toBe('23:00');
  });

  it('keeps 09:00 in Berlin on both sides of the March DST change', () => {
    expect(formatInZone('2027-03-22T08:00:00Z', 'EEE d MMM, HH:mm', 'Europe/Berlin')).toBe(
      'Mon 22 Mar, 09:00',
    );
    expect(formatInZone('2027-03-29T07:00:00Z', 'EEE d MMM, HH:mm', 'Europe/Berlin')).toBe(
      'Mon 29 Mar, 09:00',
    );
    expect(fromZonedInput('2027-03-29T09:00', 'Europe/Berlin')).toBe('2027-03-29T07:00:00.000Z');
    // 02:30 does not exist on 28 March in Berlin: it moves forward by the gap.
    expect(fromZonedInput('2027-03-28T02:30', 'Europe/Berlin')).toBe('2027-03-28T01:30:00.000Z');
  });

  it('converts datetime-local values in the user zone both ways', () => {
    expect(toZonedInput('2026-12-07T12:30:00.000Z', 'Asia/Kolkata')).toBe('2026-12-07T18:00');
    expect(fromZonedInput('2026-12-07T18:00', 'Asia/Kolkata')).toBe('2026-12-07T12:30:00.000Z');
    expect(fromZonedInput('2026-12-07T18:00', 'America/New_York')).toBe('2026-12-07T23:00:00.000Z');
    expect(toZonedInput(null, 'UTC')).toBe('');
    expect(fromZonedInput('not a date', 'UTC')).toBeNull();
    expect(endOfDayInZone('2026-12-31', 'America/New_York')).toBe('2027-01-01T04:59:59.000Z');
  });

  it('finds the start of a day and the weekday in the zone, across a DST change', () => {
    // 23:30 on Saturday 27 March in Berlin is still Saturday there; UTC says the same day.
    const now = new Date('2027-03-27T22:30:00Z');
    expect(weekdayInZone(now, 'Europe/Berlin')).toBe(5);
    expect(startOfDayInZone(now, 'Europe/Berlin').toISOString()).toBe('2027-03-26T23:00:00.000Z');
    // Monday's midnight is already in summer time (UTC+2).
    expect(startOfDayInZone(now, 'Europe/Berlin', 2).toISOString()).toBe(
      '2027-03-28T22:00:00.000Z',
    );
    expect(weekdayInZone(new Date('2026-11-30T02:00:00Z'), 'America/New_York')).toBe(6);
  });
});
