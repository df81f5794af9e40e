import Joi from 'joi';
import { isoDate } from './common.js';

export const RECURRENCE_FREQUENCIES = ['daily', 'weekly', 'monthly', 'yearly', 'custom'] as const;
export type RecurrenceFrequency = (typeof RECURRENCE_FREQUENCIES)[number];

export const RECURRENCE_ANCHORS = ['due', 'completion'] as const;
export type RecurrenceAnchor = (typeof RECURRENCE_ANCHORS)[number];

/**
 * A recurring series' pattern. Weekdays are 0 = Monday … 6 = Sunday (rrule's numbering).
 * At most one end condition, `endDate` or `maxOccurrences`; neither means the series never
 * ends (nothing ever lists its future occurrences: each instance is made when the one before
 * it is completed). `byMonthday` -1 is the last day of the month.
 */
export interface RecurrencePattern {
  frequency: RecurrenceFrequency;
  interval: number;
  byWeekday?: number[];
  /** 1..31, or -1 for the month's last day. */
  byMonthday?: number;
  endDate?: string;
  maxOccurrences?: number;
  /** RFC 5545 RRULE body (e.g. `FREQ=WEEKLY;BYDAY=TU,TH`), only for `custom`. */
  rrule?: string;
  anchor: RecurrenceAnchor;
}

/** What a client sends; joi fills defaults and turns `endDate` into a Date. */
export interface RecurrenceInput extends Omit<
  RecurrencePattern,
  'endDate' | 'interval' | 'anchor'
> {
  interval?: number;
  anchor?: RecurrenceAnchor;
  endDate?: Date;
}

const BY_MONTHDAY_MESSAGE =
  '{{#label}} must be a day of the month from 1 to 31, or -1 for the last day of the month';

const RRULE_BODY = /^(RRULE:)?[A-Z]+=[A-Z0-9,+-]+(;[A-Z]+=[A-Z0-9,+-]+)*$/i;

export const recurrenceSchema = Joi.object<RecurrenceInput>({
  frequency: Joi.string()
    .valid(...RECURRENCE_FREQUENCIES)
    .required(),
  interval: Joi.number().integer().min(1).max(1000).default(1),
  byWeekday: Joi.array().items(Joi.number().integer().min(0).max(6)).unique().min(1).max(7),
  // -1 is rrule's (and RFC 5545's) "last day of the month"; other negatives and 0 mean nothing.
  byMonthday: Joi.number().integer().min(-1).max(31).invalid(0).messages({
    'number.min': BY_MONTHDAY_MESSAGE,
    'number.max': BY_MONTHDAY_MESSAGE,
    'any.invalid': BY_MONTHDAY_MESSAGE,
  }),
  endDate: isoDate,
  maxOccurrences: Joi.number().integer().min(1).max(10000),
  rrule: Joi.string()
    .max(500)
    .pattern(RRULE_BODY)
    .messages({
      'string.pattern.base': 'rrule must be an RFC 5545 rule such as FREQ=WEEKLY;BYDAY=MO',
    })
    .when('frequency', {
      is: 'custom',
      then: Joi.required(),
      otherwise: Joi.forbidden().messages({
        'any.unknown': 'rrule is only allowed when frequency is "custom"',
      }),
    }),
  anchor: Joi.string()
    .valid(...RECURRENCE_ANCHORS)
    .default('due'),
})
  .oxor('endDate', 'maxOccurrences')
  .messages({
    'object.oxor':
      'recurrence takes at most one of endDate or maxOccurrences, not both (neither = the series never ends)',
  });
