/**
 * Fault tests of the supervised local stack (`npm run test:faults`): the launcher's own
 * services, Redis and embedded PostgreSQL on free ports, hit by the faults that used to lose
 * work. Each prints attempted / acknowledged / present / lost / duplicated; lost and
 * duplicated must be 0.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  ServerToClientEvents,
  Task,
  TaskUpdateMessage,
} from '@todo/contracts';
import { freePort } from '../infra/ports.js';
import { startLocalStack, type LocalStack } from '../launcher/stack.js';
import {
  childPids,
  Client,
  HttpError,
  metric,
  reminderCounts,
  report,
  waitFor,
  type Counts,
} from './support.js';

const root = resolve(fileURLToPath(import.meta.url), '../../../..');
const RECONCILE_INTERVAL_MS = 5000;
const assertNothingLost = (counts: Counts) => {
  assert.equal(counts.lost, 0, 'lost');
  assert.equal(counts.duplicated, 0, 'duplicated');
  assert.equal(counts.present, counts.acknowledged, 'present');
};

describe('faults: nothing lost or duplicated when a process dies', { concurrency: false }, () => {
  let stack: LocalStack;
  let scratch: string;
  const url = (name: string) =>
    `http://127.0.0.1:${stack.services.find((s) => s.name === name)!.port}`;
  const pidOf = (name: string) => stack.supervisor.running(name)!.pid;
  const upAgain = (name: string, oldPid: number) =>
    waitFor(`${name} to be restarted`, async () => {
      const running = stack.supervisor.running(name);
      return stack.supervisor.state(name) === 'up' && running && running.pid !== oldPid;
    });
  const delayedReminders = () =>
    metric(
      `${url('workers')}/metrics`,
      /bullmq_queue_jobs\{queue="reminders",state="delayed"[^}]*\} (\d+)/,
    );

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'todo-faults-'));
    chmodSync(scratch, 0o755);
    const ports = new Map<number, number>();
    for (const fixed of [3000, 3001, 3002, 3012, 54329]) ports.set(fixed, await freePort());
    const logLevel = process.env.FAULTS_LOG_LEVEL ?? 'fatal';
    stack = await startLocalStack({
      root,
      dataDir: scratch,
      port: 0,
      ports,
      logLevel,
      log: (line) => console.log(`[stack] ${line}`),
      env: {
        workers: {
          RECONCILE_INTERVAL_MS: String(RECONCILE_INTERVAL_MS),
          NOTIFICATION_BATCH_WINDOW_MS: '100',
          JOB_BACKOFF_MS: '200',
        },
        // Many writes from one address; the relay retries a returning subscriber within 2 s.
        api: { RATE_LIMIT_PER_MINUTE: '100000', OUTBOX_MAX_BACKOFF_MS: '2000' },
      },
    });
    console.log(`[faults] stack up at ${stack.url}`);
  });

  after(async () => {
    await stack?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('services listen on loopback only', async () => {
    for (const service of stack.services) {
      const listening = spawnSync('ss', ['-Hltn', `sport = :${service.port}`], {
        encoding: 'utf8',
      });
      assert.match(
        listening.stdout,
        new RegExp(`127\\.0\\.0\\.1:${service.port}\\b`),
        service.name,
      );
      assert.doesNotMatch(listening.stdout, /(0\.0\.0\.0|\*|\[::\]):\d/, service.name);
    }
  });

  it('Redis killed (SIGKILL) and restarted with reminders pending: each fires once', async () => {
    const client = await Client.signUp(stack.url);
    const start = Date.now() + 7000;
    const N = 12;
    const before = (await delayedReminders()) ?? 0;
    const acked: Task[] = [];
    for (let i = 0; i < N; i++)
      acked.push(await client.reminderTask(`redis-kill ${i}`, start + i * 300));
    await waitFor('the delayed jobs', async () => ((await delayedReminders()) ?? 0) >= before + N);
    const pid = pidOf('redis');
    process.kill(pid, 'SIGKILL');
    await upAgain('redis', pid);
    const counts = await reminderCounts(client, N, acked, 30_000);
    report('redis SIGKILL + restart (append-only file)', counts);
    assertNothingLost(counts);
  });

  it('Redis loses every key: the reconciler rebuilds the jobs within one interval', async () => {
    const client = await Client.signUp(stack.url);
    const start = Date.now() + 9000;
    const N = 12;
    const acked: Task[] = [];
    for (let i = 0; i < N; i++)
      acked.push(await client.reminderTask(`redis-flush ${i}`, start + i * 300));
    await waitFor('the delayed jobs', async () => ((await delayedReminders()) ?? 0) >= N);
    const rebuiltBefore =
      (await metric(
        `${url('workers')}/metrics`,
        /reconcile_jobs_rebuilt_total\{kind="reminder"[^}]*\} (\d+)/,
      )) ?? 0;
    const port = new URL(stack.redisUrl).port;
    const flushed = spawnSync('redis-cli', ['-p', port, 'FLUSHALL'], { encoding: 'utf8' });
    assert.equal(flushed.stdout.trim(), 'OK');
    const lostAt = Date.now();
    await waitFor(
      'the reconciler to rebuild the jobs',
      async () =>
        ((await metric(
          `${url('workers')}/metrics`,
          /reconcile_jobs_rebuilt_total\{kind="reminder"[^}]*\} (\d+)/,
        )) ?? 0) >=
        rebuiltBefore + N,
      RECONCILE_INTERVAL_MS * 2,
    );
    const healedMs = Date.now() - lostAt;
    const counts = await reminderCounts(client, N, acked, 30_000);
    report('redis FLUSHALL (all jobs lost)', counts, {
      healedMs,
      intervalMs: RECONCILE_INTERVAL_MS,
    });
    assertNothingLost(counts);
    assert.ok(healedMs <= RECONCILE_INTERVAL_MS + 1000, `healed in ${healedMs} ms`);
  });

  it('workers killed and restarted: pending reminders fire once, owed next instances exist once', async () => {
    const client = await Client.signUp(stack.url);
    const start = Date.now() + 9000;
    const N = 10;
    const S = 5;
    const reminders: Task[] = [];
    for (let i = 0; i < N; i++)
      reminders.push(await client.reminderTask(`workers-kill ${i}`, start + i * 300));
    const series: Task[] = [];
    for (let i = 0; i < S; i++)
      series.push(
        await client.call<Task>('POST', '/tasks', {
          title: `series ${i}`,
          dueDate: new Date(Date.now() + 3_600_000).toISOString(),
          recurrence: { frequency: 'daily', maxOccurrences: 10 },
        }),
      );
    await waitFor('the delayed jobs', async () => ((await delayedReminders()) ?? 0) >= N);
    const pid = pidOf('workers');
    process.kill(pid, 'SIGKILL');
    // Completions while the workers are dead: their events wait in the outbox.
    let completed = 0;
    for (const task of series) {
      await client.call('POST', `/tasks/${task.id}/complete`);
      completed += 1;
    }
    await upAgain('workers', pid);
    const counts = await reminderCounts(client, N, reminders, 30_000);
    report('workers SIGKILL + restart: reminders', counts);
    assertNothingLost(counts);

    const nextOf = async (task: Task) =>
      (await client.call<{ items: Task[] }>('GET', `/tasks/${task.id}/instances`)).items.filter(
        (t) => t.occurrenceIndex === 2,
      ).length;
    await waitFor('every next instance', async () =>
      (await Promise.all(series.map(nextOf))).every((n) => n >= 1),
    ).catch(() => undefined);
    const found = await Promise.all(series.map(nextOf));
    const instances: Counts = {
      attempted: S,
      acknowledged: completed,
      present: found.filter((n) => n >= 1).length,
      lost: found.filter((n) => n === 0).length,
      duplicated: found.reduce((sum, n) => sum + Math.max(0, n - 1), 0),
    };
    report('workers SIGKILL + restart: next instances', instances);
    assertNothingLost(instances);
  });

  it('PostgreSQL paused 10 s: writes succeed or fail cleanly, none lost or duplicated, the api recovers', async () => {
    const client = await Client.signUp(stack.url);
    const postmaster = stack.postgresPid();
    assert.ok(postmaster, 'embedded PostgreSQL runs');
    const paused = [postmaster, ...childPids(postmaster)];
    const outcomes: { title: string; status: number | 'timeout' | 'error' }[] = [];
    const write = async (title: string) => {
      try {
        await client.call('POST', '/tasks', { title }, 30_000);
        outcomes.push({ title, status: 201 });
      } catch (error) {
        const status =
          error instanceof HttpError
            ? error.status
            : (error as Error).name === 'TimeoutError'
              ? 'timeout'
              : 'error';
        outcomes.push({ title, status });
      }
    };
    for (const pid of paused) process.kill(pid, 'SIGSTOP');
    const pausedAt = Date.now();
    const writes: Promise<void>[] = [];
    try {
      for (let i = 0; i < 20; i++) {
        writes.push(write(`pg-pause ${i}`));
        await new Promise((r) => setTimeout(r, 450));
      }
      await new Promise((r) => setTimeout(r, Math.max(0, 10_000 - (Date.now() - pausedAt))));
    } finally {
      for (const pid of paused) process.kill(pid, 'SIGCONT');
    }
    await Promise.all(writes);
    const recovered = await waitFor('the api to answer a write again', async () => {
      await client.call('POST', '/tasks', { title: 'after the pause' });
      return Date.now();
    });
    const titles = (await client.tasks()).map((t) => t.title);
    const times = (title: string) => titles.filter((t) => t === title).length;
    const acked = outcomes.filter((o) => o.status === 201);
    const statuses: Record<string, number> = {};
    for (const o of outcomes) statuses[String(o.status)] = (statuses[String(o.status)] ?? 0) + 1;
    const counts: Counts = {
      attempted: outcomes.length,
      acknowledged: acked.length,
      present: acked.filter((o) => times(o.title) >= 1).length,
      lost: acked.filter((o) => times(o.title) === 0).length,
      duplicated: outcomes.reduce((sum, o) => sum + Math.max(0, times(o.title) - 1), 0),
    };
    report('postgres SIGSTOP 10 s', counts, {
      statuses,
      recoveredMsAfterResume: recovered - pausedAt - 10_000,
    });
    assertNothingLost(counts);
    // An answered refusal (503) is clean: nothing was stored. (A client-side timeout may or may
    // not have committed; it is only held to "at most once", above.)
    for (const o of outcomes.filter((o) => typeof o.status === 'number' && o.status !== 201))
      assert.equal(times(o.title), 0, `${o.title} was refused (${o.status}) but stored`);
  });

  it('a socket node killed: its clients reconnect through the gateway to the other and miss nothing', async () => {
    const client = await Client.signUp(stack.url);
    type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
    interface Tab {
      socket: ClientSocket;
      /** Every change this tab knows, live or from the change feed. */
      seen: Set<string>;
      live: Set<string>;
      /** The same change pushed live twice: a duplicate the user would see. */
      liveTwice: number;
      nodes: string[];
      cursor: string;
    }
    const tabs: Tab[] = [];
    const catchUp = async (tab: Tab) => {
      for (;;) {
        const page = await client.changes(tab.cursor);
        for (const change of page.changes) tab.seen.add(change.seq);
        tab.cursor = page.nextCursor;
        if (!page.hasMore) return;
      }
    };
    for (let i = 0; i < 6; i++) {
      const socket: ClientSocket = io(stack.url, {
        path: '/socket.io',
        // Half long-poll first (sticky by sid through the gateway), half WebSocket only.
        transports: i % 2 ? ['websocket'] : ['polling', 'websocket'],
        auth: { token: client.user.token },
        reconnectionDelay: 200,
        reconnectionDelayMax: 1000,
      });
      const tab: Tab = {
        socket,
        seen: new Set(),
        live: new Set(),
        liveTwice: 0,
        nodes: [],
        cursor: '0',
      };
      socket.on('task_update', (message: TaskUpdateMessage) => {
        if (tab.live.has(message.seq)) tab.liveTwice += 1;
        tab.live.add(message.seq);
        tab.seen.add(message.seq);
      });
      // As the web app does: on every (re)connect, read what was missed from the change feed.
      socket.on('connect', () => {
        tab.nodes.push(socket.io.engine.id.split('.')[0] ?? '?');
        void catchUp(tab);
      });
      tabs.push(tab);
    }
    try {
      await waitFor('six connected tabs', async () => tabs.every((t) => t.socket.connected));
      const onFirst = tabs.filter((t) => t.nodes.at(-1) === 'socket-1').length;
      assert.ok(onFirst > 0 && onFirst < 6, `spread over both nodes (${onFirst} on socket-1)`);
      const pid = pidOf('socket-1');
      const acked: Task[] = [];
      let attempted = 0;
      for (let i = 0; i < 20; i++) {
        if (i === 5) process.kill(pid, 'SIGKILL');
        attempted += 1;
        acked.push(await client.call<Task>('POST', '/tasks', { title: `socket-kill ${i}` }));
        await new Promise((r) => setTimeout(r, 100));
      }
      await upAgain('socket-1', pid);
      await waitFor('every tab connected again', async () => tabs.every((t) => t.socket.connected));
      const feed = await client.changes('0');
      const seqs = feed.changes
        .filter((c) => c.action === 'created' && acked.some((t) => t.id === c.taskId))
        .map((c) => c.seq);
      assert.equal(seqs.length, acked.length);
      await waitFor(
        'every tab to have every change',
        async () => tabs.every((t) => seqs.every((s) => t.seen.has(s))),
        15_000,
      ).catch(() => undefined);
      const missing = tabs.reduce((sum, t) => sum + seqs.filter((s) => !t.seen.has(s)).length, 0);
      const moved = tabs.filter((t) => t.nodes.length > 1);
      const counts: Counts = {
        attempted: attempted * tabs.length,
        acknowledged: acked.length * tabs.length,
        present: acked.length * tabs.length - missing,
        lost: missing,
        duplicated: tabs.reduce((sum, t) => sum + t.liveTwice, 0),
      };
      report('socket-1 SIGKILL (6 tabs × writes)', counts, {
        tabsOnKilledNode: onFirst,
        reconnected: moved.map((t) => t.nodes.join('→')),
      });
      assert.equal(moved.length, onFirst, 'every tab of the killed node reconnected');
      assertNothingLost(counts);
    } finally {
      for (const tab of tabs) tab.socket.disconnect();
    }
  });
});
