import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  listRoom,
  type List,
  type ListMember,
  type ListUpdateMessage,
  type MemberUpdateMessage,
  type Notification,
  type Task,
  type TaskUpdateMessage,
} from '@todo/contracts';
import { confirmEmails, shareList, signUpUser, type TestUser } from '@todo/ops/testing';
import { notificationCreatedEvent } from './support/events.js';
import { startLiveStack, type LiveStack } from './support/live-stack.js';
import { barrier, type Client, type RunningNode } from './support/nodes.js';
import { nextEvent, until } from './support/wait.js';

const EVENTS = ['task_update', 'list_update', 'member_update', 'notification'] as const;
type EventName = (typeof EVENTS)[number];

/** Every server -> client event one socket received, by name, as the payloads' JSON. */
class Recorder {
  readonly got: { event: EventName; json: string }[] = [];
  constructor(readonly socket: Client) {
    for (const event of EVENTS)
      (socket as unknown as { on(e: string, l: (m: unknown) => void): void }).on(event, (m) =>
        this.got.push({ event, json: JSON.stringify(m) }),
      );
  }
  /** What it received that mentions `needle` (a list id, a title). */
  about(needle: string): string[] {
    return this.got.filter((g) => g.json.includes(needle)).map((g) => g.event);
  }
}

/**
 * A list shared by several people, with real parts: the api (REST, outbox, relay through the
 * direct transport, the Redis emitter that moves sockets between rooms), two socket nodes on one
 * Redis adapter, and clients of each user on both nodes. Ada owns "Groceries"; Bob edits it,
 * Vic views it, Rex is removed from it, Eve is never in it.
 */
describe('a shared list, live for every member and nobody else', () => {
  let stack: LiveStack;
  let a: RunningNode;
  let b: RunningNode;
  let ada: TestUser;
  let bob: TestUser;
  let vic: TestUser;
  let rex: TestUser;
  let eve: TestUser;
  let list: List;

  before(async () => {
    stack = await startLiveStack({ database: 'rooms', apiMovesSockets: true });
    ({ a, b } = stack);
    const signUp = (name: string) => signUpUser(stack.api.baseUrl, name);
    [ada, bob, vic, rex, eve] = await Promise.all([
      signUp('Ada'),
      signUp('Bob'),
      signUp('Vic'),
      signUp('Rex'),
      signUp('Eve'),
    ]);
    await confirmEmails(stack.databaseUrl, [bob, vic, rex, eve]);
    list = await stack.rest<List>(ada, 'POST', '/lists', { name: 'Groceries' });
  });

  after(() => stack?.stop());

  const tab = async (node: RunningNode, user: TestUser) =>
    new Recorder(await stack.connect(node, user));

  const inRoom = (node: RunningNode, socket: Client, room: string) =>
    node.node.io
      .of('/')
      .adapter.rooms.get(room)
      ?.has(socket.id ?? '') ?? false;

  /** Everything the nodes wrote to these sockets before now has arrived (ping round trip). */
  const settle = (...tabs: Recorder[]) => Promise.all(tabs.map((t) => barrier(t.socket)));

  let adaOnA: Recorder;
  let adaOnB: Recorder;
  let bobOnB: Recorder;
  let vicOnA: Recorder;
  let rexOnA: Recorder;
  let rexOnB: Recorder;
  let eveOnA: Recorder;
  let eveOnB: Recorder;

  it("a member added hears it, and their open sockets get the list's changes at once", async () => {
    [adaOnA, adaOnB, bobOnB, vicOnA, rexOnA, rexOnB, eveOnA, eveOnB] = await Promise.all([
      tab(a, ada),
      tab(b, ada),
      tab(b, bob),
      tab(a, vic),
      tab(a, rex),
      tab(b, rex),
      tab(a, eve),
      tab(b, eve),
    ]);
    // Bob's socket connected before he was a member: nothing put it in the list's room yet.
    assert.equal(inRoom(b, bobOnB.socket, listRoom(list.id)), false);

    const bobHears = nextEvent<MemberUpdateMessage>(bobOnB.socket, 'member_update');
    const adaHears = nextEvent<MemberUpdateMessage>(adaOnA.socket, 'member_update');
    await shareList(stack.api.baseUrl, ada, list.id, bob, 'editor');
    for (const heard of await Promise.all([bobHears, adaHears])) {
      assert.equal(heard.action, 'added');
      assert.equal(heard.listId, list.id);
      assert.deepEqual([heard.member.userId, heard.member.role], [bob.userId, 'editor']);
      assert.equal('userId' in heard, false, 'the envelope owner is not passed on');
    }
    for (const member of [vic, rex])
      await shareList(stack.api.baseUrl, ada, list.id, member, 'editor');

    // Ada writes on the list (user A): Bob's socket (user B, other node, never reconnected) and
    // Ada's other tab get it.
    const received = Promise.all(
      [bobOnB, adaOnB, vicOnA, rexOnA].map((t) =>
        nextEvent<TaskUpdateMessage>(t.socket, 'task_update'),
      ),
    );
    const task = await stack.rest<Task>(ada, 'POST', '/tasks', {
      title: 'Oat milk',
      listId: list.id,
    });
    for (const message of await received) {
      assert.equal(message.taskId, task.id);
      assert.equal(message.task.listId, list.id);
    }
  });

  it("B's change reaches A's tabs on both nodes, and a role change to viewer is live", async () => {
    const adaGets = [adaOnA, adaOnB].map((t) =>
      nextEvent<TaskUpdateMessage>(t.socket, 'task_update'),
    );
    const made = await stack.rest<Task>(bob, 'POST', '/tasks', { title: 'Eggs', listId: list.id });
    for (const message of await Promise.all(adaGets)) assert.equal(message.taskId, made.id);

    const roleSeen = [bobOnB, adaOnA, vicOnA].map((t) =>
      nextEvent<MemberUpdateMessage>(t.socket, 'member_update'),
    );
    await stack.rest<ListMember>(ada, 'PATCH', `/lists/${list.id}/members/${bob.userId}`, {
      role: 'viewer',
    });
    for (const heard of await Promise.all(roleSeen)) {
      assert.equal(heard.action, 'updated');
      assert.deepEqual([heard.member.userId, heard.member.role], [bob.userId, 'viewer']);
    }

    // A viewer still reads, live and over REST, but every write is refused.
    const bobReads = nextEvent<TaskUpdateMessage>(bobOnB.socket, 'task_update');
    const renamed = await stack.rest<Task>(ada, 'PATCH', `/tasks/${made.id}`, {
      title: 'Free-range eggs',
    });
    assert.equal((await bobReads).task.title, renamed.title);
    assert.equal((await stack.call(bob, 'GET', `/tasks/${made.id}`)).status, 200);
    for (const [method, path, body] of [
      ['POST', '/tasks', { title: 'Chocolate', listId: list.id }],
      ['PATCH', `/tasks/${made.id}`, { title: 'Chocolate eggs' }],
      ['POST', `/tasks/${made.id}/complete`, undefined],
      ['DELETE', `/tasks/${made.id}`, undefined],
    ] as const) {
      const refused = await stack.call(bob, method, path, body);
      assert.equal(refused.status, 403, `${method} ${path} by a viewer`);
      await refused.body?.cancel();
    }
  });

  it('a removed member leaves the room within the second; they and strangers hear nothing after', async (t) => {
    const removedAt = performance.now();
    const rexHears = [rexOnA, rexOnB].map((r) =>
      nextEvent<MemberUpdateMessage>(r.socket, 'member_update'),
    );
    await stack.rest<undefined>(ada, 'DELETE', `/lists/${list.id}/members/${rex.userId}`);
    // Both of Rex's sockets, one per node, are out of the list's room (no event announces it).
    await until(
      () =>
        !inRoom(a, rexOnA.socket, listRoom(list.id)) &&
        !inRoom(b, rexOnB.socket, listRoom(list.id)),
      "Rex's sockets to leave the list's room",
      1_000,
    );
    const left = performance.now() - removedAt;
    for (const heard of await Promise.all(rexHears)) {
      assert.equal(heard.action, 'removed');
      assert.equal(heard.member.userId, rex.userId);
    }
    t.diagnostic(`removed member out of the list's room ${left.toFixed(0)} ms after the request`);
    assert.ok(left < 1_000, `left the room after ${left.toFixed(0)} ms`);
    await until(
      () => [rexOnA, rexOnB].every((r) => r.got.some((g) => g.json.includes('access_revoked'))),
      "Rex's tabs to be told to drop the list (access_revoked, to him alone)",
    );

    // From here on, every kind of event about the list: Rex and Eve must receive none of them.
    const before = [rexOnA, rexOnB, eveOnA, eveOnB].map((r) => r.got.length);
    const witnesses = [adaOnA, adaOnB, vicOnA, bobOnB];
    const taskSeen = witnesses.map((w) => nextEvent<TaskUpdateMessage>(w.socket, 'task_update'));
    const secret = await stack.rest<Task>(ada, 'POST', '/tasks', {
      title: 'Surprise cake',
      listId: list.id,
    });
    await Promise.all(taskSeen);
    const listSeen = witnesses.map((w) => nextEvent<ListUpdateMessage>(w.socket, 'list_update'));
    await stack.rest<List>(ada, 'PATCH', `/lists/${list.id}`, { name: 'Party groceries' });
    await Promise.all(listSeen);
    const memberSeen = witnesses.map((w) =>
      nextEvent<MemberUpdateMessage>(w.socket, 'member_update'),
    );
    await stack.rest<ListMember>(ada, 'PATCH', `/lists/${list.id}/members/${vic.userId}`, {
      role: 'viewer',
    });
    await Promise.all(memberSeen);
    // A notification is its user's alone, even among members of one list (as the api publishes
    // it from the workers' reminder.fired).
    const notified = [adaOnA, adaOnB].map((w) => nextEvent<Notification>(w.socket, 'notification'));
    const delivered = await fetch(`${a.url}/events/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify(notificationCreatedEvent(ada.userId)),
    });
    assert.equal(delivered.status, 200);
    await Promise.all(notified);

    // The witnesses on both nodes got all four; whatever the nodes wrote to Rex and Eve by
    // then has arrived after a ping round trip.
    await settle(rexOnA, rexOnB, eveOnA, eveOnB, bobOnB, vicOnA);
    const after = [rexOnA, rexOnB, eveOnA, eveOnB].map((r) => r.got.length);
    assert.deepEqual(after, before, 'the removed member and the stranger received nothing');
    for (const other of [bobOnB, vicOnA, rexOnA, eveOnA])
      assert.deepEqual(
        other.got.filter((g) => g.event === 'notification'),
        [],
        "another member's notification",
      );
    for (const r of [rexOnA, rexOnB, eveOnA, eveOnB])
      assert.deepEqual(r.about(secret.title), [], 'a title of the list leaked');

    // And over REST, the list is as unknown to Rex as to Eve.
    for (const outsider of [rex, eve]) {
      const refused = await stack.call(outsider, 'GET', `/tasks/${secret.id}`);
      assert.equal(refused.status, 404);
      assert.ok(!(await refused.text()).includes(secret.title));
    }
  });

  it("the stranger's own sockets never got anything about the list, from the start", async () => {
    await settle(eveOnA, eveOnB);
    for (const r of [eveOnA, eveOnB]) assert.deepEqual(r.about(list.id), []);
    // Nor did they ever sit in its room.
    assert.equal(inRoom(a, eveOnA.socket, listRoom(list.id)), false);
    assert.equal(inRoom(b, eveOnB.socket, listRoom(list.id)), false);
  });
});
