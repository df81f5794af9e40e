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

/** A recurrence as a client writes it in JSON: dates as ISO strings, defaults left out. */
export type RecurrenceRequest = Omit<RecurrencePattern, 'interval' | 'anchor'> & {
  interval?: number;
  anchor?: RecurrenceAnchor;
};

/** What a client sends after joi: defaults filled, `endDate` turned into a Date. */
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

// Case-insensitive by its classes, not an `i` flag: JSON Schema patterns carry no flags.
const RRULE_BODY = /^(RRULE:)?[A-Za-z]+=[A-Za-z0-9,+-]+(;[A-Za-z]+=[A-Za-z0-9,+-]+)*$/;

export const recurrenceSchema = Joi.object<RecurrenceInput>({
  frequency: Joi.string()
    .valid(...RECURRENCE_FREQUENCIES)
    .required()
    .description('"custom" takes an RFC 5545 rule in rrule.'),
  interval: Joi.number()
    .integer()
    .min(1)
    .max(1000)
    .default(1)
    .description('Every n-th period (2 = every other week with weekly).'),
  byWeekday: Joi.array()
    .items(Joi.number().integer().min(0).max(6))
    .unique()
    .min(1)
    .max(7)
    .description('Weekdays for weekly: 0 = Monday … 6 = Sunday.'),
  // -1 is rrule's (and RFC 5545's) "last day of the month"; other negatives and 0 mean nothing.
  byMonthday: Joi.number()
    .integer()
    .min(-1)
    .max(31)
    .invalid(0)
    .messages({
      'number.min': BY_MONTHDAY_MESSAGE,
      'number.max': BY_MONTHDAY_MESSAGE,
      'any.invalid': BY_MONTHDAY_MESSAGE,
    })
    .description(
      'Day of the month for monthly, 1 to 31 (the last day in shorter months); -1 = the last day.',
    ),
  endDate: isoDate.description(
    'Last possible occurrence (ISO 8601). Without endDate and maxOccurrences the series never ends.',
  ),
  maxOccurrences: Joi.number()
    .integer()
    .min(1)
    .max(10000)
    .description('How many occurrences in total. Without it and endDate the series never ends.'),
  rrule: Joi.string()
    .max(500)
    .pattern(RRULE_BODY)
    .messages({
      'string.pattern.base': 'rrule must be an RFC 5545 rule such as FREQ=WEEKLY;BYDAY=MO',
    })
    .description('An RFC 5545 rule body; required when frequency is "custom", refused otherwise.')
    .when('frequency', {
      is: 'custom',
      then: Joi.required(),
      otherwise: Joi.forbidden().messages({
        'any.unknown': 'rrule is only allowed when frequency is "custom"',
      }),
    }),
  anchor: Joi.string()
    .valid(...RECURRENCE_ANCHORS)
    .default('due')
    .description(
      '"due" schedules the next one from the due date; "completion" from when it was completed.',
    ),
})
  .oxor('endDate', 'maxOccurrences')
  .messages({
    'object.oxor':
      'recurrence takes at most one of endDate or maxOccurrences, not both (neither = the series never ends)',
  });

const dateTime = Joi.string().isoDate();

/** The stored pattern, as responses carry it (`RecurrencePattern`). */
export const recurrencePatternSchema = Joi.object<RecurrencePattern>({
  frequency: Joi.string().valid(...RECURRENCE_FREQUENCIES),
  interval: Joi.number().integer().min(1),
  byWeekday: Joi.array()
    .items(Joi.number().integer().min(0).max(6))
    .optional()
    .description('Weekdays, 0 = Monday … 6 = Sunday.'),
  byMonthday: Joi.number()
    .integer()
    .min(-1)
    .max(31)
    .invalid(0)
    .optional()
    .description('Day of the month, 1 to 31; -1 = the last day.'),
  endDate: dateTime.optional(),
  maxOccurrences: Joi.number().integer().min(1).optional(),
  rrule: Joi.string().optional().description('RFC 5545 RRULE body; only for frequency "custom".'),
  anchor: Joi.string()
    .valid(...RECURRENCE_ANCHORS)
    .description(
      'Whether the next instance is scheduled from the due date or from the completion time.',
    ),
})
  .prefs({ presence: 'required' })
  .id('RecurrencePattern')
  .description(
    'A recurring series pattern. At most one of endDate or maxOccurrences is present; neither = the series never ends.',
  );
