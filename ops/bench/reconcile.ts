/**
 * Cost of the workers' schedule reconciler (ADR 100): BENCH_TASKS tasks with future reminders
 * are written straight into PostgreSQL, bypassing the outbox — exactly what the database holds
 * after Redis lost every job. Measured from the workers' metrics: the pass that finds and
 * rebuilds them all (drift = BENCH_TASKS), then a pass with nothing to do (the steady state,
 * what every interval costs).
 *
 *   npx tsx --conditions=source ops/bench/reconcile.ts        (from the repository root)
 *   BENCH_TASKS=100000 …
 */
import pg from 'pg';
import { commit, machine, report } from './support/measure.js';
import { benchKnobs } from './support/knobs.js';
import { startBenchStack } from './support/stack.js';

const { BENCH_TASKS: TASKS, BENCH_RECONCILE_INTERVAL_MS: INTERVAL_MS } = benchKnobs({
  BENCH_TASKS: 20_000,
  BENCH_RECONCILE_INTERVAL_MS: 10_000,
});

const sample = async (workersUrl: string, name: string): Promise<number> => {
  const response = await fetch(`${workersUrl}/metrics`).catch((error: unknown) => {
    // Say whether the workers died (their log is above) or something else refused.
    const pid = stack.pids.workers ?? 0;
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch {
      alive = false;
    }
    throw new Error(
      `workers' /metrics unreachable (${String(error)}); workers pid ${pid} ${alive ? 'still runs' : 'has exited'}`,
    );
  });
  const text = await response.text();
  const found = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text);
  return found ? Number(found[1]) : 0;
};

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const stack = await startBenchStack({
  workersEnv: { RECONCILE_INTERVAL_MS: String(INTERVAL_MS) },
});
try {
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  // 100 users (each with the Inbox every task needs, migration 016), reminders spread over
  // the next days (offset 0: at the due date).
  await db.query(
    `INSERT INTO "user" (id, name, email, "emailVerified", "createdAt", "updatedAt")
     SELECT 'bench-user-' || g, 'Bench ' || g, 'bench-' || g || '@example.com', true, now(), now()
     FROM generate_series(0, 99) g`,
  );
  await db.query(
    `INSERT INTO lists (id, user_id, name, is_inbox)
     SELECT gen_random_uuid(), 'bench-user-' || g, 'Inbox', true FROM generate_series(0, 99) g`,
  );
  await db.query(
    `INSERT INTO tasks (id, user_id, list_id, title, due_date, reminder_offset, created_at, updated_at)
     SELECT gen_random_uuid(), l.user_id, l.id, 'reconcile ' || g,
            now() + interval '1 hour' + g * interval '10 seconds', 0, now(), now()
     FROM generate_series(1, $1::int) g
     JOIN lists l ON l.user_id = 'bench-user-' || (g % 100) AND l.is_inbox`,
    [TASKS],
  );
  await db.query('ANALYZE tasks');
  await db.end();
  const metrics = (name: string) => sample(stack.workersUrl, name);
  const runs = await metrics('reconcile_pass_seconds_count');
  const sum = await metrics('reconcile_pass_seconds_sum');
  await waitUntil(
    'the pass that rebuilds every job',
    async () => (await metrics('reconcile_jobs_rebuilt_total')) >= TASKS,
    INTERVAL_MS + 600_000,
  );
  await waitUntil(
    'its end',
    async () => (await metrics('reconcile_pass_seconds_count')) > runs,
    60_000,
  );
  const driftPass = (await metrics('reconcile_pass_seconds_sum')) - sum;
  const runs2 = await metrics('reconcile_pass_seconds_count');
  const sum2 = await metrics('reconcile_pass_seconds_sum');
  await waitUntil(
    'a pass with nothing to do',
    async () => (await metrics('reconcile_pass_seconds_count')) > runs2,
    INTERVAL_MS * 3,
  );
  const inSyncPass = (await metrics('reconcile_pass_seconds_sum')) - sum2;
  report('reconcile', {
    tasks: TASKS,
    drift: await metrics('reconcile_drift_total'),
    rebuilt: await metrics('reconcile_jobs_rebuilt_total'),
    driftPassSeconds: +driftPass.toFixed(3),
    rebuiltPerSecond: Math.round(TASKS / driftPass),
    inSyncPassSeconds: +inSyncPass.toFixed(3),
    inSyncRowsPerSecond: Math.round(TASKS / inSyncPass),
    intervalMs: INTERVAL_MS,
    commit: commit(),
    machine: machine(),
  });
} finally {
  await stack.stop();
}
