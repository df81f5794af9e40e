/**
 * The production event path under load (issue 17 item 4): api → daprd → Kafka → daprd →
 * workers and two socket nodes (ops/e2e-dapr's stack: the same broker, sidecars and component
 * files, started by its `startStack`). Three phases, one stack:
 *
 * (a) change → every tab: BENCH_USERS users with BENCH_TABS sockets each (alternating nodes);
 *     REST title changes at each rate of BENCH_DAPR_RATES (writes/s, open loop) for
 *     BENCH_SECONDS. Latency = arrival on a socket − the PATCH being sent (CLOCK_MONOTONIC);
 *     per write the last tab. Budget: p99 < 300 ms at 100 writes/s.
 * (b) completion → next instance: BENCH_COMPLETIONS daily tasks completed at
 *     BENCH_COMPLETION_RATE per second; latency to the next instance's `task_update`.
 * (c) raw outbox → BullMQ: BENCH_RAW_EVENTS `task-events` rows written straight into the
 *     outbox (copies of a real one, new event and task ids); the relay publishes them
 *     through daprd and Kafka to the workers' bridge, which enqueues them in BullMQ.
 *     Throughput = the bridge's SUCCESS answers per second (workers' /metrics, sampled every
 *     500 ms). Budget ≥ 2,000/s.
 *
 * Every daprd's CPU share (from /proc/<pid>/stat) is reported per phase next to the apps'.
 * A missing delivery fails the run (exit 1).
 *
 *   flock /tmp/todo-bench.lock npx tsx --conditions=source ops/bench/dapr-lane.ts
 *   DAPRD_BIN=… BENCH_DAPR_RATES=20 BENCH_SECONDS=5 BENCH_RAW_EVENTS=2000 …   (quick)
 * DAPRD_BIN defaults to the binary ops/daprd/build.sh builds or finds in its cache.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, Task } from '@todo/contracts';
import { repoRoot, startStack, type Stack } from '../e2e-dapr/stack.js';
import { latencyCdfChart, writeChart } from './support/charts.js';
import { benchKnobs } from './support/knobs.js';
import {
  call,
  commit,
  cpuMeter,
  machine,
  monotonicMs,
  openLoop,
  report,
  send,
  signUpUsers,
  summarise,
} from './support/measure.js';
import type { TestUser } from '../src/testing/index.js';
import { RELAXED_AUTH_LIMITS } from '../src/testing/users.js';

const {
  BENCH_DAPR_RATES: RATES,
  BENCH_SECONDS: SECONDS,
  BENCH_USERS: USERS,
  BENCH_TABS: TABS,
  BENCH_COMPLETIONS: COMPLETIONS,
  BENCH_COMPLETION_RATE: COMPLETION_RATE,
  BENCH_RAW_EVENTS: RAW_EVENTS,
} = benchKnobs({
  BENCH_DAPR_RATES: [100, 300],
  BENCH_SECONDS: 20,
  BENCH_USERS: 50,
  BENCH_TABS: 2,
  BENCH_COMPLETIONS: 200,
  BENCH_COMPLETION_RATE: 20,
  BENCH_RAW_EVENTS: 30_000,
});
const DRAIN_TIMEOUT_MS = 30_000;

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Arrival = (message: Parameters<ServerToClientEvents['task_update']>[0], at: number) => void;

function daprdBinary(): string {
  if (process.env.DAPRD_BIN) return process.env.DAPRD_BIN;
  const out = execFileSync('bash', [join(repoRoot, 'ops/daprd/build.sh')], { encoding: 'utf8' });
  return out.trim().split('\n').at(-1)!;
}

function connect(url: string, token: string, onUpdate: Arrival): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    const socket: ClientSocket = io(url, {
      transports: ['websocket'],
      auth: { token },
      forceNew: true,
      reconnection: false,
    });
    socket.on('task_update', (message) => onUpdate(message, monotonicMs()));
    socket.once('connection_ack', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Resolves when `done()` holds (checked on each call of the returned `check`) or times out. */
function until(done: () => boolean, timeoutMs: number) {
  let resolve!: () => void;
  const settled = new Promise<void>((r) => (resolve = r));
  const timer = setTimeout(resolve, timeoutMs);
  return {
    check: () => {
      if (done()) {
        clearTimeout(timer);
        resolve();
      }
    },
    settled,
  };
}

/** Phase (a) at one rate: every write must reach every tab of its user. */
async function changeToEveryTab(stack: Stack, users: TestUser[], tasks: string[], rate: number) {
  const sentAt: number[] = [];
  const writer: number[] = [];
  const arrivals = new Map<number, number[]>();
  let received = 0;
  let expected = 0;
  let foreign = 0;
  const waiter = { check: () => {} };
  const sockets: ClientSocket[] = [];
  for (const [u, user] of users.entries())
    for (let tab = 0; tab < TABS; tab += 1)
      sockets.push(
        await connect(stack.socketNodes[tab % 2]!.url, user.token, (message, at) => {
          if (message.task.userId !== user.userId) foreign += 1;
          const title = message.task.title;
          if (!title.startsWith(`r${rate}w`)) return;
          const id = Number(title.slice(`r${rate}w`.length));
          if (writer[id] !== u) foreign += 1;
          (arrivals.get(id) ?? arrivals.set(id, []).get(id)!).push(at);
          received += 1;
          waiter.check();
        }),
      );
  const meter = cpuMeter(pidsOf(stack));
  const total = rate * SECONDS;
  let failed = 0;
  const { elapsedSeconds } = await openLoop(rate, total, async (i) => {
    const u = i % users.length;
    writer[i] = u;
    const response = await send(
      `${stack.apiUrl}/api/v1/tasks/${tasks[u]}`,
      'PATCH',
      users[u]!.token,
      { title: `r${rate}w${i}` },
      () => (sentAt[i] = monotonicMs()),
    ).catch(() => ({ status: 0 }));
    if (response.status >= 200 && response.status < 300) expected += TABS;
    else failed += 1;
  });
  const drained = until(() => received >= expected, DRAIN_TIMEOUT_MS);
  Object.assign(waiter, { check: drained.check });
  drained.check();
  await drained.settled;
  const cpu = meter.read();
  for (const socket of sockets) socket.disconnect();
  const eachTab: number[] = [];
  const lastTab: number[] = [];
  for (const [id, ats] of arrivals) {
    const ms = ats.map((at) => at - sentAt[id]!);
    eachTab.push(...ms);
    if (ats.length === TABS) lastTab.push(Math.max(...ms));
  }
  const perTab = summarise(eachTab);
  const last = summarise(lastTab);
  return {
    rate,
    achievedRatePerSecond: +(total / elapsedSeconds).toFixed(1),
    writes: total,
    failedWrites: failed,
    deliveries: { expected, received, missing: expected - received, foreign },
    latencyMs: { restToEachTab: perTab, restToLastTab: last },
    cpuPercentOfOneCore: cpu,
    eachTab,
  };
}

/** Phase (b): completing daily tasks → the next instance on the owner's socket. */
async function completionToNextInstance(stack: Stack, users: TestUser[]) {
  const completedAt = new Map<string, number>();
  const nextAt = new Map<string, number>();
  const waiter = { check: () => {} };
  const sockets = await Promise.all(
    users.map((user, u) =>
      connect(stack.socketNodes[u % 2]!.url, user.token, (message, at) => {
        const parent = message.task.parentTaskId;
        if (message.action === 'created' && parent && !nextAt.has(parent)) {
          nextAt.set(parent, at);
          waiter.check();
        }
      }),
    ),
  );
  const due = new Date(Date.now() + 3_600_000).toISOString();
  const tasks: { id: string; user: TestUser }[] = [];
  for (let i = 0; i < COMPLETIONS; i += 1) {
    const user = users[i % users.length]!;
    const task = await call<Task>(`${stack.apiUrl}/api/v1/tasks`, 'POST', user.token, {
      title: `daily ${i}`,
      dueDate: due,
      recurrence: { frequency: 'daily', maxOccurrences: 30 },
    });
    tasks.push({ id: task.id, user });
  }
  const meter = cpuMeter(pidsOf(stack));
  let failed = 0;
  await openLoop(COMPLETION_RATE, COMPLETIONS, async (i) => {
    const { id, user } = tasks[i]!;
    const response = await send(
      `${stack.apiUrl}/api/v1/tasks/${id}/complete`,
      'POST',
      user.token,
      undefined,
      () => completedAt.set(id, monotonicMs()),
    ).catch(() => ({ status: 0 }));
    if (response.status < 200 || response.status > 299) failed += 1;
  });
  const drained = until(() => nextAt.size >= COMPLETIONS - failed, DRAIN_TIMEOUT_MS);
  Object.assign(waiter, { check: drained.check });
  drained.check();
  await drained.settled;
  const cpu = meter.read();
  for (const socket of sockets) socket.disconnect();
  const ms = [...nextAt].map(([id, at]) => at - completedAt.get(id)!);
  return {
    completions: COMPLETIONS,
    ratePerSecond: COMPLETION_RATE,
    failed,
    missing: COMPLETIONS - failed - nextAt.size,
    completionToNextInstanceMs: summarise(ms),
    cpuPercentOfOneCore: cpu,
  };
}

/** `bridge_events_total` of the workers for task-events and SUCCESS. */
async function bridged(stack: Stack): Promise<number> {
  const text = await (await fetch(`${stack.workers!.url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n'))
    if (line.startsWith('bridge_events_total{'))
      if (line.includes('topic="task-events"') && line.includes('status="SUCCESS"'))
        sum += Number(line.split(' ').at(-1));
  return sum;
}

/** Phase (c): raw outbox rows → relay → daprd → Kafka → daprd → workers' bridge → BullMQ. */
async function outboxToBullmq(stack: Stack) {
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  try {
    const start = await bridged(stack);
    const meter = cpuMeter(pidsOf(stack));
    const t0 = monotonicMs();
    // Copies of the newest real task event, each with its own event id (the bridge's job id)
    // and its own task, over 50 partition keys: one task's events are applied one at a time
    // (per-task order), so copies of a single task measured that queue, not the bridge.
    await db.query(
      `INSERT INTO outbox (event_id, topic, partition_key, payload)
       SELECT ids.id, o.topic, o.partition_key || '-' || (g % 50),
              jsonb_set(jsonb_set(o.payload, '{id}', to_jsonb(ids.id::text)),
                        '{data,task,id}', to_jsonb(ids.task::text))
       FROM (SELECT * FROM outbox WHERE topic = 'task-events' ORDER BY id DESC LIMIT 1) o,
            generate_series(1, $1::int) g,
            LATERAL (SELECT gen_random_uuid() AS id, gen_random_uuid() AS task, g AS n) ids`,
      [RAW_EVENTS],
    );
    await db.query('NOTIFY outbox_pending'); // the relay's channel: start now, not at its poll
    const insertedMs = monotonicMs() - t0;
    const perSecond: { second: number; events: number }[] = [];
    let last = start;
    let lastAt = monotonicMs();
    const deadline = lastAt + 120_000;
    let peak = 0;
    while (last - start < RAW_EVENTS && monotonicMs() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      const now = await bridged(stack);
      const at = monotonicMs();
      const rate = ((now - last) * 1000) / (at - lastAt);
      peak = Math.max(peak, rate);
      perSecond.push({ second: +((at - t0) / 1000).toFixed(1), events: Math.round(rate) });
      last = now;
      lastAt = at;
    }
    const seconds = (lastAt - t0) / 1000;
    return {
      events: RAW_EVENTS,
      bridged: last - start,
      missing: RAW_EVENTS - (last - start),
      insertMs: Math.round(insertedMs),
      seconds: +seconds.toFixed(2),
      meanEventsPerSecond: Math.round((last - start) / seconds),
      peakEventsPerSecond: Math.round(peak),
      throughput: perSecond,
      cpuPercentOfOneCore: meter.read(),
    };
  } finally {
    await db.end();
  }
}

function pidsOf(stack: Stack): Record<string, number> {
  const all = [...stack.apis, ...stack.workersReplicas, ...stack.socketNodes];
  return Object.fromEntries(
    all.flatMap((s) => [
      [s.name, s.proc?.child.pid ?? 0],
      [`daprd ${s.name}`, s.sidecar.pid],
    ]),
  );
}

/** The daprd processes' share of all the CPU the stack's own processes used. */
function daprdShare(cpu: Record<string, number>) {
  const total = Object.entries(cpu)
    .filter(([name]) => name !== 'machine' && !name.endsWith(' (all)'))
    .reduce((a, [, v]) => a + (Number.isFinite(v) ? v : 0), 0);
  const daprd = Object.entries(cpu)
    .filter(([name]) => name.startsWith('daprd'))
    .reduce((a, [, v]) => a + (Number.isFinite(v) ? v : 0), 0);
  return {
    daprdPercentOfOneCore: daprd,
    sharePercent: total ? Math.round((daprd / total) * 100) : 0,
  };
}

const dataDir = mkdtempSync(join(tmpdir(), 'todo-bench-dapr-'));
const stack = await startStack({
  dataDir,
  daprd: daprdBinary(),
  withWorkers: true,
  // BENCH_USERS sign-ups from one address, and writes at hundreds a second from few users.
  apiEnv: { RATE_LIMIT_PER_MINUTE: '1000000', ...RELAXED_AUTH_LIMITS },
  log: (line) => process.stderr.write(`[dapr-bench] ${line}\n`),
});
let exitCode = 0;
try {
  const users = await signUpUsers(stack.apiUrl, USERS, 4);
  const tasks: string[] = [];
  for (const user of users)
    tasks.push(
      (await call<Task>(`${stack.apiUrl}/api/v1/tasks`, 'POST', user.token, { title: 'setup' })).id,
    );
  const change = [];
  for (const rate of RATES) change.push(await changeToEveryTab(stack, users, tasks, rate));
  const completion = await completionToNextInstance(stack, users);
  const raw = await outboxToBullmq(stack);
  const at100 = change.find((c) => c.rate === 100);
  const result = {
    benchmark: 'Dapr + Kafka lane under load',
    date: new Date().toISOString(),
    commit: commit(),
    machine: machine(),
    topology: { users: USERS, tabsPerUser: TABS, socketNodes: stack.socketNodes.length },
    changeToEveryTab: change.map(({ eachTab: _, ...c }) => ({
      ...c,
      daprd: daprdShare(c.cpuPercentOfOneCore),
    })),
    completionToNextInstance: { ...completion, daprd: daprdShare(completion.cpuPercentOfOneCore) },
    outboxToBullmq: { ...raw, daprd: daprdShare(raw.cpuPercentOfOneCore) },
    budgets: {
      changeToTabP99At100Ms: { budget: 300, measured: at100?.latencyMs.restToLastTab.p99 ?? null },
      bridgeEventsPerSecond: { budget: 2000, measured: raw.meanEventsPerSecond },
    },
  };
  const name = 'dapr-lane-load';
  report(name, result);
  await latencyCdfChart(
    name,
    'Dapr + Kafka: REST change → each tab',
    Object.fromEntries(change.map((c) => [`${c.rate} writes/s`, c.eachTab])),
    result,
  );
  await writeChart(`${name}-throughput`, {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'raw outbox → BullMQ through daprd, Kafka and the bridge (events/s)',
      subtitle: `commit ${result.commit}, load average at end ${result.machine.loadAverageAtEnd.join(' / ')}`,
    },
    data: { values: raw.throughput },
    mark: 'line',
    encoding: {
      x: { field: 'second', type: 'quantitative', title: 'seconds since the rows were written' },
      y: { field: 'events', type: 'quantitative', title: 'events/s bridged' },
    },
    width: 420,
    height: 200,
  });
  const verdict = (what: string, ok: boolean | null, detail: string) =>
    process.stdout.write(
      `${ok === null ? 'NOT MEASURED' : ok ? 'MET   ' : 'MISSED'} ${what}: ${detail}\n`,
    );
  verdict(
    'change → every tab p99 < 300 ms at 100 writes/s',
    at100 ? at100.latencyMs.restToLastTab.p99 < 300 : null,
    at100 ? `${at100.latencyMs.restToLastTab.p99} ms` : 'no 100 writes/s run in BENCH_DAPR_RATES',
  );
  verdict(
    '≥ 2,000 events/s through the bridge',
    raw.meanEventsPerSecond >= 2000,
    `${raw.meanEventsPerSecond}/s (peak ${raw.peakEventsPerSecond}/s)`,
  );
  const missing =
    change.reduce((n, c) => n + c.deliveries.missing + c.failedWrites, 0) +
    completion.missing +
    completion.failed +
    raw.missing;
  if (missing !== 0) {
    process.stderr.write(`error: ${missing} deliveries missing or writes failed\n`);
    exitCode = 1;
  }
} catch (error) {
  process.stderr.write(`${String(error)}\n${stack.logs()}\n`);
  exitCode = 1;
} finally {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
