import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AuthRefreshReply, ConnectionAck, TaskUpdateMessage } from '@todo/contracts';
import { taskChangedEvent } from './support/events.js';
import { startLocalIssuer, type LocalIssuer } from './support/local-issuer.js';
import {
  barrier,
  connectClient,
  startNode,
  uniqueAdapterKey,
  type Client,
  type RunningNode,
} from './support/nodes.js';
import { nextEvent } from './support/wait.js';

describe('auth:refresh moves a live connection to a fresh token of the same user', () => {
  let issuer: LocalIssuer;
  let a: RunningNode;
  let b: RunningNode;
  const clients: Client[] = [];

  before(async () => {
    issuer = await startLocalIssuer();
    const settings = {
      jwksUrl: issuer.jwksUrl,
      issuer: issuer.issuer,
      adapterKey: uniqueAdapterKey(),
    };
    [a, b] = await Promise.all([startNode(settings), startNode(settings)]);
  });

  after(async () => {
    for (const client of clients) client.close();
    await Promise.all([a.stop(), b.stop()]);
    await issuer.close();
  });

  /** Connects to `node` with `token`; resolves with the client and its connection_ack. */
  async function open(node: RunningNode, token: string) {
    const client = connectClient(node.url, token);
    clients.push(client);
    const ack = await nextEvent<ConnectionAck>(client, 'connection_ack');
    return { client, ack };
  }

  const refresh = (client: Client, request: unknown): Promise<AuthRefreshReply> =>
    // The wire accepts anything; the typed emit would refuse the malformed requests tested here.
    (client as unknown as { timeout(ms: number): Client })
      .timeout(5_000)
      .emitWithAck('auth:refresh', request as { token: string });

  const deliver = (node: RunningNode, body: unknown) =>
    fetch(`${node.url}/events/task-updates`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify(body),
    });

  it('a connection refreshed before its token expires stays connected past that expiry', async () => {
    // `exp` has second resolution: this token lives between one and two seconds.
    const short = await issuer.sign({ sub: 'erin', expiresInSeconds: 2 });
    const refreshed = await open(a, short);
    // Same token, same node, never refreshed: its end marks the original deadline.
    const control = await open(a, short);
    assert.equal(refreshed.ack.expiresAt, control.ack.expiresAt);

    const reply = await refresh(refreshed.client, {
      token: await issuer.sign({ sub: 'erin', expiresInSeconds: 600 }),
    });
    assert.equal(reply.ok, true);
    assert.ok(reply.ok && Date.parse(reply.expiresAt) > Date.parse(refreshed.ack.expiresAt));

    assert.equal(
      await nextEvent<string>(control.client, 'disconnect', 5_000),
      'io server disconnect',
    );
    await barrier(refreshed.client);
    assert.equal(refreshed.client.connected, true);
    assert.equal(a.holds(refreshed.client.id), true);
    // Still in its room: an update delivered to the other node reaches it.
    const event = taskChangedEvent('erin');
    const received = nextEvent<TaskUpdateMessage>(refreshed.client, 'task_update');
    assert.equal((await deliver(b, event)).status, 200);
    assert.equal((await received).taskId, event.data.taskId);
    assert.equal(refreshed.client.connected, true);
  });

  it("refuses another user's, forged, expired and malformed tokens, and the connection ends at its old deadline", async () => {
    const { client } = await open(b, await issuer.sign({ sub: 'frank', expiresInSeconds: 2 }));
    const mallory = await open(a, await issuer.sign({ sub: 'mallory' }));
    const got: TaskUpdateMessage[] = [];
    client.on('task_update', (m) => got.push(m));

    const cases: [unknown, string][] = [
      [{ token: await issuer.sign({ sub: 'mallory', expiresInSeconds: 600 }) }, 'USER_MISMATCH'],
      [{ token: await issuer.sign({ sub: 'frank', key: 'forged' }) }, 'UNAUTHENTICATED'],
      [{ token: await issuer.sign({ sub: 'frank', expiresInSeconds: -5 }) }, 'TOKEN_EXPIRED'],
      [{ token: 'not-a-jwt' }, 'UNAUTHENTICATED'],
      [{}, 'VALIDATION_FAILED'],
      [{ token: 42 }, 'VALIDATION_FAILED'],
    ];
    for (const [request, code] of cases) {
      const reply = await refresh(client, request);
      assert.equal(reply.ok, false, JSON.stringify(request));
      assert.equal(!reply.ok && reply.error.code, code, JSON.stringify(request));
    }
    const invalid = await refresh(client, {});
    assert.match(!invalid.ok ? invalid.error.message : '', /"token" is required/);

    // The refused token never moved the connection into mallory's room.
    const event = taskChangedEvent('mallory');
    const forMallory = nextEvent<TaskUpdateMessage>(mallory.client, 'task_update');
    assert.equal((await deliver(a, event)).status, 200);
    await forMallory;
    await barrier(client);
    assert.deepEqual(got, []);

    assert.equal(await nextEvent<string>(client, 'disconnect', 5_000), 'io server disconnect');
    const metrics = await (await fetch(`${b.url}/metrics`)).text();
    assert.match(
      metrics,
      /socket_token_refreshes_total\{outcome="USER_MISMATCH",service="socket"\} 1/,
    );
  });
});
