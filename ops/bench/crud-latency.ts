/**
 * Task CRUD latency at a fixed request rate (design budget: p99 < 25 ms at 500 req/s).
 *
 * Open loop: requests are sent on schedule whether or not earlier ones have answered, so a
 * slow server shows up as latency instead of silently lowering the rate. Traffic goes only
 * to the api this script starts on 127.0.0.1; the run is bounded by BENCH_SECONDS.
 *
 *   npx tsx --conditions=source ops/bench/crud-latency.ts        (from the repository root)
 *   BENCH_RATE=500 BENCH_SECONDS=20 BENCH_USERS=20 …
 *   BENCH_API_URL=http://127.0.0.1:3000 …   (an api already running, e.g. under a profiler)
 */
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../src/infra/postgres.js';
import { startApiProcess } from '../src/testing/index.js';
import { machine, openLoop, report, send, signUpUsers, summarise } from './support/measure.js';

const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const USERS = Number(process.env.BENCH_USERS ?? 20);
const WARMUP_SECONDS = 3;

interface Sample {
  op: string;
  ms: number;
  status: number;
}

const summariseSamples = (samples: Sample[]) => ({
  ...summarise(
    samples.map((s) => s.ms),
    2,
  ),
  errors: samples.filter((s) => s.status >= 400 || s.status === 0).length,
});

/** An api of its own on a fresh embedded PostgreSQL, removed afterwards. */
async function startOwnApi() {
  const scratch = mkdtempSync(join(tmpdir(), 'todo-bench-'));
  chmodSync(scratch, 0o755);
  const postgres = await startEmbeddedPostgres({ dataDir: join(scratch, 'pg'), persistent: false });
  const databaseUrl = await postgres.createDatabase('bench');
  const api = await startApiProcess({
    databaseUrl,
    env: { RATE_LIMIT_PER_MINUTE: '1000000', LOG_LEVEL: 'warn' },
  });
  return {
    baseUrl: api.baseUrl,
    async stop() {
      await api.stop();
      await postgres.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

async function main() {
  const given = process.env.BENCH_API_URL;
  const api = given ? { baseUrl: given, stop: async () => {} } : await startOwnApi();
  try {
    const users = await signUpUsers(api.baseUrl, USERS);
    const taskIds: string[][] = users.map(() => []);
    const samples: Sample[] = [];

    async function one(i: number, record: boolean) {
      const u = i % USERS;
      const user = users[u]!;
      const ids = taskIds[u]!;
      const roll = i % 10;
      let op: string;
      let started = 0;
      const go = (method: string, path: string, body?: unknown) =>
        send(`${api.baseUrl}${path}`, method, user.token, body, () => {
          started = performance.now();
        });
      let request: Promise<{ status: number; text: string }>;
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
      try {
        const response = await request;
        status = response.status;
        if (op === 'create' && status === 201)
          ids.push((JSON.parse(response.text) as { id: string }).id);
      } catch {
        status = 0;
      }
      if (record) samples.push({ op, ms: performance.now() - started, status });
    }

    const total = (WARMUP_SECONDS + SECONDS) * RATE;
    const { elapsedSeconds } = await openLoop(RATE, total, (i) =>
      one(i, i >= WARMUP_SECONDS * RATE),
    );

    const byOp = Object.fromEntries(
      ['create', 'read', 'update', 'list'].map((op) => [
        op,
        summariseSamples(samples.filter((s) => s.op === op)),
      ]),
    );
    const overall = summariseSamples(samples);
    report('crud-latency', {
      benchmark: 'task CRUD latency (open loop)',
      date: new Date().toISOString(),
      machine: machine(),
      targetRatePerSecond: RATE,
      achievedRatePerSecond: +(total / elapsedSeconds).toFixed(1),
      seconds: SECONDS,
      users: USERS,
      overall,
      byOp,
      budget: { p99Ms: 25, met: overall.p99 < 25 },
    });
  } finally {
    await api.stop();
  }
}

await main();
