import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { idempotencyKeySchema } from '@todo/contracts';
import type { IdempotentRequest } from '../../../domain/idempotency.js';
import { ValidationError } from '../../../domain/errors.js';

/** Object keys sorted at every level, so `{a,b}` and `{b,a}` are one request. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  return value;
}

/** sha-256 (hex) of the parts, objects with sorted keys: what tells a reused key apart. */
export function requestDigest(parts: unknown[]): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(parts)))
    .digest('hex');
}

/**
 * The request's `Idempotency-Key` (ADR 230) and a digest of what it asks — method, path,
 * If-Match and body — so the same key sent with another request can be told apart; undefined
 * when there is no key. `statusCode` is the route's success status.
 */
export function idempotencyOf(
  req: Request,
  statusCode: number,
  /** What stands for the body when it is not JSON (an import: a digest of the file). */
  body: unknown = req.body,
): IdempotentRequest | undefined {
  const header = req.header('idempotency-key');
  if (header === undefined) return undefined;
  const { error, value: key } = idempotencyKeySchema.validate(header);
  if (error) {
    throw new ValidationError('invalid Idempotency-Key header', [
      {
        field: 'Idempotency-Key',
        message: 'Idempotency-Key must be 8-200 printable characters without spaces, e.g. a UUID',
        type: error.details[0]?.type ?? 'any.invalid',
      },
    ]);
  }
  const requestHash = requestDigest([
    req.method,
    req.baseUrl + req.path,
    req.header('if-match') ?? null,
    body ?? null,
  ]);
  return { key, requestHash, statusCode };
}
