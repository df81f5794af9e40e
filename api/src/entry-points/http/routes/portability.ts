import { createHash } from 'node:crypto';
import express, { type RequestHandler, type Router } from 'express';
import {
  IMPORT_MAX_BYTES,
  importQuerySchema,
  importReportSchema,
  userExportSchema,
} from '@todo/contracts';
import { userIdOf } from '../auth/require-user.js';
import { idempotencyOf } from '../middleware/idempotency.js';
import { DomainError, ValidationError } from '../../../domain/errors.js';
import { validate } from '../../../domain/validate.js';
import { AUTHED, documentedRouter, type Operation } from '../openapi/operation.js';
import type { Services } from '../../../domain/services.js';
import { UnsupportedMediaTypeError } from '../errors.js';

/** Where imports are posted: the one route whose body is a file, not JSON. */
export const IMPORT_PATH = '/api/v1/users/me/import';

/**
 * The file types an import documents. The route reads any type but a form (browsers send a
 * .csv as text/csv, or as application/vnd.ms-excel on Windows): the content decides.
 */
const IMPORT_TYPES = ['text/csv', 'text/calendar', 'text/plain', 'application/octet-stream'];

const TODOIST_EXAMPLE = [
  'TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE,DURATION,DURATION_UNIT',
  'task,Water the plants @home,,2,1,Ada (1),,every monday,en,Europe/Berlin,,',
].join('\r\n');

const MB = IMPORT_MAX_BYTES / 1024 / 1024;

/** The body as bytes, at most `IMPORT_MAX_BYTES`; a larger file is a 413 that says the limit. */
const readFile: RequestHandler = (req, res, next) => {
  if (req.is('multipart/form-data') || req.is('application/x-www-form-urlencoded'))
    throw new UnsupportedMediaTypeError(req.header('content-type'));
  express.raw({ type: () => true, limit: IMPORT_MAX_BYTES })(req, res, (error?: unknown) => {
    if ((error as { type?: string } | undefined)?.type === 'entity.too.large')
      return next(
        new DomainError(
          'PAYLOAD_TOO_LARGE',
          `the file is larger than ${MB} MB, the most one import takes: split it into smaller files`,
          [{ field: 'file', message: `at most ${MB} MB`, type: 'file.tooLarge' }],
        ),
      );
    next(error);
  });
};

/** `/api/v1/users/me/export…` and `/import`: one's data out, and tasks in (ADR 291). */
export function portabilityRouter({ portability }: Services): {
  router: Router;
  operations: Operation[];
} {
  const { router, operations, route } = documentedRouter('/api/v1/users/me');
  const day = () => new Date().toISOString().slice(0, 10);

  route(
    'get',
    '/export',
    {
      operationId: 'exportUserData',
      tag: 'portability',
      summary: 'Export all of your data (JSON)',
      description:
        'Everything of yours: preferences, open and completed tasks with series and reminders, conversations with the assistant, the inbox. A versioned document (format, version); a download.',
      success: { status: 200, description: 'The export.', schema: userExportSchema },
      errors: [...AUTHED],
    },
    async (req, res) => {
      const data = await portability.exportAll(userIdOf(req));
      res
        .setHeader('Content-Disposition', `attachment; filename="todo-export-${day()}.json"`)
        .setHeader('Cache-Control', 'no-store')
        .json(data);
    },
  );

  route(
    'get',
    '/export/tasks.csv',
    {
      operationId: 'exportTasksCsv',
      tag: 'portability',
      summary: 'Export your tasks (CSV)',
      description:
        'Open and completed tasks as a spreadsheet, one row each: id, title, list (its name), description, status, priority, tags, dueDate, reminderOffset, recurrence (in words), completedAt, createdAt, updatedAt.',
      success: { status: 200, description: 'The tasks as CSV (UTF-8).', mediaType: 'text/csv' },
      errors: [...AUTHED],
    },
    async (req, res) => {
      const csv = await portability.exportTasksCsv(userIdOf(req));
      res
        .type('text/csv; charset=utf-8')
        .setHeader('Content-Disposition', `attachment; filename="todo-tasks-${day()}.csv"`)
        .setHeader('Cache-Control', 'no-store')
        .send(csv);
    },
  );

  route(
    'post',
    '/import',
    {
      operationId: 'importTasks',
      tag: 'portability',
      summary: 'Import tasks from Todoist (CSV) or a calendar (ICS)',
      description:
        'The file is the body (at most 5 MB). dryRun=true lists what would be created and every row skipped, with why; otherwise all of it is created in one go, or nothing. Send an Idempotency-Key to retry safely.',
      query: importQuerySchema,
      rawBody: {
        contentTypes: IMPORT_TYPES,
        description:
          'The file: a Todoist CSV export (source=todoist) or an iCalendar file of VTODOs (source=ics).',
        example: TODOIST_EXAMPLE,
      },
      idempotent: true,
      success: {
        status: 200,
        description: 'What was (or, in a dry run, would be) created, and every row skipped.',
        schema: importReportSchema,
      },
      errors: [400, 404, 413, 415, 422, ...AUTHED],
    },
    readFile,
    async (req, res) => {
      const query = validate(importQuerySchema, req.query, 'query');
      const body = req.body as unknown;
      if (!Buffer.isBuffer(body) || body.length === 0)
        throw new ValidationError('the file is missing', [
          { field: 'file', message: 'send the file as the request body', type: 'any.required' },
        ]);
      const digest = createHash('sha256').update(body).digest('hex');
      // Checked in a dry run too (a bad key is a 400 either way), used only by the import.
      const retry = idempotencyOf(req, 200, [query.source, query.listId ?? '', digest]);
      const idempotent = query.dryRun ? undefined : retry;
      res.setHeader('Cache-Control', 'no-store').json(
        await portability.importFile(userIdOf(req), query.source, body, {
          dryRun: query.dryRun,
          ...(query.listId ? { listId: query.listId } : {}),
          ...(idempotent ? { idempotent } : {}),
        }),
      );
    },
  );

  return { router, operations };
}
