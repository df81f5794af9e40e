import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createTaskSchema,
  recurrenceSchema,
  updatePreferencesSchema,
  validationOptions,
} from '../index.js';

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

  it('accepts a series with no end, and with either end', () => {
    for (const value of [
      { frequency: 'daily' },
      { frequency: 'weekly', byWeekday: [0] },
      { frequency: 'daily', maxOccurrences: 3 },
      { frequency: 'daily', endDate: '2027-01-01T00:00:00Z' },
    ]) {
      const { error } = recurrenceSchema.validate(value, validationOptions);
      assert.equal(error, undefined, JSON.stringify(value));
    }
  });

  it('refuses both ends, naming both fields', () => {
    const both = recurrenceSchema.validate(
      { frequency: 'daily', endDate: '2027-01-01T00:00:00Z', maxOccurrences: 3 },
      validationOptions,
    );
    assert.equal(both.error?.details.length, 1);
    assert.match(both.error?.message ?? '', /at most one of endDate or maxOccurrences/);
  });

  it('byMonthday: -1 is the last day; 0 and below -1 are refused with a clear message', () => {
    for (const day of [-1, 1, 31]) {
      const { error } = recurrenceSchema.validate(
        { frequency: 'monthly', byMonthday: day },
        validationOptions,
      );
      assert.equal(error, undefined, `byMonthday ${day}`);
    }
    for (const day of [0, -2, 32]) {
      const { error } = recurrenceSchema.validate(
        { frequency: 'monthly', byMonthday: day },
        validationOptions,
      );
      assert.deepEqual(fieldsOf(error), ['byMonthday'], `byMonthday ${day}`);
      assert.equal(
        error?.message,
        'byMonthday must be a day of the month from 1 to 31, or -1 for the last day of the month',
      );
    }
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

  it('preferences: timezoneChosen is an optional boolean beside timezone', () => {
    const adopt = updatePreferencesSchema.validate(
      { timezone: 'Asia/Kolkata', timezoneChosen: false },
      validationOptions,
    );
    assert.equal(adopt.error, undefined);
    const bad = updatePreferencesSchema.validate(
      { timezone: 'Mars/Olympus', timezoneChosen: 'maybe' },
      validationOptions,
    );
    assert.deepEqual(fieldsOf(bad.error).sort(), ['timezone', 'timezoneChosen']);
  });
});
