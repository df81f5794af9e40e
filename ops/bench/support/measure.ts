import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { signUpUser, type TestUser } from '../../src/testing/index.js';
import { cpuMsByCommand, cpuMsSince, machineBusyMs } from './cpu-share.js';
import { repoRoot } from './stack.js';

/**
 * Milliseconds on CLOCK_MONOTONIC, which every process on the machine shares: a time taken
 * here and one taken in a generator child process can be subtracted.
 */
export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** Wall-clock milliseconds with sub-millisecond resolution, for comparing with ISO times. */
export const wallMs = (): number => performance.timeOrigin + performance.now();

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

export interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarise(values: number[], digits = 1): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (n: number) => +n.toFixed(digits);
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? NaN),
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  try {
    // Fields after the command name (which may contain spaces): utime and stime are 14 and 15.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

/**
 * Starts counting the CPU the given processes use; `read()` gives each one's share of one
 * core since then, in percent (200 = both cores of this machine).
 */
export function cpuMeter(pids: Record<string, number>) {
  const started = performance.now();
  const before = Object.fromEntries(Object.entries(pids).map(([n, p]) => [n, cpuSeconds(p)]));
  const machineBefore = machineBusyMs();
  const byCommandBefore = new Map(SHARED_COMMANDS.map((c) => [c, cpuMsByCommand(c)]));
  return {
    read(): Record<string, number> {
      const seconds = (performance.now() - started) / 1000;
      const percent = (ms: number) => Math.round(ms / 10 / seconds);
      // What the named processes do not show: the database, Redis, the broker, and the whole
      // machine (200 = both cores busy). By command name, so these hold on a quiet machine only.
      const shared = Object.fromEntries(
        SHARED_COMMANDS.map((c) => [
          `${c} (all)`,
          percent(cpuMsSince(c, byCommandBefore.get(c)!)),
        ]).filter(([, p]) => (p as number) > 0),
      );
      return {
        ...Object.fromEntries(
          Object.entries(pids).map(([name, pid]) => [
            name,
            Math.round(((cpuSeconds(pid) - before[name]!) / seconds) * 100),
          ]),
        ),
        ...shared,
        machine: percent(machineBusyMs() - machineBefore),
      };
    },
  };
}

/** Processes outside the stack's own: PostgreSQL, Redis, and the Dapr lane's Kafka broker (a JVM). */
const SHARED_COMMANDS = ['postgres', 'redis-server', 'java'];

/** The commit measured (`+dirty` when the work tree has uncommitted changes). */
export function commit(): string {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
  try {
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') ? '+dirty' : ''}`;
  } catch {
    return 'unknown';
  }
}

export const machine = () => ({
  cpus: cpus().length,
  loadAverageAtEnd: loadavg().map((l) => +l.toFixed(2)),
});

/**
 * Where results and charts go: ops/bench/results, or BENCH_RESULTS_DIR (`npm run bench` puts
 * its quick runs in results/quick, which git ignores, so they never replace measured ones).
 */
export const resultsDir = (): string =>
  process.env.BENCH_RESULTS_DIR ?? join(repoRoot, 'ops/bench/results');

/** Prints the result and writes it to <results>/<name>.json. */
export function report(name: string, result: object): void {
  const dir = resultsDir();
  mkdirSync(dir, { recursive: true });
  const text = `${JSON.stringify(result, null, 2)}\n`;
  writeFileSync(join(dir, `${name}.json`), text);
  process.stdout.write(text);
}

// node:http with keep-alive: fetch costs several times more CPU per request, and the
// generator shares the two cores with what it measures. Enough sockets that an open loop at
// 500 req/s is not queued in the agent when the server stalls.
const agent = new Agent({ keepAlive: true, maxSockets: 512 });

export function send(
  url: string,
  method: string,
  token: string,
  body?: unknown,
  onSent?: () => void,
): Promise<{ status: number; text: string; serverTiming?: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const req = httpRequest(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          text: Buffer.concat(chunks).toString('utf8'),
          serverTiming: [res.headers['server-timing'] ?? []].flat().join(', ') || undefined,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    onSent?.();
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** `send` that throws unless the answer is 2xx, and parses it. */
export async function call<T>(url: string, method: string, token: string, body?: unknown) {
  const response = await send(url, method, token, body);
  if (response.status < 200 || response.status > 299)
    throw new Error(`${method} ${url}: ${response.status} ${response.text}`);
  return JSON.parse(response.text) as T;
}

/** Signs `count` users up through the api's real auth, a few at a time (hashing is costly). */
export async function signUpUsers(
  apiUrl: string,
  count: number,
  concurrency = 8,
): Promise<TestUser[]> {
  const users: TestUser[] = new Array<TestUser>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        users[i] = await signUpUser(apiUrl, `Bench ${i}`);
      }
    }),
  );
  return users;
}

export const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Open loop: calls `fire(i)` at `rate` per second for `total` calls, never waiting for one. */
export async function openLoop(
  rate: number,
  total: number,
  fire: (i: number) => Promise<void>,
): Promise<{ elapsedSeconds: number }> {
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i += 1) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 1) await delay(wait);
    inflight.push(fire(i));
  }
  await Promise.all(inflight);
  return { elapsedSeconds: (performance.now() - start) / 1000 };
}
