import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RecurrencePattern, Task } from '@todo/contracts';
import { rruleOf } from '../src/domain/calendar/ics-feed.js';

const task = (recurrence: RecurrencePattern, extra: Partial<Task> = {}): Task => ({
  id: '7f9a3a67-b685-439c-9b2f-32ad31c0f269',
  userId: 'u',
  listId: '0190f3c5-6c1e-7b7a-9a43-2f1d4c8e5a1f',
  assigneeId: null,
  changedBy: null,
  title: 'Series',
  description: null,
  status: 'pending',
  priority: 'medium',
  tags: [],
  dueDate: '2027-01-31T17:00:00.000Z',
  reminderEnabled: false,
  reminderOffset: null,
  reminderChannels: [],
  reminderAt: null,
  recurrence,
  seriesId: '7f9a3a67-b685-439c-9b2f-32ad31c0f269',
  parentTaskId: null,
  occurrenceIndex: 1,
  version: 1,
  completedAt: null,
  deletedAt: null,
  createdAt: '2027-01-01T00:00:00.000Z',
  updatedAt: '2027-01-01T00:00:00.000Z',
  ...extra,
});

describe('the RRULE of a series’ current instance', () => {
  it('counts what is left of maxOccurrences from this instance on', () => {
    const pattern: RecurrencePattern = {
      frequency: 'daily',
      interval: 2,
      maxOccurrences: 5,
      anchor: 'due',
    };
    assert.equal(rruleOf(task(pattern), 'Europe/Berlin'), 'FREQ=DAILY;COUNT=5;INTERVAL=2');
    assert.equal(
      rruleOf(task(pattern, { occurrenceIndex: 4 }), 'Europe/Berlin'),
      'FREQ=DAILY;COUNT=2;INTERVAL=2',
    );
  });

  it('keeps a monthly series on its day from the due date in the user’s zone', () => {
    // 31 January 18:00 in Berlin: "the 31st", the last day in shorter months.
    const pattern: RecurrencePattern = { frequency: 'monthly', interval: 1, anchor: 'due' };
    assert.equal(
      rruleOf(task(pattern), 'Europe/Berlin'),
      'FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1',
    );
  });

  it('takes a custom rule as written, and invents no end for an open series', () => {
    const pattern: RecurrencePattern = {
      frequency: 'custom',
      interval: 1,
      rrule: 'FREQ=WEEKLY;BYDAY=TU,TH',
      anchor: 'due',
    };
    assert.equal(rruleOf(task(pattern), 'UTC'), 'FREQ=WEEKLY;BYDAY=TU,TH');
  });

  it('writes none for a series repeated from completion, or a completed instance', () => {
    const weekly: RecurrencePattern = { frequency: 'weekly', interval: 1, anchor: 'due' };
    assert.equal(rruleOf(task({ ...weekly, anchor: 'completion' }), 'UTC'), null);
    assert.equal(rruleOf(task(weekly, { status: 'completed' }), 'UTC'), null);
    assert.equal(rruleOf(task(weekly), 'UTC'), 'FREQ=WEEKLY;BYDAY=SU');
  });
});
