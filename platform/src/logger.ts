import { pino, type DestinationStream, type Logger } from 'pino';
import { currentContext, parseTraceparent } from './context.js';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  /** Tags every line, so one log stream can hold every service. */
  service: string;
  level: string;
  /** Where lines go (default stdout); tests pass a stream to read them back. */
  destination?: DestinationStream;
}

/**
 * JSON logs, one line per meaningful event. The current request context (correlation, trace,
 * user, task, job) rides along on every line without being passed around.
 */
export function createLogger({ service, level, destination }: LoggerOptions): Logger {
  const options = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin() {
      const context = currentContext();
      if (!context) return {};
      const { traceparent, ...rest } = context;
      const traceId = parseTraceparent(traceparent)?.traceId;
      return traceId ? { ...rest, traceId } : rest;
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
