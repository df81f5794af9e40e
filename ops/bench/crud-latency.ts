/**
 * Task CRUD latency at a fixed request rate (design budget: p99 < 25 ms at 500 req/s), next
 * to two floors measured in the same run, with the same generator and rate: an Express 5
 * route answering a constant, and a bare `pg` insert + select on the same PostgreSQL.
 *
 * Open loop: requests are sent on schedule whether or not earlier ones have answered, so a
 * slow server shows up as latency instead of silently lowering the rate. Traffic goes only
 * to what this script starts on 127.0.0.1; each phase is bounded by BENCH_SECONDS.
 *
 * Where a slow request went: the api's `Server-Timing` header (auth, validation, db,
 * serialization, app), the api's event-loop delay and GC pauses per second (`loop-probe.mjs`),
 * PostgreSQL's `pg_stat_statements` and its log of slow statements, checkpoints and
 * autovacuum, all lined up per second of the run.
 *
 *   npx tsx --conditions=source ops/bench/crud-latency.ts        (from the repository root)
 *   BENCH_RATE=500 BENCH_SECONDS=20 BENCH_USERS=20 BENCH_FLOORS=0 …
 *   BENCH_API_URL=http://127.0.0.1:3000 …   (an api already running: no floors, no probes)
 *   BENCH_API_REPLICAS=2 …   (two api processes, requests spread over them in turn)
 *   BENCH_API_BUILD=built|source …   (the build as it is, unbuilt; or the TypeScript via tsx)
 *   BENCH_CPU_PROF=/tmp/prof …   (a V8 CPU profile of each api process)
 *   ops/bench/priority.sh env BENCH_RATE=500 …   (beside other work: see priority.sh)
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request as httpRequest } from 'node:http';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/infra/postgres.js';
import { freePort } from '../src/infra/ports.js';
import { startApiProcess } from '../src/testing/index.js';
import { crudCharts } from './support/charts.js';
import { cpuShare } from './support/cpu-share.js';
import {
  diagnosticSettings,
  explainSettings,
  parseServerTiming,
  postgresEvents,
  mergeProbes,
  readProbe,
  selfProbe,
  statementStats,
  type PostgresEvent,
  type ProbeSecond,
} from './support/diagnostics.js';
import {
  commit,
  machine,
  openLoop,
  report,
  send,
  signUpUsers,
  summarise,
} from './support/measure.js';
import { benchKnobs } from './support/knobs.js';
import { repoRoot } from './support/stack.js';

const {
  BENCH_RATE: RATE,
  BENCH_SECONDS: SECONDS,
  BENCH_USERS: USERS,
  // Load before samples count (JIT, pools, caches); quick runs take 1 s.
  BENCH_WARMUP_SECONDS: WARMUP_SECONDS,
  // api processes behind the generator, which spreads requests over them in turn as a load
  // balancer does. One Node process runs JavaScript on one core; production runs two or more
  // replicas (helm `api.replicas`).
  BENCH_API_REPLICAS: REPLICAS,
} = benchKnobs({
  BENCH_RATE: 500,
  BENCH_SECONDS: 20,
  BENCH_USERS: 20,
  BENCH_WARMUP_SECONDS: 3,
  BENCH_API_REPLICAS: 1,
});
const FLOORS = process.env.BENCH_FLOORS !== '0';
const NAME = process.env.BENCH_NAME ?? 'crud-latency';
/**
 * `dist` (default): the api as it ships, built first (`lerna run build`, about 40 s of CPU);
 * `built`: the existing build as it is (consecutive runs of one commit build once);
 * `source`: the TypeScript through tsx, as tests run it (quick runs: no build, slower start).
 */
const API_BUILD =
  (['source', 'built'] as const).find((b) => b === process.env.BENCH_API_BUILD) ?? 'dist';
/**
 * BENCH_EXPLAIN=<file>: PostgreSQL's plan, with timings and buffers, of one statement in
 * twenty (auto_explain), written to <file>: where a statement's time goes inside the server.
 */
const EXPLAIN = process.env.BENCH_EXPLAIN;

interface Sample {
  op: string;
  /** performance.now() when the request was handed to the socket. */
  at: number;
  ms: number;
  status: number;
  timing: Record<string, number> | null;
}

const summariseSamples = (samples: Sample[]) => ({
  ...summarise(
    samples.map((s) => s.ms),
    2,
  ),
  errors: samples.filter((s) => s.status >= 400 || s.status === 0).length,
});

/** Runs `one` open loop at RATE for warm-up + SECONDS; the samples after the warm-up. */
async function measure(
  one: (i: number) => Promise<Omit<Sample, 'at' | 'ms'> & { ms: number; at: number }>,
) {
  const samples: Sample[] = [];
  const total = (WARMUP_SECONDS + SECONDS) * RATE;
  const { elapsedSeconds } = await openLoop(RATE, total, async (i) => {
    const sample = await one(i);
    if (i >= WARMUP_SECONDS * RATE) samples.push(sample);
  });
  return { samples, achievedRatePerSecond: +(total / elapsedSeconds).toFixed(1) };
}

const agent = new Agent({ keepAlive: true, maxSockets: 512 });
function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Floor 1: Express 5 answering a constant, in a process of its own like the api. */
async function expressFloor() {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', join(repoRoot, 'ops/bench/support/floor-server.ts')],
    { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await once(child.stdout!, 'data');
  const cpu = cpuShare(child.pid);
  try {
    const run = await measure(async () => {
      const at = performance.now();
      let status = 0;
      try {
        status = await get(`http://127.0.0.1:${port}/constant`);
      } catch {
        status = 0;
      }
      return {
        op: 'constant',
        at,
        ms: performance.now() - at,
        status,
        timing: null,
      };
    });
    return { ...run, cpuPerRequest: cpu.read((WARMUP_SECONDS + SECONDS) * RATE) };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

/** Floor 2: one insert and one select by id, each its own statement, on a pool of 20. */
async function pgFloor(databaseUrl: string) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 20 });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS floor_items (id bigserial PRIMARY KEY, title text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())',
  );
  try {
    return await measure(async (i) => {
      const at = performance.now();
      let status = 200;
      try {
        const { rows } = await pool.query<{ id: string }>(
          'INSERT INTO floor_items (title) VALUES ($1) RETURNING id',
          [`Task ${i}`],
        );
        await pool.query('SELECT id, title, created_at FROM floor_items WHERE id = $1', [
          rows[0]!.id,
        ]);
      } catch {
        status = 0;
      }
      return { op: 'insert+select', at, ms: performance.now() - at, status, timing: null };
    });
  } finally {
    await pool.end();
  }
}

/** Builds the api and what it imports, so the benchmark measures today's code as it ships. */
function buildApi(): void {
  const build = spawnSync(
    'npx',
    ['lerna', 'run', 'build', '--scope', '@todo/api', '--include-dependencies'],
    { cwd: repoRoot, stdio: ['ignore', process.stderr, process.stderr] },
  );
  if (build.status !== 0) throw new Error('building the api failed (see above)');
}

/** The api's mix: 40% create, 30% read, 20% update, 10% list. */
async function apiRun(baseUrls: string[], onMeasuring: () => Promise<void>) {
  const users = await signUpUsers(baseUrls[0]!, USERS);
  const taskIds: string[][] = users.map(() => []);
  await onMeasuring();
  return measure(async (i) => {
    const u = i % USERS;
    const user = users[u]!;
    const ids = taskIds[u]!;
    const roll = i % 10;
    let op: string;
    let at = 0;
    const baseUrl = baseUrls[i % baseUrls.length]!;
    const go = (method: string, path: string, body?: unknown) =>
      send(`${baseUrl}${path}`, method, user.token, body, () => {
        at = performance.now();
      });
    let request: ReturnType<typeof send>;
    if (roll < 4 || ids.length === 0) {
      op = 'create';
      request = go('POST', '/api/v1/tasks', {
        title: `Task ${i}`,
        dueDate: new Date(Date.now() + 86_400_000).toISOString(),
        tags: ['bench'],
      });
    } else if (roll < 7) {
      op = 'read';
      request = go('GET', `/api/v1/tasks/${ids[i % ids.length]}`);
    } else if (roll < 9) {
      op = 'update';
      request = go('PATCH', `/api/v1/tasks/${ids[i % ids.length]}`, {
        priority: i % 2 ? 'high' : 'low',
      });
    } else {
      op = 'list';
      request = go('GET', '/api/v1/tasks?limit=20&sort=dueDate');
    }
    let status = 0;
    let timing: Record<string, number> | null = null;
    try {
      const response = await request;
      status = response.status;
      timing = parseServerTiming(response.serverTiming);
      if (op === 'create' && status === 201)
        ids.push((JSON.parse(response.text) as { id: string }).id);
    } catch {
      status = 0;
    }
    return { op, at, ms: performance.now() - at, status, timing };
  });
}

const mean = (values: number[]) =>
  values.length ? +(values.reduce((a, b) => a + b, 0) / values.length).toFixed(2) : null;

/** Mean phase times of `samples`, and what the server did not see (queueing, network). */
function phases(samples: Sample[]) {
  const timed = samples.filter((s) => s.timing);
  const of = (k: string) => mean(timed.map((s) => s.timing![k] ?? 0));
  return {
    count: timed.length,
    clientMs: mean(timed.map((s) => s.ms)),
    serverTotalMs: of('total'),
    outsideHandlerMs: mean(timed.map((s) => s.ms - (s.timing!.total ?? 0))),
    authMs: of('auth'),
    validationMs: of('validation'),
    lockMs: of('lock'),
    poolMs: of('pool'),
    dbMs: of('db'),
    dbQueries: of('dbQueries'),
    serializationMs: of('serialization'),
    appMs: of('app'),
  };
}

/** Per second of the measured window: requests, their p99 and max, the api's loop and GC, PostgreSQL's events. */
function timeline(
  samples: Sample[],
  wallAtStart: number,
  probe: ProbeSecond[],
  events: PostgresEvent[],
) {
  const start = Math.min(...samples.map((s) => s.at));
  const seconds = new Map<number, number[]>();
  for (const s of samples) {
    const k = Math.floor((s.at - start) / 1000);
    seconds.set(k, [...(seconds.get(k) ?? []), s.ms]);
  }
  const startWall = wallAtStart;
  return [...seconds.entries()]
    .sort(([a], [b]) => a - b)
    .map(([second, values]) => {
      const from = startWall + second * 1000;
      const p = probe.find((x) => x.at > from && x.at <= from + 1000);
      const s = summarise(values, 1);
      return {
        second,
        requests: s.count,
        p50: s.p50,
        p99: s.p99,
        max: s.max,
        apiLoopMaxMs: p?.loopMaxMs ?? null,
        apiGcMs: p?.gcMs ?? null,
        apiGcMaxMs: p?.gcMaxMs ?? null,
        postgres: events
          .filter((e) => e.at >= from - 500 && e.at < from + 1000 && e.kind !== 'other')
          .map((e) => `${e.kind}: ${e.text.slice(0, 120)}`),
      };
    });
}

async function main() {
  const given = process.env.BENCH_API_URL;
  const scratch = mkdtempSync(join(tmpdir(), 'todo-bench-'));
  chmodSync(scratch, 0o755);
  const logLines: string[] = [];
  const postgres = given
    ? null
    : await startEmbeddedPostgres({
        dataDir: join(scratch, 'pg'),
        persistent: false,
        settings: EXPLAIN ? { ...diagnosticSettings, ...explainSettings } : diagnosticSettings,
        onLog: (line) => logLines.push(line),
      });
  const probeFile = join(scratch, 'api-probe.jsonl');
  try {
    const databaseUrl = postgres ? await postgres.createDatabase('bench') : null;
    const floors: Record<
      string,
      ReturnType<typeof summariseSamples> & {
        achievedRatePerSecond: number;
        cpuPerRequest: ReturnType<ReturnType<typeof cpuShare>['read']>;
      }
    > = {};
    if (FLOORS && databaseUrl) {
      const e = await expressFloor();
      floors.express = {
        ...summariseSamples(e.samples),
        achievedRatePerSecond: e.achievedRatePerSecond,
        cpuPerRequest: e.cpuPerRequest,
      };
      const cpu = cpuShare();
      const p = await pgFloor(databaseUrl);
      floors.pg = {
        ...summariseSamples(p.samples),
        achievedRatePerSecond: p.achievedRatePerSecond,
        cpuPerRequest: cpu.read((WARMUP_SECONDS + SECONDS) * RATE),
      };
    }

    // Replicas share one public URL, as behind a load balancer: it is the issuer and audience
    // of the tokens any of them hands out.
    if (!given && API_BUILD === 'dist') buildApi();
    const startReplica = (n: number, publicUrl?: string) =>
      startApiProcess({
        databaseUrl: databaseUrl!,
        env: {
          RATE_LIMIT_PER_MINUTE: '1000000',
          LOG_LEVEL: 'warn',
          BENCH_PROBE_FILE: `${probeFile}.${n}`,
          ...(publicUrl ? { BETTER_AUTH_URL: publicUrl } : {}),
        },
        compiled: API_BUILD !== 'source',
        execArgv: [
          '--import',
          join(repoRoot, 'ops/bench/support/loop-probe.mjs'),
          // BENCH_CPU_PROF=<dir>: a V8 CPU profile of the api (open it in Chrome DevTools).
          ...(process.env.BENCH_CPU_PROF
            ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
            : []),
        ],
      });
    const apis = given ? [{ baseUrl: given, stop: async () => {} }] : [await startReplica(0)];
    for (let n = 1; n < (given ? 1 : REPLICAS); n++)
      apis.push(await startReplica(n, apis[0]!.baseUrl));
    const stats = databaseUrl ? await statementStats(databaseUrl) : null;
    let wallAtStart = 0;
    const cpu: { share?: ReturnType<typeof cpuShare> } = {};
    const self = selfProbe();
    try {
      const run = await apiRun(
        apis.map((a) => a.baseUrl),
        async () => {
          await stats?.reset();
          wallAtStart = Date.now() + WARMUP_SECONDS * 1000;
          cpu.share = cpuShare();
        },
      );
      const { samples } = run;
      // Warm-up included: the whole run's requests over the whole run's CPU.
      const cpuPerRequest = cpu.share?.read((WARMUP_SECONDS + SECONDS) * RATE) ?? null;
      const generator = self.read();
      const overall = summariseSamples(samples);
      const byOp = Object.fromEntries(
        ['create', 'read', 'update', 'list'].map((op) => [
          op,
          {
            ...summariseSamples(samples.filter((s) => s.op === op)),
            phases: phases(samples.filter((s) => s.op === op)),
          },
        ]),
      );
      const sorted = [...samples].sort((a, b) => a.ms - b.ms);
      const tail = sorted.slice(Math.floor(sorted.length * 0.99));
      const probe = mergeProbes(
        apis.map((_, n) => readProbe(`${probeFile}.${n}`).filter((p) => p.at > wallAtStart)),
      );
      const events = postgresEvents(logLines).filter(
        // Autovacuum of other databases (template1's catalogue after initdb) is not ours.
        (e) => e.at > wallAtStart - 1000 && (e.kind !== 'autovacuum' || e.text.includes('"bench.')),
      );
      const seconds = timeline(samples, wallAtStart, probe, events);
      const ratio = (floor: { p50: number; p99: number } | undefined) =>
        floor
          ? {
              p50: +(overall.p50 / floor.p50).toFixed(1),
              p99: +(overall.p99 / floor.p99).toFixed(1),
            }
          : null;
      const result = {
        benchmark: 'task CRUD latency (open loop), with its floors',
        date: new Date().toISOString(),
        commit: commit(),
        machine: machine(),
        targetRatePerSecond: RATE,
        achievedRatePerSecond: run.achievedRatePerSecond,
        seconds: SECONDS,
        users: USERS,
        apiReplicas: apis.length,
        overall,
        byOp,
        floors,
        ratioToFloor: { express: ratio(floors.express), pg: ratio(floors.pg) },
        whereTheTimeWent: { all: phases(samples), slowestPercent: phases(tail) },
        api: {
          loopMaxMs: Math.max(0, ...probe.map((p) => p.loopMaxMs)),
          loopP99MsWorstSecond: Math.max(0, ...probe.map((p) => p.loopP99Ms)),
          gcPauses: probe.reduce((a, p) => a + p.gcCount, 0),
          gcMs: +probe.reduce((a, p) => a + p.gcMs, 0).toFixed(1),
          gcMaxMs: Math.max(0, ...probe.map((p) => p.gcMaxMs)),
          gcMajor: probe.reduce((a, p) => a + p.gcMajor, 0),
          // CPU per request answered: what decides the rate one api process can sustain.
          cpuMsPerRequest: +(
            probe.reduce((a, p) => a + p.cpuMs, 0) /
            Math.max(1, run.achievedRatePerSecond * probe.length)
          ).toFixed(3),
        },
        cpuPerRequest,
        generator,
        postgres: {
          events: {
            slowStatements: events.filter((e) => e.kind === 'slow statement').length,
            checkpoints: events.filter((e) => e.kind === 'checkpoint').map((e) => e.text),
            autovacuum: events
              .filter((e) => e.kind === 'autovacuum')
              .map((e) => e.text.slice(0, 100)),
          },
          topStatements: (await stats?.top()) ?? null,
        },
        worstSeconds: [...seconds].sort((a, b) => b.max - a.max).slice(0, 5),
        timeline: seconds,
        budget: { p99Ms: 25, met: overall.p99 < 25 },
      };
      report(NAME, result);
      await crudCharts(NAME, result, result.commit);
    } finally {
      await stats?.close();
      await Promise.all(apis.map((a) => a.stop()));
    }
  } finally {
    await postgres?.stop();
    if (EXPLAIN) writeFileSync(EXPLAIN, logLines.join('\n'));
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
