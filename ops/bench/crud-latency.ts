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
import { mkdtempSync, chmodSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres } from '../src/infra/postgres.js';
import { signUpUser, startApiProcess } from '../src/testing/index.js';

const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const USERS = Number(process.env.BENCH_USERS ?? 20);
const WARMUP_SECONDS = 3;

// node:http with keep-alive: fetch costs several times more CPU per request, and the load
// generator shares the two cores with what it measures.
const agent = new Agent({ keepAlive: true, maxSockets: 512 });

function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Sample {
  op: string;
  ms: number;
  status: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

function summarise(samples: Sample[]) {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    count: samples.length,
    errors: samples.filter((s) => s.status >= 400 || s.status === 0).length,
    p50: +percentile(ms, 50).toFixed(2),
    p95: +percentile(ms, 95).toFixed(2),
    p99: +percentile(ms, 99).toFixed(2),
    max: +(ms.at(-1) ?? NaN).toFixed(2),
  };
}

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
    const users = await Promise.all(
      Array.from({ length: USERS }, (_, i) => signUpUser(api.baseUrl, `Bench ${i}`)),
    );
    const taskIds: string[][] = users.map(() => []);
    const samples: Sample[] = [];

    async function one(i: number, record: boolean) {
      const u = i % USERS;
      const user = users[u]!;
      const ids = taskIds[u]!;
      const headers = { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' };
      const roll = i % 10;
      let op: string;
      let started = 0;
      const go = (method: string, path: string, body?: unknown) => {
        started = performance.now();
        return send(
          `${api.baseUrl}${path}`,
          method,
          headers,
          body === undefined ? undefined : JSON.stringify(body),
        );
      };
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
    const start = performance.now();
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < total; i += 1) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      inflight.push(one(i, i >= WARMUP_SECONDS * RATE));
    }
    await Promise.all(inflight);
    const elapsed = (performance.now() - start) / 1000;

    const byOp = Object.fromEntries(
      ['create', 'read', 'update', 'list'].map((op) => [
        op,
        summarise(samples.filter((s) => s.op === op)),
      ]),
    );
    const result = {
      benchmark: 'task CRUD latency (open loop)',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, loadAverageAtEnd: loadavg().map((l) => +l.toFixed(2)) },
      targetRatePerSecond: RATE,
      achievedRatePerSecond: +(total / elapsed).toFixed(1),
      seconds: SECONDS,
      users: USERS,
      overall: summarise(samples),
      byOp,
      budget: { p99Ms: 25, met: summarise(samples).p99 < 25 },
    };
    const root = resolve(fileURLToPath(import.meta.url), '../../..');
    mkdirSync(join(root, 'ops/bench/results'), { recursive: true });
    writeFileSync(
      join(root, 'ops/bench/results/crud-latency.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await api.stop();
  }
}

await main();
