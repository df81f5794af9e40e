/**
 * `npm run bench`: the quick version of every benchmark, one after another (each starts and
 * stops its own stack), in under two minutes on an idle 2-core machine. Results and charts go
 * to ops/bench/results/quick (ignored by git): quick runs are a smoke test of the benchmarks
 * and a first look, never the numbers the README cites. Exits 1 if any benchmark failed (a
 * lost delivery, a failed write, a crash). `npm run bench` holds the benchmark lock.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './support/stack.js';

const quick: { script: string; env: Record<string, string> }[] = [
  {
    script: 'crud-latency.ts',
    // The sources through tsx: a quick run skips the build the cited runs measure.
    env: {
      BENCH_RATE: '300',
      BENCH_SECONDS: '5',
      BENCH_WARMUP_SECONDS: '1',
      BENCH_USERS: '10',
      BENCH_API_BUILD: 'source',
    },
  },
  {
    script: 'realtime-fanout.ts',
    // Lists shared by 3 members: each write must reach 24 tabs of 3 users. Sign-ups dominate
    // the set-up (two password hashes each), so few users with many tabs.
    env: {
      BENCH_SOCKETS: '240',
      BENCH_TABS: '8',
      BENCH_SHARED: '3',
      BENCH_RATE: '50',
      BENCH_SECONDS: '8',
    },
  },
  {
    script: 'scheduling.ts',
    env: {
      BENCH_USERS: '5',
      BENCH_COMPLETIONS: '20',
      BENCH_RATE: '10',
      BENCH_REMINDERS: '20',
      BENCH_BATCHES: '2',
      BENCH_BATCH_USERS: '2',
      BENCH_FIRST_REMINDER_SECONDS: '6',
      BENCH_REMINDER_SPREAD_SECONDS: '4',
    },
  },
  { script: 'reconcile.ts', env: { BENCH_TASKS: '2000', BENCH_RECONCILE_INTERVAL_MS: '3000' } },
  // The Dapr + Kafka lane only with BENCH_QUICK_DAPR=1: starting the JVM broker, four apps
  // and their sidecars alone took 130 s at load average 20 on this machine, which would break
  // the two minutes; the phases themselves take about 20 s at this size.
  ...(process.env.BENCH_QUICK_DAPR !== '1'
    ? []
    : [
        {
          script: 'dapr-lane.ts',
          env: {
            BENCH_DAPR_RATES: '20',
            BENCH_SECONDS: '3',
            BENCH_USERS: '5',
            BENCH_COMPLETIONS: '10',
            BENCH_COMPLETION_RATE: '5',
            BENCH_RAW_EVENTS: '2000',
          },
        },
      ]),
];

const started = performance.now();
const outcomes: string[] = [];
for (const { script, env } of quick) {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', join(repoRoot, 'ops/bench', script)],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        ...env,
        BENCH_RESULTS_DIR: join(repoRoot, 'ops/bench/results/quick'),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const [code] = (await once(child, 'exit')) as [number | null];
  outcomes.push(
    `${code === 0 ? 'ok  ' : 'FAIL'} ${script} (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
  );
  if (code !== 0) process.exitCode = 1;
}
const total = (performance.now() - started) / 1000;
process.stdout.write(
  `${outcomes.join('\n')}\nall in ${total.toFixed(0)} s (goal: under 120 s; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}); results and charts in ops/bench/results/quick\n`,
);
