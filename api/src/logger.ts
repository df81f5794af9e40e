import { pino, type Logger } from 'pino';
import { currentContext } from './request-context.js';

export type { Logger };

/** JSON logs, one line per meaningful event; the request's correlation and user ids ride along. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'api' },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin() {
      const context = currentContext();
      return context ? { correlationId: context.correlationId, userId: context.userId } : {};
    },
  });
}
