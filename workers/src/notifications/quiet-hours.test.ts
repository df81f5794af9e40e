import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_NOTIFICATION_PREFERENCES, type NotificationPreferences } from '@todo/contracts';
import { quietHoursEnd } from './quiet-hours.js';

const prefs = (over: Partial<NotificationPreferences>): NotificationPreferences => ({
  ...DEFAULT_NOTIFICATION_PREFERENCES,
  ...over,
});

describe('quietHoursEnd', () => {
  it('is null without quiet hours or outside them', () => {
    assert.equal(quietHoursEnd(new Date('2026-06-01T12:00:00Z'), prefs({})), null);
    const night = prefs({ quietHoursStart: '22:00', quietHoursEnd: '07:00', timezone: 'UTC' });
    assert.equal(quietHoursEnd(new Date('2026-06-01T12:00:00Z'), night), null);
    assert.equal(quietHoursEnd(new Date('2026-06-01T07:00:00Z'), night), null);
  });

  it('ends the same morning when the period spans midnight', () => {
    const night = prefs({
      quietHoursStart: '22:00',
      quietHoursEnd: '07:00',
      timezone: 'Europe/Berlin',
    });
    // 23:30 Berlin (CEST) → 07:00 Berlin next day = 05:00Z
    assert.equal(
      quietHoursEnd(new Date('2026-06-01T21:30:00Z'), night)?.toISOString(),
      '2026-06-02T05:00:00.000Z',
    );
    // 03:00 Berlin → 07:00 the same day
    assert.equal(
      quietHoursEnd(new Date('2026-06-02T01:00:00Z'), night)?.toISOString(),
      '2026-06-02T05:00:00.000Z',
    );
  });

  it('uses local wall time across a DST change', () => {
    const night = prefs({
      quietHoursStart: '22:00',
      quietHoursEnd: '07:00',
      timezone: 'Europe/Berlin',
    });
    // 2026-03-29 clocks go forward in Berlin: 23:00 CET on the 28th → 07:00 CEST = 05:00Z
    assert.equal(
      quietHoursEnd(new Date('2026-03-28T22:00:00Z'), night)?.toISOString(),
      '2026-03-29T05:00:00.000Z',
    );
    // 2026-10-25 clocks go back: 23:00 CEST on the 24th → 07:00 CET = 06:00Z
    assert.equal(
      quietHoursEnd(new Date('2026-10-24T21:00:00Z'), night)?.toISOString(),
      '2026-10-25T06:00:00.000Z',
    );
  });

  it('handles a daytime period and treats equal start/end as none', () => {
    const day = prefs({ quietHoursStart: '12:00', quietHoursEnd: '14:00', timezone: 'Asia/Tokyo' });
    assert.equal(
      quietHoursEnd(new Date('2026-06-01T03:30:00Z'), day)?.toISOString(),
      '2026-06-01T05:00:00.000Z',
    );
    const none = prefs({ quietHoursStart: '08:00', quietHoursEnd: '08:00' });
    assert.equal(quietHoursEnd(new Date('2026-06-01T08:00:00Z'), none), null);
  });

  it('ends on the half hour in a half-hour zone (Asia/Kolkata, +05:30)', () => {
    const night = prefs({
      quietHoursStart: '22:00',
      quietHoursEnd: '07:00',
      timezone: 'Asia/Kolkata',
    });
    // 23:00 IST = 17:30Z → 07:00 IST next day = 01:30Z. In UTC, 17:30 would not be quiet at all.
    assert.equal(
      quietHoursEnd(new Date('2026-06-01T17:30:00Z'), night)?.toISOString(),
      '2026-06-02T01:30:00.000Z',
    );
    // 21:45 IST (16:15Z) is not quiet yet; 06:59 IST (01:29Z) still is.
    assert.equal(quietHoursEnd(new Date('2026-06-01T16:15:00Z'), night), null);
    assert.equal(
      quietHoursEnd(new Date('2026-06-02T01:29:00Z'), night)?.toISOString(),
      '2026-06-02T01:30:00.000Z',
    );
  });
});
