import rrulePackage from 'rrule';
import { toWallTime, type RecurrenceInput, type RecurrencePattern } from '@todo/contracts';
import { ValidationError } from './errors.js';
import { probeRrule } from './rrule-probe.js';

const { RRule } = rrulePackage;

/**
 * Completes a pattern from the task it is attached to, so the series keeps its day:
 * "monthly" on a task due the 31st means the 31st (or the month's last day) forever,
 * not whatever day a short month pushed the previous instance to.
 */
export function normalizePattern(
  input: RecurrenceInput,
  dueDate: Date | null,
  timeZone: string,
  /** Where the pattern sits in the request body, for error messages ('' when it is the body). */
  field = 'recurrence',
): RecurrencePattern {
  const rruleField = field ? `${field}.rrule` : 'rrule';
  // RFC 5545 names are case-insensitive; rrule's parser only reads upper case.
  const rrule = input.rrule?.toUpperCase();
  if (input.frequency === 'custom') assertUsableRrule(rrule ?? '', rruleField);
  const wall = dueDate ? toWallTime(dueDate, timeZone) : null;
  const pattern: RecurrencePattern = {
    frequency: input.frequency,
    interval: input.interval ?? 1,
    anchor: input.anchor ?? 'due',
  };
  if (input.byWeekday) pattern.byWeekday = [...input.byWeekday].sort((a, b) => a - b);
  else if (input.frequency === 'weekly' && wall) pattern.byWeekday = [(wall.getUTCDay() + 6) % 7];
  if (input.byMonthday !== undefined) pattern.byMonthday = input.byMonthday;
  else if (input.frequency === 'monthly' && wall) pattern.byMonthday = wall.getUTCDate();
  if (input.endDate) pattern.endDate = input.endDate.toISOString();
  if (input.maxOccurrences !== undefined) pattern.maxOccurrences = input.maxOccurrences;
  if (rrule) Object.assign(pattern, splitRruleEnd(rrule, pattern, rruleField));
  return pattern;
}

/**
 * A custom rule's own end (COUNT or UNTIL) becomes the series' end, so a rule such as
 * `FREQ=WEEKLY;COUNT=5` still stops after five now that a series may have no end: the series'
 * fields are the one place an end is kept. A rule and the fields both giving an end is a 400.
 */
function splitRruleEnd(
  rrule: string,
  pattern: RecurrencePattern,
  field: string,
): Pick<RecurrencePattern, 'rrule' | 'endDate' | 'maxOccurrences'> {
  const parts = rrule.replace(/^RRULE:/i, '').split(';');
  const isEnd = (part: string) => /^(COUNT|UNTIL)=/i.test(part);
  const ends = parts.filter(isEnd);
  const body = parts.filter((part) => !isEnd(part)).join(';');
  if (ends.length === 0) return { rrule: body };
  const invalid = (message: string) =>
    new ValidationError(`invalid ${field}`, [{ field, message, type: 'any.invalid' }]);
  if (ends.length > 1 || pattern.endDate !== undefined || pattern.maxOccurrences !== undefined)
    throw invalid(
      'give the series at most one end: COUNT or UNTIL in the rule, or endDate or maxOccurrences',
    );
  const { count, until } = RRule.parseString(ends[0]!);
  if (typeof count === 'number') {
    if (count < 1 || count > 10_000) throw invalid('COUNT must be from 1 to 10000');
    return { rrule: body, maxOccurrences: count };
  }
  if (until instanceof Date && !Number.isNaN(until.getTime()))
    return { rrule: body, endDate: until.toISOString() };
  throw invalid('UNTIL must be a date such as 20271231T235959Z');
}

/** Column values of a pattern row. */
export function patternColumns(pattern: RecurrencePattern) {
  return {
    frequency: pattern.frequency,
    interval: pattern.interval,
    byWeekday: pattern.byWeekday ?? null,
    byMonthday: pattern.byMonthday ?? null,
    endDate: pattern.endDate ? new Date(pattern.endDate) : null,
    maxOccurrences: pattern.maxOccurrences ?? null,
    rrule: pattern.rrule ?? null,
    anchor: pattern.anchor,
  };
}

/** rrule's parser accepts unknown values silently: the rule's parts are checked here. */
function assertUsableRrule(body: string, field: string): void {
  let problem: string | null = null;
  try {
    const options = RRule.parseString(body.replace(/^RRULE:/i, ''));
    if (options.freq === undefined || options.freq === null || Number.isNaN(options.freq)) {
      problem = 'FREQ must be one of YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY, MINUTELY, SECONDLY';
    } else if (options.freq > RRule.DAILY) {
      problem = 'rules more frequent than daily are not supported for tasks';
    }
  } catch (error) {
    problem = `rrule could not be parsed: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (problem) throw invalidRrule(field, problem);
}

function invalidRrule(field: string, message: string): ValidationError {
  return new ValidationError(`invalid ${field}`, [{ field, message, type: 'any.invalid' }]);
}

/**
 * A custom rule must also yield dates: `FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30` parses but names
 * no day. Called before the write's transaction opens, so a slow probe holds no lock.
 */
export async function assertRuleYieldsDates(
  input: RecurrenceInput | null | undefined,
  /** Where the pattern sits in the request body ('' when it is the body). */
  field = 'recurrence',
): Promise<void> {
  if (input?.frequency !== 'custom' || !input.rrule) return;
  const rruleField = field ? `${field}.rrule` : 'rrule';
  const rule = input.rrule.toUpperCase().replace(/^RRULE:/, '');
  assertUsableRrule(rule, rruleField);
  const body = rule
    .split(';')
    .filter((part) => !/^(COUNT|UNTIL)=/.test(part))
    .join(';');
  const result = await probeRrule(body, new Date());
  if (result.kind === 'never')
    throw invalidRrule(rruleField, 'the rule never yields a date (no day matches all its parts)');
  if (result.kind === 'too-slow')
    throw invalidRrule(
      rruleField,
      'the rule yields no date within a reasonable search; check that its BY parts can all match one day',
    );
}
