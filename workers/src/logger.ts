import { pino, type Logger } from 'pino';
import { currentContext } from './context.js';

export type { Logger };

/** JSON logs; the correlation, user, task and job ids of the current work ride along. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'workers' },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin() {
      return { ...currentContext() };
    },
  });
}
