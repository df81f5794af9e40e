import type { RequestHandler, Response } from 'express';
import { Histogram, type Registry } from 'prom-client';
import { currentContext, type RequestContext } from './context.js';

/**
 * Where a request's time goes: `lock` waits for the same user's earlier writes in this
 * process, `pool` for a database connection, `db` is statements' round trips; whatever is
 * left of the total is `app` (our own code, and the event loop's queue).
 */
export type TimingPhase = 'auth' | 'validation' | 'lock' | 'pool' | 'db' | 'serialization';

/** Milliseconds spent and times entered, per phase, of one request. */
type RequestTimings = Record<TimingPhase, { ms: number; count: number }>;

// Kept beside the context rather than in it: the logger writes the context on every line.
const timingsOf = new WeakMap<RequestContext, RequestTimings>();

const PHASES: readonly TimingPhase[] = [
  'auth',
  'validation',
  'lock',
  'pool',
  'db',
  'serialization',
];

/** Adds `ms` to the current request's `phase` (no-op outside a timed request). */
export function recordTiming(phase: TimingPhase, ms: number): void {
  const context = currentContext();
  const timings = context && timingsOf.get(context);
  if (!timings) return;
  timings[phase].ms += ms;
  timings[phase].count += 1;
}

/** Runs `fn` and adds its time to `phase` of the current request, even when it throws. */
export function timed<T>(phase: TimingPhase, fn: () => T): T {
  const started = performance.now();
  try {
    return fn();
  } finally {
    recordTiming(phase, performance.now() - started);
  }
}

const fresh = (): RequestTimings => ({
  auth: { ms: 0, count: 0 },
  validation: { ms: 0, count: 0 },
  lock: { ms: 0, count: 0 },
  pool: { ms: 0, count: 0 },
  db: { ms: 0, count: 0 },
  serialization: { ms: 0, count: 0 },
});

/** The W3C `Server-Timing` value: each phase, the rest (`app`) and the total so far. */
function serverTiming(timings: RequestTimings, totalMs: number): string {
  const spent = PHASES.reduce((sum, p) => sum + timings[p].ms, 0);
  const parts = PHASES.filter((p) => timings[p].count > 0).map((p) =>
    p === 'db'
      ? `db;dur=${timings.db.ms.toFixed(2)};desc="${timings.db.count} queries"`
      : `${p};dur=${timings[p].ms.toFixed(2)}`,
  );
  parts.push(
    `app;dur=${Math.max(0, totalMs - spent).toFixed(2)}`,
    `total;dur=${totalMs.toFixed(2)}`,
  );
  return parts.join(', ');
}

/**
 * Splits each request's time into auth, validation, database round trips, serialization and
 * the rest, as histograms (`http_request_phase_seconds`, `http_request_db_queries`) and, when
 * `header` is set (never in production: it tells a caller how the server spends its time), a
 * `Server-Timing` header. Must run inside `correlation()`, whose context carries the totals;
 * the phases themselves are recorded where they happen (`recordTiming`, `timed`).
 */
export function requestTimings(
  registry: Registry,
  { header }: { header: boolean },
): RequestHandler {
  const phaseSeconds = new Histogram({
    name: 'http_request_phase_seconds',
    help: 'Time of one request spent in each phase (app = everything not in another phase)',
    labelNames: ['route', 'phase'] as const,
    buckets: [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const dbQueries = new Histogram({
    name: 'http_request_db_queries',
    help: 'Database round trips of one request (BEGIN and COMMIT included)',
    labelNames: ['route'] as const,
    buckets: [0, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20],
    registers: [registry],
  });
  return (req, res, next) => {
    const context = currentContext();
    if (!context) {
      next();
      return;
    }
    const started = performance.now();
    const timings = fresh();
    timingsOf.set(context, timings);
    // JSON.stringify is timed here rather than inside Express's res.json, which gives no hook.
    const json = res.json.bind(res);
    res.json = ((body: unknown) => {
      const before = performance.now();
      const text = JSON.stringify(body);
      recordTiming('serialization', performance.now() - before);
      if (text === undefined) return json(body);
      if (!res.get('Content-Type')) res.type('json');
      return res.send(text);
    }) as Response['json'];
    if (header) {
      // The header must go out with the others, so it is computed as they are written.
      const writeHead = res.writeHead;
      res.writeHead = function (this: typeof res, ...args: unknown[]) {
        if (!res.headersSent)
          res.setHeader('Server-Timing', serverTiming(timings, performance.now() - started));
        return (writeHead as (...a: unknown[]) => typeof res).apply(this, args);
      } as typeof res.writeHead;
    }
    res.once('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      const total = performance.now() - started;
      let spent = 0;
      for (const phase of PHASES) {
        spent += timings[phase].ms;
        if (timings[phase].count) phaseSeconds.observe({ route, phase }, timings[phase].ms / 1000);
      }
      phaseSeconds.observe({ route, phase: 'app' }, Math.max(0, total - spent) / 1000);
      dbQueries.observe({ route }, timings.db.count);
    });
    next();
  };
}
