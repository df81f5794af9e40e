import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BatchItem } from './batch-store.js';
import { composeNotification } from './compose.js';

const item = (title: string, dueDate: string, timeZone?: string): BatchItem => ({
  reminderId: `r-${title}`,
  channels: ['email'],
  ...(timeZone ? { timeZone } : {}),
  reminder: {
    taskId: '00000000-0000-4000-8000-000000000001',
    userId: 'u1',
    title,
    dueDate,
    scheduledFor: dueDate,
    channels: ['email'],
    correlationId: 'c1',
    preferences: {
      emailEnabled: true,
      pushEnabled: true,
      quietHoursStart: null,
      quietHoursEnd: null,
      timezone: 'UTC',
    },
  },
});

describe('composeNotification', () => {
  it('says when a single task is due, in the user’s local time', () => {
    const { title, body } = composeNotification([
      item('Call Sam', '2026-11-27T10:00:00.000Z', 'Europe/Berlin'),
    ]);
    assert.equal(title, 'Reminder: Call Sam');
    assert.equal(body, '"Call Sam" is due Fri 27 Nov, 11:00.');
  });

  it('lists every task of a batch, and names UTC when the zone is unknown', () => {
    const { title, body } = composeNotification([
      item('Pay rent', '2026-12-01T08:00:00.000Z', 'America/New_York'),
      item('Water plants', '2026-12-01T08:00:00.000Z'),
    ]);
    assert.equal(title, '2 reminders');
    assert.equal(
      body,
      '• Pay rent (due Tue 1 Dec, 03:00)\n• Water plants (due Tue 1 Dec, 08:00 UTC)',
    );
  });
});
