import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTaskSchema, recurrenceSchema, validationOptions } from '../index.js';

const fieldsOf = (error: { details: { path: (string | number)[] }[] } | undefined) =>
  (error?.details ?? []).map((d) => d.path.join('.'));

describe('REST schemas', () => {
  it('names every bad field of a task at once', () => {
    const { error } = createTaskSchema.validate(
      { title: 'x'.repeat(256), priority: 'urgent', colour: 'red', dueDate: 'tomorrow' },
      validationOptions,
    );
    assert.deepEqual(fieldsOf(error).sort(), ['colour', 'dueDate', 'priority', 'title']);
  });

  it('takes at most one of endDate and maxOccurrences; neither is a series without end', () => {
    const both = recurrenceSchema.validate(
      { frequency: 'daily', endDate: '2027-01-01T00:00:00Z', maxOccurrences: 3 },
      validationOptions,
    );
    assert.match(both.error?.message ?? '', /at most one of endDate or maxOccurrences/);
    const neither = recurrenceSchema.validate({ frequency: 'daily' }, validationOptions);
    assert.equal(neither.error, undefined);
  });

  it('reads byMonthday -1 as the last day of the month, and refuses 0', () => {
    assert.equal(
      recurrenceSchema.validate({ frequency: 'monthly', byMonthday: -1 }, validationOptions).error,
      undefined,
    );
    const { error } = recurrenceSchema.validate(
      { frequency: 'monthly', byMonthday: 0 },
      validationOptions,
    );
    assert.deepEqual(fieldsOf(error), ['byMonthday']);
  });

  it('rejects weekdays outside 0..6 and names the item', () => {
    const { error } = recurrenceSchema.validate(
      { frequency: 'weekly', byWeekday: [0, 7], maxOccurrences: 2 },
      validationOptions,
    );
    assert.deepEqual(fieldsOf(error), ['byWeekday.1']);
  });

  it('allows rrule only for custom frequency', () => {
    const { error } = recurrenceSchema.validate(
      { frequency: 'daily', rrule: 'FREQ=DAILY', maxOccurrences: 2 },
      validationOptions,
    );
    assert.deepEqual(fieldsOf(error), ['rrule']);
  });
});
