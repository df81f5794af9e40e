import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line and every event of one request carries. */
export interface RequestContext {
  correlationId: string;
  /** W3C trace context of the request, propagated into events. */
  traceparent?: string;
  userId?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const runWithContext = <T>(context: RequestContext, fn: () => T): T =>
  storage.run(context, fn);

export const currentContext = (): RequestContext | undefined => storage.getStore();
