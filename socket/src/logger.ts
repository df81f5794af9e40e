import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs, one line per meaningful event, tagged with the node's service name. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'socket' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
