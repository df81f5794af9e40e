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

  it('requires exactly one of endDate and maxOccurrences', () => {
    const both = recurrenceSchema.validate(
      { frequency: 'daily', endDate: '2027-01-01T00:00:00Z', maxOccurrences: 3 },
      validationOptions,
    );
    assert.match(both.error?.message ?? '', /exactly one of endDate or maxOccurrences/);
    const neither = recurrenceSchema.validate({ frequency: 'daily' }, validationOptions);
    assert.match(neither.error?.message ?? '', /exactly one of endDate or maxOccurrences/);
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
