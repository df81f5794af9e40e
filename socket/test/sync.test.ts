import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Task, TaskPage, TaskUpdateMessage } from '@todo/contracts';
import { signUpUser, type TestUser } from '@todo/ops/testing';
import { startLiveStack, type LiveStack } from './support/live-stack.js';
import { barrier } from './support/nodes.js';
import { SyncClient } from './support/sync-client.js';
import { nextEvent } from './support/wait.js';

/**
 * The whole path with real parts: REST write → outbox → relay (direct transport) → one socket
 * node → Redis adapter → clients on both nodes. The api delivers through a balancer, as it
 * would reach one replica of the socket app under Dapr.
 */
describe('real-time sync through the api and two nodes', () => {
  let stack: LiveStack;
  let alice: TestUser;
  let bob: TestUser;

  before(async () => {
    stack = await startLiveStack({ database: 'socket' });
    const { baseUrl } = stack.api;
    [alice, bob] = await Promise.all([signUpUser(baseUrl), signUpUser(baseUrl)]);
  });

  after(() => stack?.stop());

  async function syncClient(url: string, user: TestUser): Promise<SyncClient> {
    const sync = await SyncClient.open(stack.api.baseUrl, url, user.token);
    stack.closeOnStop(() => sync.close());
    // Caught up, not just connected: a catch-up still in flight would pick up the changes a
    // test makes next from the feed instead of live.
    await sync.synced();
    return sync;
  }

  it("delivers a REST change to the user's clients on both nodes, and to nobody else", async (t) => {
    const { a, b } = stack;
    const [onA, onB, bobOnA, bobOnB] = await Promise.all([
      stack.connect(a, alice),
      stack.connect(b, alice),
      stack.connect(a, bob),
      stack.connect(b, bob),
    ]);
    const bobGot: TaskUpdateMessage[] = [];
    for (const socket of [bobOnA, bobOnB]) socket.on('task_update', (m) => bobGot.push(m));

    const latencies: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const received = Promise.all([
        nextEvent<TaskUpdateMessage>(onA, 'task_update', 10_000),
        nextEvent<TaskUpdateMessage>(onB, 'task_update', 10_000),
      ]);
      const sent = performance.now();
      const task = await stack.rest<Task>(alice, 'POST', '/tasks', { title: `Buy milk #${i}` });
      const messages = await received;
      latencies.push(performance.now() - sent);
      for (const message of messages) {
        assert.equal(message.action, 'created');
        assert.equal(message.taskId, task.id);
        assert.deepEqual(message.task, task);
        assert.match(message.seq, /^\d+$/);
        assert.equal('userId' in message, false);
      }
    }
    await Promise.all([barrier(bobOnA), barrier(bobOnB)]);
    assert.deepEqual(bobGot, []);

    latencies.sort((x, y) => x - y);
    const at = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
    t.diagnostic(
      `REST write to both tabs (ms, n=${latencies.length}): p50 ${at(0.5).toFixed(1)}, p90 ${at(0.9).toFixed(1)}, max ${at(1).toFixed(1)}`,
    );
  });

  it('a client that was offline while three changes happened gets all three from the change feed', async () => {
    const { a, b } = stack;
    const [offline, witness] = await Promise.all([
      syncClient(a.url, alice),
      syncClient(b.url, alice),
    ]);
    offline.socket.disconnect();

    const created = await stack.rest<Task>(alice, 'POST', '/tasks', { title: 'Call the plumber' });
    const renamed = await stack.rest<Task>(alice, 'PATCH', `/tasks/${created.id}`, {
      title: 'Call the plumber today',
    });
    const completed = await stack.rest<{ task: Task }>(
      alice,
      'POST',
      `/tasks/${created.id}/complete`,
    );
    const actionsOn = (client: SyncClient) =>
      client.applied.filter((c) => c.taskId === created.id).map((c) => c.action);
    // The witness proves the three were published (live) while the other one was away.
    await witness.waitFor(
      () => actionsOn(witness).length === 3,
      'the witness to see three changes',
    );
    assert.equal(actionsOn(offline).length, 0);

    offline.socket.connect();
    await offline.waitFor(
      () => actionsOn(offline).length === 3,
      'the reconnected client to catch up',
    );
    const caughtUp = offline.applied.filter((c) => c.taskId === created.id);
    assert.deepEqual(
      caughtUp.map((c) => [c.action, c.via]),
      [
        ['created', 'feed'],
        ['updated', 'feed'],
        ['completed', 'feed'],
      ],
    );
    assert.deepEqual(offline.tasks.get(created.id), completed.task);
    assert.equal(offline.tasks.get(created.id)?.title, renamed.title);
    assert.deepEqual(offline.tasks, witness.tasks);
    assert.equal(offline.cursorValue, witness.cursorValue);
  });

  it('killing one node moves its clients to the other, where they catch up and continue', async (t) => {
    const { a, b, balancer } = stack;
    // Through the balancer, like browsers through the ingress.
    const first = await syncClient(balancer.url, alice);
    const second = await syncClient(balancer.url, alice);
    const victim = a.holds(first.socket.id) ? a : b;
    const survivor = victim === a ? b : a;
    assert.ok(victim.holds(first.socket.id));

    const reconnected = nextEvent(first.socket, 'connection_ack', 15_000);
    const stoppedAt = performance.now();
    await victim.stop();
    // Written while the client has no node: it can only learn of it from the feed or a late push.
    const whileAway = await stack.rest<Task>(alice, 'POST', '/tasks', {
      title: 'Written during failover',
    });
    await reconnected;
    t.diagnostic(
      `reconnected to the other node after ${(performance.now() - stoppedAt).toFixed(0)} ms`,
    );
    assert.ok(survivor.holds(first.socket.id), 'the client is now on the surviving node');
    // Its catch-up on the survivor must be done before the next write, or that write may be
    // read from the feed by the catch-up rather than pushed live.
    await first.synced();

    const after = await stack.rest<Task>(alice, 'POST', '/tasks', {
      title: 'Written after failover',
    });
    for (const sync of [first, second]) {
      await sync.waitFor(
        () => sync.tasks.has(whileAway.id) && sync.tasks.has(after.id),
        'both changes on every client',
        15_000,
      );
    }
    assert.equal(first.applied.find((c) => c.taskId === after.id)?.via, 'live');
    const truth = await stack.rest<TaskPage>(alice, 'GET', '/tasks?limit=200');
    assert.deepEqual([...first.tasks.keys()].sort(), truth.items.map((task) => task.id).sort());
  });
});
