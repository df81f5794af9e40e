import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What every log line and every published event of one unit of work carries: an HTTP request,
 * a CloudEvent delivery or a queue job. Set once where the work enters the process.
 */
export interface RequestContext {
  correlationId: string;
  /** W3C trace context (`00-{traceId}-{spanId}-{flags}`), propagated into events. */
  traceparent?: string;
  userId?: string;
  taskId?: string;
  eventId?: string;
  jobId?: string;
  queue?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` with `context` as the current one (nested calls see theirs, then ours again). */
export const runWithContext = <T>(context: RequestContext, fn: () => T): T =>
  storage.run(context, fn);

/** The context of the work running now, if any. Mutable: e.g. auth adds the user id. */
export const currentContext = (): RequestContext | undefined => storage.getStore();

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The parts of a valid `traceparent` header, or null for a missing or malformed one. */
export function parseTraceparent(
  value: string | undefined,
): { traceId: string; spanId: string; flags: string } | null {
  const match = value ? TRACEPARENT.exec(value.toLowerCase()) : null;
  return match ? { traceId: match[1]!, spanId: match[2]!, flags: match[3]! } : null;
}
