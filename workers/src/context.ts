import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line of one delivery or job carries. */
export interface WorkContext {
  correlationId: string;
  userId?: string;
  taskId?: string;
  jobId?: string;
  queue?: string;
}

const storage = new AsyncLocalStorage<WorkContext>();

export const runWithContext = <T>(context: WorkContext, fn: () => T): T => storage.run(context, fn);

export const currentContext = (): WorkContext | undefined => storage.getStore();
