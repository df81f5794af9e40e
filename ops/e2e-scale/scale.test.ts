/**
 * The scale-out lane (issue 18): 2 api replicas behind a round-robin proxy, 2 workers replicas,
 * 3 socket nodes, each with its own daprd, Kafka with 6 partitions per topic, one PostgreSQL,
 * one Redis. Users write under load while one api replica, one workers replica, one socket node
 * and one daprd are SIGKILLed and restarted; then every count of loss or duplication must be 0.
 * Run with `npm run test:e2e:scale` (the builds of ops/e2e-dapr/run.sh, this suite).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { TOPIC_PARTITIONS } from '@todo/contracts';
import { RELAXED_AUTH_LIMITS, signUpUser } from '@todo/ops/testing';
import { summarize } from '../e2e-dapr/clients.js';
import { waitFor } from '../e2e-dapr/processes.js';
import { repoRoot, startStack, type ServiceWithSidecar, type Stack } from '../e2e-dapr/stack.js';
import { Ledger, LoadUser } from './load.js';
import { Tab } from './sockets.js';

const daprd = process.env.DAPRD_BIN;
// Scaled for a shared 2-core machine: 20 users (40 tabs) for 60 s by default.
const USERS = Number(process.env.SCALE_USERS ?? 20);
const LOAD_MS = Number(process.env.SCALE_LOAD_MS ?? 60_000);
/** Time between one user's writes: 20 users make about ten writes a second. */
const PACE_MS = Number(process.env.SCALE_PACE_MS ?? 2_000);
const DOWN_MS = 3_000;
/** After a restart, changes still count as "during the fault" this long (the backlog drains). */
const SETTLE_MS = 5_000;

const note = (line: string) => process.stderr.write(`[scale-lane] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The relay's advisory lock (api/src/data-access/events/outbox-relay.ts, RELAY_LOCK_KEY). */
const RELAY_LOCK_KEY = 727002;

/** Which api replica holds the outbox relay's lock: its PostgreSQL session's client port → pid. */
async function relayLeader(stack: Stack, db: pg.Client): Promise<ServiceWithSidecar | undefined> {
  const { rows } = await db.query<{ client_port: number }>(
    `SELECT a.client_port FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objid = $1`,
    [RELAY_LOCK_KEY],
  );
  const port = rows[0]?.client_port;
  if (!port) return undefined;
  const ss = spawnSync('ss', ['-Htnp', `sport = :${port}`], { encoding: 'utf8' }).stdout;
  const pid = /pid=(\d+)/.exec(ss)?.[1];
  return stack.apis.find((api) => String(api.proc?.child.pid) === pid);
}

interface Fault {
  name: string;
  atMs: number;
  /** Kills its target; resolves with what starts it again. */
  kill(stack: Stack, db: pg.Client): Promise<() => Promise<void>>;
}

const killService = async (service: ServiceWithSidecar) => {
  await service.kill();
  return () => service.start();
};

let relayHandover: { from: string; to: string; afterMs: number } | null = null;

/**
 * Each fault on its own clock: killed at `atMs`, started again DOWN_MS later (a restart takes
 * a while longer on a busy machine; the next fault does not wait for it).
 */
const FAULTS: Fault[] = [
  {
    name: 'SIGKILL the api replica leading the outbox relay (in-flight requests answer 502)',
    atMs: 5_000,
    kill: async (stack, db) => {
      const leader = await waitFor('a relay leader', () => relayLeader(stack, db), 10_000, 200);
      const other = stack.apis.find((api) => api !== leader) as ServiceWithSidecar;
      const killedAt = Date.now();
      await leader.kill();
      await waitFor(
        'the relay lock on the other replica',
        async () => (await relayLeader(stack, db)) === other,
        30_000,
        100,
      );
      relayHandover = { from: leader.name, to: other.name, afterMs: Date.now() - killedAt };
      note(
        `  relay leadership moved from ${leader.name} to ${other.name} in ${relayHandover.afterMs} ms`,
      );
      return () => leader.start();
    },
  },
  {
    name: 'SIGKILL workers-1 (its active BullMQ jobs stall and are taken again)',
    atMs: 17_000,
    kill: (s) => killService(s.workersReplicas[0]!),
  },
  {
    name: 'SIGKILL socket-2 (its tabs move to another node and catch up from the change feed)',
    atMs: 29_000,
    kill: (s) => killService(s.socketNodes[1]!),
  },
  {
    name: "SIGKILL workers-2's daprd (its partitions rebalance to workers-1's daprd)",
    atMs: 41_000,
    kill: async (s) => {
      const car = s.workersReplicas[1]!.sidecar;
      await car.kill();
      return async () => {
        await car.start();
        await car.ready();
      };
    },
  },
];

describe(
  'scale-out: replicas of every service under load and faults',
  { skip: !daprd && 'DAPRD_BIN is not set: run through npm run test:e2e:scale' },
  () => {
    let stack: Stack;
    let dataDir: string;
    let db: pg.Client;
    let failed = true;
    const laneStart = Date.now();
    const results: Record<string, unknown> = {};
    const tabs = new Map<string, Tab[]>();

    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'todo-scale-lane-'));
      note(`data and logs under ${dataDir}`);
      stack = await startStack({
        dataDir,
        daprd: daprd as string,
        withWorkers: true,
        apiReplicas: 2,
        workersReplicas: 2,
        socketNodes: 3,
        topicPartitions: Object.fromEntries(Object.keys(TOPIC_PARTITIONS).map((t) => [t, 6])),
        apiEnv: { ...RELAXED_AUTH_LIMITS, RATE_LIMIT_PER_MINUTE: '1000000' },
        log: note,
      });
      results.startupMs = Date.now() - laneStart;
      db = new pg.Client({ connectionString: stack.databaseUrl });
      await db.connect();
    });

    after(async () => {
      // A tab keeps moving to the next node while none answers: close them first.
      for (const pair of tabs.values()) for (const tab of pair) tab.close();
      await db?.end().catch(() => {});
      if (stack && failed) note(`the lane failed; last log lines of every process:${stack.logs()}`);
      await stack?.stop();
      if (Object.keys(results).length > 1) {
        const file = join(repoRoot, 'ops/bench/results/scale-lane.json');
        mkdirSync(join(repoRoot, 'ops/bench/results'), { recursive: true });
        const body = {
          lane: 'npm run test:e2e:scale',
          recordedAt: new Date().toISOString(),
          machine: '2 shared cores (other work running); latencies in ms',
          shape: {
            apiReplicas: 2,
            workersReplicas: 2,
            socketNodes: 3,
            partitionsPerTopic: 6,
            users: USERS,
            tabsPerUser: 2,
            loadMs: LOAD_MS,
          },
          ...results,
          laneMs: Date.now() - laneStart,
        };
        writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
        note(`results written to ${file}`);
      }
      if (dataDir && (failed || process.env.KEEP_LANE_DATA)) note(`kept ${dataDir}`);
      else if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('loses and duplicates nothing while replicas of every service are killed under load', async () => {
      const partitions = await stack.kafka.partitions();
      for (const topic of Object.keys(TOPIC_PARTITIONS))
        assert.equal(partitions[topic], 6, `${topic} has 6 partitions`);

      // Users, each with two tabs on two different socket nodes.
      const nodes = stack.socketNodes.map((s) => s.url);
      const ledger = new Ledger();
      const users: LoadUser[] = [];
      for (let i = 0; i < USERS; i++) {
        const u = await signUpUser(stack.apiUrl, `Scale ${i}`);
        const pair = [
          new Tab(nodes, i % 3, u.token, stack.apiUrl),
          new Tab(nodes, (i + 1) % 3, u.token, stack.apiUrl),
        ];
        await Promise.all(pair.map((t) => t.open()));
        tabs.set(u.userId, pair);
        users.push(new LoadUser(u.userId, u.token, stack.apiUrl, ledger));
      }
      note(`${USERS} users signed up, ${USERS * 2} tabs open over ${nodes.length} socket nodes`);

      // Load, with the faults on their own timeline.
      const loadStart = Date.now();
      const runEndsAt = loadStart + LOAD_MS;
      const windows: { name: string; from: number; to: number }[] = [];
      const faults = Promise.all(
        FAULTS.map(async (fault) => {
          await sleep(Math.max(0, loadStart + fault.atMs - Date.now()));
          const from = Date.now();
          note(`${fault.name} at +${from - loadStart} ms`);
          const restart = await fault.kill(stack, db);
          await sleep(Math.max(0, from + DOWN_MS - Date.now()));
          await restart();
          const back = Date.now();
          note(`  ${fault.name.split(' (')[0]}: healthy again ${back - from} ms after the kill`);
          windows.push({ name: fault.name, from, to: back + SETTLE_MS });
        }),
      );
      await Promise.all(
        users.map(async (user, i) => {
          await sleep((PACE_MS * i) / USERS);
          while (Date.now() < runEndsAt) {
            await user.step(runEndsAt);
            await sleep(PACE_MS * (0.5 + Math.random()));
          }
        }),
      );
      await faults;
      const loadMs = Date.now() - loadStart;
      note(`load done: ${ledger.writes.length} writes in ${loadMs} ms`);

      // --- writes: attempted / acknowledged / present in PostgreSQL (one change row each)
      const expected = new Map<string, number>();
      for (const w of ledger.writes.filter((w) => w.acknowledged))
        expected.set(`${w.taskId} ${w.action}`, (expected.get(`${w.taskId} ${w.action}`) ?? 0) + 1);
      const ids = [...new Set(ledger.writes.map((w) => w.taskId))];
      const rows = await db.query<{ task_id: string; action: string; n: string }>(
        'SELECT task_id, action, count(*) AS n FROM task_changes WHERE task_id = ANY($1::uuid[]) GROUP BY 1, 2',
        [ids],
      );
      const actual = new Map(rows.rows.map((r) => [`${r.task_id} ${r.action}`, Number(r.n)]));
      let present = 0;
      let duplicatedWrites = 0;
      for (const [key, n] of expected) {
        present += Math.min(n, actual.get(key) ?? 0);
        duplicatedWrites += Math.max(0, (actual.get(key) ?? 0) - n);
      }
      const acknowledged = ledger.writes.filter((w) => w.acknowledged).length;
      const writes = {
        attempted: ledger.writes.length,
        acknowledged,
        present,
        lost: acknowledged - present,
        duplicated: duplicatedWrites,
        retried: ledger.writes.filter((w) => w.attempts > 1).length,
        notAcknowledged: ledger.writes
          .filter((w) => !w.acknowledged)
          .map((w) => `${w.action} ${w.taskId}: ${w.lastStatus}`),
      };
      note(`writes: ${JSON.stringify(writes)}`);

      // --- next instances: one per acknowledged completion of a recurring task, created once
      const series = [...ledger.completedSeries.keys()];
      const instances = async () =>
        (
          await db.query<{ series_id: string; n: string }>(
            'SELECT series_id, count(*) AS n FROM tasks WHERE series_id = ANY($1::uuid[]) GROUP BY 1',
            [series],
          )
        ).rows;
      await waitFor(
        'a next instance for every completed series',
        async () => {
          const r = await instances();
          return r.length === series.length && r.every((x) => Number(x.n) >= 2);
        },
        60_000,
        500,
      ).catch(() => undefined);

      // --- reminders: one inbox row per reminder due during the run, none before its time
      const reminderIds = [...ledger.reminders.keys()];
      const inbox = async () =>
        (
          await db.query<{ task_id: string; created_at: Date }>(
            'SELECT unnest(task_ids)::text AS task_id, created_at FROM notifications WHERE task_ids && $1::uuid[]',
            [reminderIds],
          )
        ).rows.filter((r) => ledger.reminders.has(r.task_id));
      await waitFor(
        'an inbox row for every reminder due',
        async () => new Set((await inbox()).map((r) => r.task_id)).size === reminderIds.length,
        60_000,
        500,
      ).catch(() => undefined);

      // --- the pipeline drains: outbox sent, every consumer group caught up
      const unsent = async () =>
        Number(
          (await db.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL'))
            .rows[0]?.n,
        );
      await waitFor('the outbox to be sent', async () => (await unsent()) === 0, 60_000, 500).catch(
        () => undefined,
      );
      const lagRows = await waitFor(
        'every consumer group at lag 0',
        async () => {
          const r = await stack.kafka.consumerLag();
          return r.length > 0 && r.every((x) => x.lag === null || x.lag === 0) && r;
        },
        60_000,
        1_000,
      ).catch(() => stack.kafka.consumerLag());

      // --- change events: every change of a user reached both of the user's tabs
      const changes = await db.query<{ user_id: string; seq: string }>(
        'SELECT user_id, seq::text AS seq FROM task_changes WHERE user_id = ANY($1::text[])',
        [[...tabs.keys()]],
      );
      const owed = new Map<string, string[]>();
      for (const c of changes.rows) owed.set(c.user_id, [...(owed.get(c.user_id) ?? []), c.seq]);
      await waitFor(
        'every change on every tab of its owner',
        async () =>
          [...tabs].every(([userId, pair]) =>
            pair.every((tab) => (owed.get(userId) ?? []).every((s) => tab.seen(s))),
          ),
        30_000,
        500,
      ).catch(() => undefined);
      // A duplicate would come shortly after the first delivery: give it a moment.
      await sleep(1_000);
      let owedDeliveries = 0;
      let missing = 0;
      let rawDuplicates = 0;
      let foreign = 0;
      let reconnections = 0;
      let caughtUpOnly = 0;
      const during: number[] = [];
      const outside: number[] = [];
      const inFault = (at: number) => windows.some((w) => at >= w.from && at <= w.to);
      for (const [userId, pair] of tabs) {
        const mine = new Set(owed.get(userId) ?? []);
        for (const tab of pair) {
          owedDeliveries += mine.size;
          for (const seq of mine) if (!tab.seen(seq)) missing++;
          for (const [seq, n] of tab.live) {
            rawDuplicates += n - 1;
            if (!mine.has(seq)) foreign++;
          }
          for (const seq of tab.caughtUp) if (!mine.has(seq)) foreign++;
          for (const seq of mine) if (!tab.live.has(seq) && tab.caughtUp.has(seq)) caughtUpOnly++;
          reconnections += tab.reconnections;
          for (const s of tab.liveLatency) (inFault(s.at) ? during : outside).push(s.ms);
        }
      }
      for (const pair of tabs.values()) for (const tab of pair) tab.close();
      const changeEvents = {
        changes: changes.rows.length,
        owedDeliveries,
        missing,
        // After de-duplication by seq, anything not of the owner's feed would be a second copy.
        duplicatedAfterDedup: foreign,
        atLeastOnceRedeliveries: rawDuplicates,
        deliveredByCatchUpOnly: caughtUpOnly,
        reconnections,
      };
      note(`change events: ${JSON.stringify(changeEvents)}`);

      const instanceRows = await instances();
      const nextInstances = {
        owed: series.length,
        created: instanceRows.filter((r) => Number(r.n) >= 2).length,
        missing: series.length - instanceRows.filter((r) => Number(r.n) >= 2).length,
        duplicated: instanceRows.reduce((sum, r) => sum + Math.max(0, Number(r.n) - 2), 0),
      };
      note(`next instances: ${JSON.stringify(nextInstances)}`);

      const fired = await inbox();
      const times = new Map<string, number>();
      for (const r of fired) times.set(r.task_id, (times.get(r.task_id) ?? 0) + 1);
      const early = fired.filter(
        (r) => r.created_at.getTime() < (ledger.reminders.get(r.task_id) ?? 0),
      );
      const lateness = fired.map(
        (r) => r.created_at.getTime() - (ledger.reminders.get(r.task_id) ?? 0),
      );
      const reminders = {
        due: reminderIds.length,
        delivered: times.size,
        missing: reminderIds.length - times.size,
        duplicated: [...times.values()].reduce((sum, n) => sum + n - 1, 0),
        early: early.length,
        latenessMs: summarize(lateness),
      };
      note(`reminders: ${JSON.stringify(reminders)}`);

      const pipeline = {
        kafkaLag: lagRows.reduce((sum, r) => sum + (r.lag ?? 0), 0),
        consumerGroups: [...new Set(lagRows.map((r) => r.group))],
        outboxUnsent: await unsent(),
      };
      note(`pipeline: ${JSON.stringify(pipeline)}`);
      const latency = {
        changeToTabDuringFaultsMs: summarize(during),
        changeToTabOutsideFaultsMs: summarize(outside),
      };
      note(`change → tab latency: ${JSON.stringify(latency)}`);
      Object.assign(results, {
        loadMs,
        faults: windows.map((w) => ({
          name: w.name,
          atMs: w.from - loadStart,
          restartAfterMs: DOWN_MS,
          healthyAgainAfterMs: w.to - SETTLE_MS - w.from,
        })),
        relayHandover,
        writes,
        changeEvents,
        nextInstances,
        reminders,
        pipeline,
        ...latency,
      });

      assert.ok(relayHandover, 'the relay leadership moved to the surviving api replica');
      assert.equal(
        writes.notAcknowledged.length,
        0,
        `every write answered: ${writes.notAcknowledged.join('; ')}`,
      );
      assert.deepEqual([writes.lost, writes.duplicated], [0, 0], 'writes lost / duplicated');
      assert.deepEqual(
        [missing, foreign],
        [0, 0],
        'change events missing / duplicated after de-dup',
      );
      assert.deepEqual([nextInstances.missing, nextInstances.duplicated], [0, 0], 'next instances');
      assert.deepEqual(
        [reminders.missing, reminders.duplicated, reminders.early],
        [0, 0, 0],
        'reminders',
      );
      assert.equal(pipeline.kafkaLag, 0, 'Kafka consumer lag back to 0');
      assert.equal(pipeline.outboxUnsent, 0, 'outbox unsent rows back to 0');
      assert.ok(
        series.length > 0 && reminderIds.length > 0,
        'the load completed recurring tasks and set reminders',
      );
      failed = false;
    });
  },
);
