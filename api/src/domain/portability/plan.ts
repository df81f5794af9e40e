import { createTaskSchema, TAG_MAX, type CreateTaskInput, type SkippedRow } from '@todo/contracts';
import { UnprocessableError } from '../errors.js';

/** A task an import file asks for, checked against the same schema as `POST /tasks`. */
export interface PlannedTask {
  row: number;
  input: CreateTaskInput;
}

/** What a file would import: tasks to create, and every row left out with its reason. */
export interface ImportPlan {
  tasks: PlannedTask[];
  skipped: SkippedRow[];
}

/** One import creates at most this many tasks (one transaction; split a larger file). */
const IMPORT_MAX_TASKS = 2000;

/** A label as a tag: lower case, spaces as hyphens, cut to the tag length. */
export const asTag = (label: string): string =>
  label.trim().toLowerCase().replace(/\s+/g, '-').slice(0, TAG_MAX);

/**
 * The candidate as `POST /tasks` would take it, or the reason it cannot be: joi's messages,
 * which name the field ("title" length must be …).
 */
export function checkTask(
  row: number,
  candidate: Record<string, unknown>,
): PlannedTask | SkippedRow {
  const { value, error } = createTaskSchema.validate(candidate, {
    abortEarly: false,
    stripUnknown: false,
    convert: true,
  });
  if (error) return { row, reason: error.details.map((d) => d.message).join('; ') };
  return { row, input: value };
}

export const isSkip = (x: PlannedTask | SkippedRow): x is SkippedRow => 'reason' in x;

/** The file as text: UTF-8 (a BOM is dropped), or a 422 saying it is not text. */
export function decodeText(body: Buffer, what: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new UnprocessableError(`the file is not ${what}: it is not UTF-8 text`, 'file');
  }
  if (text.includes('\u0000'))
    throw new UnprocessableError(`the file is not ${what}: it holds binary data`, 'file');
  return text.replace(/^\uFEFF/, '');
}

/** Refuses a file with more tasks than one import takes. */
export function assertNotTooMany(plan: ImportPlan): ImportPlan {
  if (plan.tasks.length > IMPORT_MAX_TASKS)
    throw new UnprocessableError(
      `the file has ${plan.tasks.length} tasks; one import takes at most ${IMPORT_MAX_TASKS}: split the file`,
      'file',
    );
  return plan;
}
