import { randomBytes, randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { runWithContext } from '../../../request-context.js';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives each request a correlation id: the caller's `X-Correlation-Id`, else the trace id of
 * its `traceparent`, else a new one. Starts a child span of the caller's trace (or a new
 * trace) and echoes both headers so clients can quote them in bug reports.
 */
export const correlation: RequestHandler = (req, res, next) => {
  const incoming = req.header('traceparent')?.toLowerCase();
  const parsed = incoming ? TRACEPARENT.exec(incoming) : null;
  const traceId = parsed?.[1] ?? randomBytes(16).toString('hex');
  const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-${parsed?.[3] ?? '01'}`;
  const given = req.header('x-correlation-id');
  const correlationId = given && SAFE_ID.test(given) ? given : parsed ? traceId : randomUUID();
  res.setHeader('X-Correlation-Id', correlationId);
  res.setHeader('traceparent', traceparent);
  runWithContext({ correlationId, traceparent }, () => next());
};
