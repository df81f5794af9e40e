import { randomBytes, randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { parseTraceparent, runWithContext } from './context.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Header a caller may set to tie its own logs to ours; always echoed. */
export const CORRELATION_HEADER = 'X-Correlation-Id';

/**
 * Gives each request a correlation id: the caller's `X-Correlation-Id`, else the trace id of
 * its `traceparent`, else a new one. Starts a child span of the caller's trace (or a new
 * trace) and echoes both headers so clients can quote them in bug reports.
 */
export function correlation(): RequestHandler {
  return (req, res, next) => {
    const parent = parseTraceparent(req.header('traceparent'));
    const traceId = parent?.traceId ?? randomBytes(16).toString('hex');
    const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-${parent?.flags ?? '01'}`;
    const given = req.header(CORRELATION_HEADER);
    const correlationId = given && SAFE_ID.test(given) ? given : parent ? traceId : randomUUID();
    res.setHeader(CORRELATION_HEADER, correlationId);
    res.setHeader('traceparent', traceparent);
    runWithContext({ correlationId, traceparent }, () => next());
  };
}
