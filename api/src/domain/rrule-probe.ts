import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** rrule's CommonJS build, resolved here so the probe thread loads the same copy. */
const RRULE_PATH = createRequire(import.meta.url).resolve('rrule');

/**
 * Runs in a worker thread: the first date the rule yields after `start`, or null. Plain
 * CommonJS so the same text works under tsx in development and from the compiled build.
 */
const PROBE_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { RRule } = require(workerData.rrulePath);
const options = RRule.parseString(workerData.rule);
const start = new Date(workerData.start);
const next = new RRule({ ...options, dtstart: start, count: null, until: null }).after(start);
parentPort.postMessage(next ? next.toISOString() : null);
`;

/**
 * At most one probe per core runs at once; the rest wait their turn. A client sending many
 * hopeless rules at once then costs queue time, not a thread (and 64 MB) per request.
 */
const MAX_RUNNING = availableParallelism();
let running = 0;
const waiting: (() => void)[] = [];

async function withProbeSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_RUNNING) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

export type ProbeResult = { kind: 'yields'; next: Date } | { kind: 'never' } | { kind: 'too-slow' };

/**
 * Whether a custom rule ever yields a date. rrule walks period by period until year 9999
 * when no day passes its BY* filters (`FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30` took 50 s of the
 * api's only thread), and its `until` does not stop that walk. So the walk runs on a worker
 * thread that is terminated when it outlives its budget: a rule that needs longer than that
 * to find its next date is refused, and the event loop never waits on it.
 */
export async function probeRrule(
  rule: string,
  start: Date,
  budgetMs = 2_000,
): Promise<ProbeResult> {
  return withProbeSlot(() => runProbe(rule, start, budgetMs));
}

async function runProbe(rule: string, start: Date, budgetMs: number): Promise<ProbeResult> {
  const worker = new Worker(PROBE_SOURCE, {
    eval: true,
    workerData: { rrulePath: RRULE_PATH, rule, start: start.toISOString() },
    // The probe needs no more than rrule's tables; a small heap caps a pathological rule.
    resourceLimits: { maxOldGenerationSizeMb: 64 },
  });
  try {
    return await new Promise<ProbeResult>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      // The budget counts from the thread's start, so a busy host's slow spawn is not charged.
      worker.once('online', () => {
        timer = setTimeout(() => resolve({ kind: 'too-slow' }), budgetMs);
      });
      worker.once('message', (next: string | null) => {
        clearTimeout(timer);
        resolve(next ? { kind: 'yields', next: new Date(next) } : { kind: 'never' });
      });
      worker.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  } finally {
    await worker.terminate();
  }
}
