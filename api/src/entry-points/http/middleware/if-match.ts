import type { Request } from 'express';
import { ValidationError } from '../../../domain/errors.js';

/** The task version a client expects (`If-Match: "7"`), or undefined for an unconditional write. */
export function expectedVersion(req: Request): number | undefined {
  const header = req.header('if-match');
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match?.[1]) {
    throw new ValidationError('invalid If-Match header', [
      {
        field: 'If-Match',
        message: 'If-Match must be a task version such as "3"',
        type: 'any.invalid',
      },
    ]);
  }
  return Number(match[1]);
}
