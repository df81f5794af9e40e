import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import {
  DAPR_STATUS,
  LIST_CHANGED_TYPE,
  MEMBER_CHANGED_TYPE,
  listRoom,
  type ListUpdateMessage,
  type MemberUpdateMessage,
  type Notification,
  type TaskUpdateMessage,
} from '@todo/contracts';
import { notificationCreatedEvent, taskChangedEvent } from './support/events.js';
import { startLocalIssuer, type LocalIssuer } from './support/local-issuer.js';
import {
  barrier,
  connected,
  startNode,
  uniqueAdapterKey,
  type Client,
  type RunningNode,
} from './support/nodes.js';
import { nextEvent } from './support/wait.js';

describe('task-updates subscriber across two nodes', () => {
  let issuer: LocalIssuer;
  let a: RunningNode;
  let b: RunningNode;
  const adapterKey = uniqueAdapterKey();
  const clients: Client[] = [];

  before(async () => {
    issuer = await startLocalIssuer();
    const settings = { jwksUrl: issuer.jwksUrl, issuer: issuer.issuer, adapterKey };
    [a, b] = await Promise.all([startNode(settings), startNode(settings)]);
  });

  after(async () => {
    for (const client of clients) client.close();
    await Promise.all([a.stop(), b.stop()]);
    await issuer.close();
  });

  async function client(node: RunningNode, userId: string): Promise<Client> {
    const socket = await connected(node.url, await issuer.sign({ sub: userId }));
    clients.push(socket);
    return socket;
  }

  const deliver = (
    node: RunningNode,
    body: unknown,
    contentType = 'application/cloudevents+json',
  ) =>
    fetch(`${node.url}/events/task-updates`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('declares its task-updates and notifications subscriptions to Dapr', async () => {
    const response = await fetch(`${a.url}/dapr/subscribe`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), [
      {
        pubsubname: 'pubsub',
        topic: 'task-updates',
        route: '/events/task-updates',
        bulkSubscribe: { enabled: true, maxMessagesCount: 100, maxAwaitDurationMs: 10 },
      },
      { pubsubname: 'pubsub', topic: 'notifications', route: '/events/notifications' },
    ]);
  });

  it("emits an event delivered to one node to the owner's clients on every node, and only to them", async () => {
    const [onA, onB, strangerOnA, strangerOnB] = await Promise.all([
      client(a, 'alice'),
      client(b, 'alice'),
      client(a, 'bob'),
      client(b, 'bob'),
    ]);
    const strangerGot: unknown[] = [];
    strangerOnA.on('task_update', (m) => strangerGot.push(m));
    strangerOnB.on('task_update', (m) => strangerGot.push(m));

    const event = taskChangedEvent('alice');
    const received = Promise.all([
      nextEvent<TaskUpdateMessage>(onA, 'task_update'),
      nextEvent<TaskUpdateMessage>(onB, 'task_update'),
    ]);
    const response = await deliver(a, event);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: DAPR_STATUS.success });

    const expected: Record<string, unknown> = { ...event.data };
    delete expected.userId;
    for (const message of await received) assert.deepEqual(message, expected);
    await Promise.all([barrier(strangerOnA), barrier(strangerOnB)]);
    assert.deepEqual(strangerGot, []);
  });

  it("emits a list change as list_update to the owner's clients only", async () => {
    const [onA, onB, stranger] = await Promise.all([
      client(a, 'erin'),
      client(b, 'erin'),
      client(b, 'frank'),
    ]);
    const strangerGot: unknown[] = [];
    stranger.on('list_update', (m) => strangerGot.push(m));
    const listId = randomUUID();
    const event = {
      ...taskChangedEvent('erin'),
      type: LIST_CHANGED_TYPE,
      subject: `lists/${listId}`,
      data: {
        action: 'updated',
        listId,
        userId: 'erin',
        list: { id: listId, userId: 'erin', name: 'Groceries' },
        changedFields: ['name'],
        seq: '43',
        timestamp: new Date().toISOString(),
      },
    };
    const received = Promise.all([
      nextEvent<ListUpdateMessage>(onA, 'list_update'),
      nextEvent<ListUpdateMessage>(onB, 'list_update'),
    ]);
    const response = await deliver(a, event);
    assert.deepEqual(await response.json(), { status: DAPR_STATUS.success });
    const { userId: _, ...expected } = event.data;
    for (const message of await received) assert.deepEqual(message, expected);
    // A list change naming another owner than its envelope is dropped.
    const forged = await deliver(a, { ...event, userid: 'frank' });
    assert.deepEqual(await forged.json(), { status: DAPR_STATUS.drop });
    await barrier(stranger);
    assert.deepEqual(strangerGot, []);
  });

  it("emits a member change to the list's room and to the member's own clients, nobody else", async () => {
    const listId = randomUUID();
    const [ownerOnA, joinerOnA, joinerOnB, stranger] = await Promise.all([
      client(a, 'gina'),
      client(a, 'hal'),
      client(b, 'hal'),
      client(b, 'ivy'),
    ]);
    // Gina's tab sits in the list's room (as the api's emitter puts it); Hal's do not yet.
    a.node.io.in(ownerOnA.id!).socketsJoin(listRoom(listId));
    const strangerGot: unknown[] = [];
    stranger.on('member_update', (m) => strangerGot.push(m));
    const event = {
      ...taskChangedEvent('gina'),
      type: MEMBER_CHANGED_TYPE,
      subject: `lists/${listId}/members/hal`,
      data: {
        action: 'added',
        listId,
        userId: 'gina',
        member: {
          listId,
          userId: 'hal',
          name: 'Hal',
          email: 'hal@example.com',
          role: 'editor',
          joinedAt: new Date().toISOString(),
        },
        timestamp: new Date().toISOString(),
      },
    };
    const received = Promise.all(
      [ownerOnA, joinerOnA, joinerOnB].map((c) =>
        nextEvent<MemberUpdateMessage>(c, 'member_update'),
      ),
    );
    const response = await deliver(b, event);
    assert.deepEqual(await response.json(), { status: DAPR_STATUS.success });
    const { userId: _, ...expected } = event.data;
    for (const message of await received) assert.deepEqual(message, expected);
    const forged = await deliver(a, { ...event, userid: 'ivy' });
    assert.deepEqual(await forged.json(), { status: DAPR_STATUS.drop });
    await barrier(stranger);
    assert.deepEqual(strangerGot, []);
  });

  it('drops what it can never handle, so the broker does not redeliver it forever', async () => {
    const cases: [string, unknown, string?][] = [
      ['no envelope', { hello: 'world' }],
      ['another event type', { ...taskChangedEvent('alice'), type: 'com.todo.task.created' }],
      ['invalid data', { ...taskChangedEvent('alice'), data: { action: 'exploded' } }],
      ['owner mismatch', { ...taskChangedEvent('alice'), userid: 'mallory' }],
      ['not JSON', '{"specversion":', 'application/cloudevents+json'],
    ];
    for (const [what, body, type] of cases) {
      const response = await deliver(b, body, type);
      assert.equal(response.status, 200, what);
      assert.deepEqual(await response.json(), { status: DAPR_STATUS.drop }, what);
    }
    const metrics = await (await fetch(`${b.url}/metrics`)).text();
    assert.match(
      metrics,
      /socket_received_events_total\{topic="task-updates",status="DROP",service="socket"\} 5/,
    );
  });

  it("pushes a notification delivered on notifications to the owner's clients on every node", async () => {
    const [onA, onB, stranger] = await Promise.all([
      client(a, 'carol'),
      client(b, 'carol'),
      client(b, 'dan'),
    ]);
    const strangerGot: unknown[] = [];
    stranger.on('notification', (m) => strangerGot.push(m));
    const event = notificationCreatedEvent('carol');
    const received = Promise.all([
      nextEvent<Notification>(onA, 'notification'),
      nextEvent<Notification>(onB, 'notification'),
    ]);
    const response = await fetch(`${a.url}/events/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify(event),
    });
    assert.deepEqual(await response.json(), { status: DAPR_STATUS.success });
    for (const message of await received) assert.deepEqual(message, event.data);
    // One that names another owner than its envelope is dropped, never pushed.
    const forged = { ...notificationCreatedEvent('carol'), userid: 'dan' };
    const refused = await fetch(`${b.url}/events/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify(forged),
    });
    assert.deepEqual(await refused.json(), { status: DAPR_STATUS.drop });
    await barrier(stranger);
    assert.deepEqual(strangerGot, []);
  });

  it("takes a bulk delivery: each entry to its owner's clients on every node, in order, with a status per entry", async () => {
    const [onA, onB] = await Promise.all([client(a, 'gina'), client(b, 'gina')]);
    // Resolves with the seq of the first three task_updates the client receives.
    const three = (socket: Client) =>
      new Promise<number[]>((resolve) => {
        const got: number[] = [];
        socket.on('task_update', (m: TaskUpdateMessage) => {
          got.push(Number(m.seq));
          if (got.length === 3) resolve(got);
        });
      });
    const received = Promise.all([three(onA), three(onB)]);
    const events = [1, 2, 3].map((n) => taskChangedEvent('gina', { seq: String(n) }));
    const forged = { ...taskChangedEvent('gina'), userid: 'mallory' };
    const entries = [events[0], forged, events[1], events[2]].map((event) => ({
      entryId: event!.id,
      event,
      contentType: 'application/cloudevents+json',
    }));
    const response = await deliver(b, { entries }, 'application/cloudevents-batch+json');
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {
      statuses: [
        { entryId: events[0]!.id, status: DAPR_STATUS.success },
        { entryId: forged.id, status: DAPR_STATUS.drop },
        { entryId: events[1]!.id, status: DAPR_STATUS.success },
        { entryId: events[2]!.id, status: DAPR_STATUS.success },
      ],
    });
    const [gotA, gotB] = await received;
    assert.deepEqual(gotA, [1, 2, 3], 'every change in order on the other node');
    assert.deepEqual(gotB, [1, 2, 3], 'every change in order on the node it was delivered to');
  });

  it('reports health, readiness and metrics', async () => {
    const health = await fetch(`${a.url}/health`);
    assert.deepEqual(await health.json(), { status: 'ok', service: 'socket' });
    const ready = await fetch(`${a.url}/health/ready`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), {
      status: 'ready',
      checks: { redis: 'up', adapter: 'up' },
    });
    const metrics = await (await fetch(`${a.url}/metrics`)).text();
    assert.match(metrics, /socket_connected_sockets\{service="socket"\} [1-9]/);
    assert.match(
      metrics,
      /socket_emitted_messages_total\{event="task_update",service="socket"\} 1/,
    );
    assert.match(metrics, /socket_event_lag_seconds_count\{service="socket"\} 1/);
  });

  it("closes its clients' transports on stop, so they reconnect on their own", async () => {
    const settings = { jwksUrl: issuer.jwksUrl, issuer: issuer.issuer, adapterKey };
    const leaving = await startNode(settings);
    const socket = await client(leaving, 'dave');
    const closed = nextEvent<string>(socket, 'disconnect');
    const stopping = leaving.stop();
    // "transport close", not "io server disconnect": the client reconnects on its own.
    assert.equal(await closed, 'transport close');
    assert.equal(socket.active, true);
    await stopping;
  });
});
