/**
 * The production path on this machine (issue 8): api → daprd → Kafka → daprd → workers and two
 * socket nodes, with the component files of dapr/ (loopback addresses) and EVENT_TRANSPORT=dapr.
 * Run with `npm run test:e2e:dapr` (ops/e2e-dapr/run.sh builds daprd and resolves Kafka first).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it as nodeIt, type TestContext } from 'node:test';
import { Queue } from 'bullmq';
import {
  QUEUES,
  TASK_EVENT_TYPES,
  TOPIC_PARTITIONS,
  NOTIFICATION_CREATED_TYPE,
  REMINDER_FIRED_TYPE,
  TOPICS,
  type CloudEvent,
  type List,
  type MemberUpdateMessage,
  type Task,
} from '@todo/contracts';
import { confirmEmails, shareList, signUpUser } from '@todo/ops/testing';
import { ApiUser, RecordingClient, summarize } from './clients.js';
import type { KafkaRecord } from './kafka.js';
import { waitFor } from './processes.js';
import { repoRoot, startStack, type Stack } from './stack.js';

const daprd = process.env.DAPRD_BIN;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The partition sarama's hash partitioner (Dapr's Kafka producer) picks for a key: FNV-1a 32
 * of the key, as a signed 32-bit int, modulo the partition count, made non-negative.
 */
function saramaPartition(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(key)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return Math.abs((hash | 0) % partitions);
}

let anyFailed = false;

/** node:test's `it`, remembering a failure so `after` prints every process's log tail. */
function it(name: string, fn: (t: TestContext) => Promise<void>): void {
  nodeIt(name, async (t) => {
    try {
      await fn(t);
    } catch (error) {
      anyFailed = true;
      throw error;
    }
  });
}

const note = (line: string) => process.stderr.write(`[dapr-lane] ${line}\n`);

interface LaneEvent {
  record: KafkaRecord;
  event: CloudEvent<{ task: Task }>;
}

/** task-events (or another topic) as CloudEvents, read from the broker with kcat. */
async function topicEvents(stack: Stack, topic: string): Promise<LaneEvent[]> {
  const records = await stack.kafka.read(topic);
  return records
    .filter((r) => r.payload)
    .map((record) => ({
      record,
      event: JSON.parse(record.payload as string) as CloudEvent<{ task: Task }>,
    }));
}

const ofTask = (events: LaneEvent[], taskId: string) =>
  events.filter((e) => e.event.subject === `tasks/${taskId}`);

/** `bridge_events_total` of the workers' /metrics, summed for one topic and status. */
async function bridgeCount(stack: Stack, topic: string, status: string): Promise<number> {
  if (!stack.workers) return 0;
  const text = await (await fetch(`${stack.workers.url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('bridge_events_total{')) continue;
    if (line.includes(`topic="${topic}"`) && line.includes(`status="${status}"`))
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Waits until the workers made a reminder job for every task, then checks it is exactly one. */
async function expectOneReminderJobEach(stack: Stack, tasks: Task[]): Promise<void> {
  const queue = new Queue(QUEUES.reminders, {
    prefix: stack.queuePrefix,
    connection: { url: stack.redisUrl },
  });
  try {
    const jobs = await waitFor(
      `a reminder job for each of ${tasks.length} tasks`,
      async () => {
        const all = await queue.getJobs(['delayed', 'waiting', 'active', 'completed']);
        const mine = all.filter((j) => tasks.some((task) => j.id?.includes(task.id)));
        return tasks.every((task) => mine.some((j) => j.id?.includes(task.id))) && mine;
      },
      60_000,
      300,
    );
    for (const task of tasks)
      assert.equal(jobs.filter((j) => j.id?.includes(task.id)).length, 1, `${task.id} job`);
  } finally {
    await queue.close();
  }
}

describe(
  'production path: Dapr sidecars and a Kafka broker',
  { skip: !daprd && 'DAPRD_BIN is not set: run through npm run test:e2e:dapr' },
  () => {
    let stack: Stack;
    let dataDir: string;
    let alice: ApiUser;
    let bob: ApiUser;
    let onNode1: RecordingClient;
    let onNode2: RecordingClient;
    const results: Record<string, unknown> = {};
    const laneStart = Date.now();

    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'todo-dapr-lane-'));
      note(`data and logs under ${dataDir}`);
      stack = await startStack({
        dataDir,
        daprd: daprd as string,
        withWorkers: true,
        log: note,
      });
      results.startup = { ...stack.timings, totalMs: Date.now() - laneStart };
      const a = await signUpUser(stack.api.url, 'Alice');
      const b = await signUpUser(stack.api.url, 'Bob');
      alice = new ApiUser(stack.api.url, a.userId, a.token);
      bob = new ApiUser(stack.api.url, b.userId, b.token);
      onNode1 = await RecordingClient.connect(stack.sockets[0].url, alice.token);
      onNode2 = await RecordingClient.connect(stack.sockets[1].url, alice.token);
    });

    after(async () => {
      onNode1?.close();
      onNode2?.close();
      if (stack && anyFailed)
        note(`a test failed; last log lines of every process:${stack.logs()}`);
      await stack?.stop();
      if (Object.keys(results).length > 1) {
        const file = join(repoRoot, 'ops/bench/results/dapr-lane.json');
        mkdirSync(join(repoRoot, 'ops/bench/results'), { recursive: true });
        const body = {
          lane: 'npm run test:e2e:dapr',
          recordedAt: new Date().toISOString(),
          machine: '2 shared cores (other builds running); latencies in ms',
          ...results,
          laneMs: Date.now() - laneStart,
        };
        writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
        note(`results written to ${file}`);
      }
      if (dataDir && (anyFailed || process.env.KEEP_LANE_DATA)) note(`kept ${dataDir}`);
      else if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it("the broker has the design's topics and partition counts", async () => {
      const partitions = await stack.kafka.partitions();
      for (const [topic, count] of Object.entries(TOPIC_PARTITIONS))
        assert.equal(partitions[topic], count, `${topic} partitions`);
    });

    it('a task created through REST is a CloudEvent on task-events, keyed and partitioned by user id, with the request correlation id', async (t) => {
      const created: { user: ApiUser; task: Task; correlationId: string }[] = [];
      const more = await Promise.all(['Carol', 'Dave'].map((n) => signUpUser(stack.api.url, n)));
      const users = [alice, bob, ...more.map((u) => new ApiUser(stack.api.url, u.userId, u.token))];
      for (const user of [...users, ...users]) {
        const correlationId = `lane-${Math.random().toString(36).slice(2, 12)}`;
        const task = await user.createTask(
          { title: `Kafka check ${created.length}` },
          correlationId,
        );
        created.push({ user, task, correlationId });
      }
      const events = await waitFor(
        'the task.created events on task-events',
        async () => {
          const all = await topicEvents(stack, TOPICS.taskEvents);
          return created.every((c) => ofTask(all, c.task.id).length > 0) && all;
        },
        30_000,
        300,
      );
      const partitionOf = new Map<string, Set<number>>();
      for (const { user, task, correlationId } of created) {
        const mine = ofTask(events, task.id);
        const [first] = mine;
        assert.ok(first && mine.length === 1, `one event for ${task.id}, got ${mine.length}`);
        const { record, event } = first;
        assert.equal(event.specversion, '1.0');
        assert.equal(event.type, TASK_EVENT_TYPES.created);
        assert.equal(event.userid, user.userId);
        assert.equal(event.correlationid, correlationId, 'the request correlation id travels');
        assert.equal(event.data.task.id, task.id);
        assert.equal(record.key, user.userId, 'Kafka message key = user id (Dapr partitionKey)');
        assert.equal(
          record.partition,
          saramaPartition(user.userId, TOPIC_PARTITIONS['task-events']),
          'the partition the key hashes to',
        );
        const set = partitionOf.get(user.userId) ?? new Set<number>();
        set.add(record.partition);
        partitionOf.set(user.userId, set);
      }
      for (const [userId, set] of partitionOf)
        assert.equal(set.size, 1, `all events of ${userId} on one partition (got ${[...set]})`);
      t.diagnostic(
        `partition of each user's events: ${[...partitionOf.values()].map((p) => [...p].join()).join(', ')}`,
      );
      // The same write's snapshot also went to task-updates, for the socket nodes.
      const updates = await topicEvents(stack, TOPICS.taskUpdates);
      for (const { task } of created) assert.ok(ofTask(updates, task.id).length >= 1);
    });

    it('a change reaches socket clients on both socket nodes (Kafka → one node → Redis adapter → the other)', async (t) => {
      const samples: number[] = [];
      for (let i = 0; i < 10; i++) {
        const start = Date.now();
        const task = await alice.createTask({ title: `Live ${i}` });
        const [one, two] = await Promise.all([
          onNode1.waitFor('created on socket-1', (m) => m.taskId === task.id),
          onNode2.waitFor('created on socket-2', (m) => m.taskId === task.id),
        ]);
        samples.push(one.at - start, two.at - start);
        assert.equal(one.message.action, 'created');
        assert.equal(two.message.task.title, `Live ${i}`);
      }
      const latency = summarize(samples);
      results.restWriteToSocketClientMs = latency;
      t.diagnostic(`REST write → socket client latency (ms): ${JSON.stringify(latency)}`);
      note(`REST write → socket client latency (ms): ${JSON.stringify(latency)}`);
      // Bob's socket clients hear nothing of Alice's tasks.
      const bobClient = await RecordingClient.connect(stack.sockets[1].url, bob.token);
      try {
        const task = await alice.createTask({ title: 'Private' });
        await onNode2.waitFor('private created', (m) => m.taskId === task.id);
        // Bob is on the same node, which emits to a room's local sockets in one pass: once a
        // ping round-trips on his connection, anything it was sent before has arrived.
        await bobClient.socket.timeout(10_000).emitWithAck('ping');
        assert.equal(bobClient.forTask(task.id).length, 0);
      } finally {
        bobClient.close();
      }
    });

    it("a shared-list change reaches both users' sockets, on both nodes (#15)", async (t) => {
      const [ada, ben] = await Promise.all([
        signUpUser(stack.api.url, 'Ada'),
        signUpUser(stack.api.url, 'Ben'),
      ]);
      await confirmEmails(stack.databaseUrl, [ben]);
      const asAda = new ApiUser(stack.api.url, ada.userId, ada.token);
      const asBen = new ApiUser(stack.api.url, ben.userId, ben.token);
      const list = (await asAda.call<List>('POST', '/lists', { name: 'Lane groceries' })).body;
      // Ben's tab is open before he joins: accepting must put it in the list's room at once.
      const clients = await Promise.all([
        RecordingClient.connect(stack.sockets[0].url, ada.token),
        RecordingClient.connect(stack.sockets[1].url, ada.token),
        RecordingClient.connect(stack.sockets[1].url, ben.token),
      ]);
      const [adaOn1, adaOn2, benOn2] = clients;
      try {
        const joined = new Promise<MemberUpdateMessage>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error('Ben heard nothing within 20 s')),
            20_000,
          );
          benOn2!.socket.once('member_update', (message) => {
            clearTimeout(timer);
            resolve(message);
          });
        });
        await shareList(stack.api.url, ada, list.id, ben, 'editor');
        const heard = await joined;
        assert.deepEqual([heard.action, heard.member.userId], ['added', ben.userId]);

        const start = Date.now();
        const byAda = await asAda.createTask({ title: 'Lane oat milk', listId: list.id });
        const seen = await Promise.all(
          clients.map((c, i) =>
            c.waitFor(`Ada's task on client ${i}`, (m) => m.taskId === byAda.id),
          ),
        );
        const byBen = await asBen.createTask({ title: 'Lane eggs', listId: list.id });
        await Promise.all(
          clients.map((c, i) =>
            c.waitFor(`Ben's task on client ${i}`, (m) => m.taskId === byBen.id),
          ),
        );
        const latency = summarize(seen.map((r) => r.at - start));
        results.sharedListChangeToMembersMs = latency;
        t.diagnostic(`shared-list change → every member's socket (ms): ${JSON.stringify(latency)}`);
        assert.equal(adaOn1!.forTask(byBen.id)[0]?.message.task.listId, list.id);
        assert.equal(adaOn2!.forTask(byBen.id).length, 1);
      } finally {
        for (const c of clients) c.close();
      }
    });

    it('completing a daily recurring task creates the next instance (task-events → workers → occurrences → api)', async (t) => {
      const samples: number[] = [];
      for (let i = 0; i < 5; i++) {
        const due = new Date(Date.now() + HOUR + i * 60_000);
        due.setUTCSeconds(0, 0);
        const task = await alice.createTask({
          title: `Daily ${i}`,
          dueDate: due.toISOString(),
          recurrence: { frequency: 'daily', maxOccurrences: 30 },
        });
        const start = Date.now();
        const done = await alice.call<{ nextInstance: { scheduledFor: string } | null }>(
          'POST',
          `/tasks/${task.id}/complete`,
        );
        assert.equal(done.status, 200);
        assert.ok(done.body.nextInstance, 'the api announces a next instance');
        const next = await onNode1.waitFor(
          'the next instance on the socket',
          (m) =>
            m.action === 'created' && m.task.seriesId === task.seriesId && m.task.id !== task.id,
          30_000,
        );
        samples.push(next.at - start);
        assert.equal(next.message.task.dueDate, new Date(due.getTime() + DAY).toISOString());
        const instances = await alice.call<Task[] | { items: Task[] }>(
          'GET',
          `/tasks/${task.id}/instances`,
        );
        const list = Array.isArray(instances.body) ? instances.body : instances.body.items;
        assert.equal(list.length, 2, 'exactly two instances of the series');
      }
      const latency = summarize(samples);
      results.completionToNextInstanceMs = latency;
      t.diagnostic(`completion → next instance latency (ms): ${JSON.stringify(latency)}`);
      note(`completion → next instance latency (ms): ${JSON.stringify(latency)}`);
    });

    it('a reminder reaches the user: workers → reminders → api → notifications → both socket nodes, once', async (t) => {
      // Due a minute and two seconds from now, reminded a minute before: it fires in ~2 s.
      const scheduledFor = Date.now() + 2_000;
      const task = await alice.createTask({
        title: 'Through reminders and notifications',
        dueDate: new Date(scheduledFor + 60_000).toISOString(),
        reminderOffset: 1,
      });
      const pushed = (client: RecordingClient) =>
        waitFor(
          'the notification on a socket',
          async () => client.notifications.find((n) => n.notification.taskIds.includes(task.id)),
          30_000,
        );
      const [first, second] = await Promise.all([pushed(onNode1), pushed(onNode2)]);
      assert.equal(first.notification.id, second.notification.id, 'one inbox row, on both nodes');
      const lateness = first.at - (Date.parse(task.reminderAt ?? '') || scheduledFor);
      results.reminderToSocketMs = lateness;
      t.diagnostic(`reminder time → notification on the socket: ${lateness} ms`);
      // Each crossing is one event on its topic, keyed by the user.
      // (The topics also carry delivery reports and status updates of the same row.)
      const fired = (await topicEvents(stack, TOPICS.reminders)).filter(
        (e) =>
          e.event.type === REMINDER_FIRED_TYPE && JSON.stringify(e.event.data).includes(task.id),
      );
      const created = (await topicEvents(stack, TOPICS.notifications)).filter(
        (e) =>
          e.event.type === NOTIFICATION_CREATED_TYPE &&
          JSON.stringify(e.event.data).includes(task.id),
      );
      assert.deepEqual(
        [fired.length, created.length],
        [1, 1],
        'one reminder.fired and one notification.created',
      );
      assert.equal(fired[0]!.record.key, alice.userId);
      assert.equal(created[0]!.record.key, alice.userId);
      const inbox = await alice.call<{ items: { id: string; taskIds: string[] }[] }>(
        'GET',
        '/notifications',
      );
      assert.deepEqual(
        inbox.body.items.filter((n) => n.taskIds.includes(task.id)).map((n) => n.id),
        [first.notification.id],
      );
    });

    it('subscriber endpoints refuse callers without the app API token while the sidecars deliver', async () => {
      const workers = stack.workers as NonNullable<Stack['workers']>;
      const routes = [
        `${workers.url}/events/task-events`,
        `${stack.api.url}/events/reminders`,
        `${stack.api.url}/events/occurrences`,
        `${stack.sockets[0].url}/events/task-updates`,
        `${stack.sockets[1].url}/events/notifications`,
      ];
      for (const url of routes) {
        const anonymous: Record<string, string> = {};
        for (const headers of [anonymous, { 'dapr-api-token': 'not-the-token-of-this-stack' }]) {
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/cloudevents+json', ...headers },
            body: JSON.stringify({ specversion: '1.0', id: 'forged', type: 'x', data: {} }),
          });
          assert.equal(response.status, 401, `${url} ${JSON.stringify(headers)}`);
        }
      }
      assert.equal((await fetch(`${workers.url}/dapr/subscribe`)).status, 401);
      // The sidecars carry the token: a REST change still reaches the bridge and both nodes.
      const bridged = await bridgeCount(stack, TOPICS.taskEvents, 'SUCCESS');
      const task = await alice.createTask({ title: 'Through the authenticated sidecars' });
      await Promise.all([
        onNode1.waitFor('authenticated delivery on socket-1', (m) => m.taskId === task.id),
        onNode2.waitFor('authenticated delivery on socket-2', (m) => m.taskId === task.id),
        waitFor('the bridge to accept the event', async () =>
          (await bridgeCount(stack, TOPICS.taskEvents, 'SUCCESS')) > bridged ? true : undefined,
        ),
      ]);
    });

    it('broker outage: 20 writes succeed while Kafka is down; after it returns each event is delivered exactly once', async (t) => {
      // Let the consumers commit their offsets first (Dapr's Kafka consumer commits about once a
      // second), so what the broker restart redelivers can only be the 20 events themselves.
      await waitFor(
        'every consumer group to have committed all it was given',
        async () => {
          const rows = await stack.kafka.consumerLag();
          return rows.length > 0 && rows.every((row) => row.lag === null || row.lag === 0);
        },
        60_000,
        500,
      );
      const bridgedBefore = await bridgeCount(stack, TOPICS.taskEvents, 'SUCCESS');
      const outageStart = Date.now();
      await stack.kafka.stop();
      note('Kafka stopped');
      const tasks: Task[] = [];
      const due = new Date(Date.now() + 2 * HOUR);
      due.setUTCSeconds(0, 0);
      for (let i = 0; i < 20; i++) {
        // A reminder on each: the workers' side effect to count is its one delayed job.
        const task = await alice.createTask({
          title: `During the outage ${i}`,
          dueDate: due.toISOString(),
          reminderOffset: 15,
        });
        tasks.push(task);
      }
      t.diagnostic(`20 writes accepted in ${Date.now() - outageStart} ms with the broker down`);
      await new Promise((r) => setTimeout(r, 1_000));
      for (const task of tasks) assert.equal(onNode1.forTask(task.id).length, 0, 'nothing flowed');
      const restarted = Date.now();
      await stack.kafka.start(TOPIC_PARTITIONS);
      note(`Kafka restarted in ${Date.now() - restarted} ms`);

      // Every event reaches the socket clients on both nodes…
      for (const client of [onNode1, onNode2])
        await waitFor(
          'the 20 created updates on a socket client',
          () => tasks.every((task) => client.forTask(task.id, 'created').length > 0),
          90_000,
          200,
        );
      const recovered = Date.now() - restarted;
      // …once: nothing arrives twice, give duplicates a moment to show up.
      await new Promise((r) => setTimeout(r, 2_000));
      for (const client of [onNode1, onNode2])
        for (const task of tasks)
          assert.equal(client.forTask(task.id, 'created').length, 1, `${task.id} once`);

      // On the broker: exactly one task.created record per task.
      const events = await topicEvents(stack, TOPICS.taskEvents);
      for (const task of tasks) assert.equal(ofTask(events, task.id).length, 1);

      // In the workers: exactly one delayed reminder job per task (BullMQ, deterministic ids).
      await expectOneReminderJobEach(stack, tasks);
      const bridged = (await bridgeCount(stack, TOPICS.taskEvents, 'SUCCESS')) - bridgedBefore;
      assert.equal(bridged, 20, 'the workers bridge received each of the 20 events once');
      results.brokerOutage = {
        writes: 20,
        recoveryAfterRestartMs: recovered,
        workersBridgedTaskEvents: bridged,
      };
      t.diagnostic(
        `all 20 delivered ${recovered} ms after the broker restart; workers bridged ${bridged} task-events`,
      );
    });

    it('a sidecar restart mid-stream loses nothing (the api publisher, the workers and a socket node)', async (t) => {
      const tasks: Task[] = [];
      const due = new Date(Date.now() + 3 * HOUR);
      due.setUTCSeconds(0, 0);
      const writer = (async () => {
        for (let i = 0; i < 30; i++) {
          tasks.push(
            await alice.createTask({
              title: `Stream ${i}`,
              dueDate: due.toISOString(),
              reminderOffset: 10,
            }),
          );
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      await waitFor('ten writes', () => tasks.length >= 10, 30_000, 20);
      const restart = Date.now();
      const writtenBefore = tasks.length;
      await Promise.all([
        // Down for 1.5 s each: about ten writes land while no sidecar publishes or consumes.
        stack.api.sidecar.restart(1_500),
        stack.sockets[0].sidecar.restart(1_500),
        stack.workers?.sidecar.restart(1_500),
      ]);
      const restartMs = Date.now() - restart;
      const writtenDuring = tasks.length - writtenBefore;
      t.diagnostic(
        `api, workers and socket-1 sidecars restarted in ${restartMs} ms; ${writtenDuring} writes meanwhile`,
      );
      await writer;
      assert.equal(tasks.length, 30, 'every write succeeded');
      for (const client of [onNode1, onNode2])
        await waitFor(
          'the 30 streamed tasks on a socket client',
          () => tasks.every((task) => client.forTask(task.id, 'created').length > 0),
          60_000,
          200,
        );
      const events = await topicEvents(stack, TOPICS.taskEvents);
      for (const task of tasks) assert.ok(ofTask(events, task.id).length >= 1);
      // The workers (their sidecar restarted too) scheduled every reminder, and only once.
      await expectOneReminderJobEach(stack, tasks);
      const duplicates = tasks.filter((task) => onNode2.forTask(task.id, 'created').length > 1);
      results.sidecarRestart = {
        writes: 30,
        restartMs,
        writesDuringRestart: writtenDuring,
        duplicateDeliveriesSeen: duplicates.length,
      };
      t.diagnostic(`no loss; ${duplicates.length} duplicate deliveries seen (at-least-once)`);
    });
  },
);
