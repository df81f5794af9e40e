import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DAPR_APP_TOKEN_HEADER, type TaskUpdateMessage } from '@todo/contracts';
import { taskChangedEvent } from './support/events.js';
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

const TOKEN = 'app-api-token-for-the-socket-test';

describe('task-updates subscriber behind the Dapr app API token', () => {
  let issuer: LocalIssuer;
  let node: RunningNode;
  const clients: Client[] = [];

  before(async () => {
    issuer = await startLocalIssuer();
    node = await startNode({
      jwksUrl: issuer.jwksUrl,
      issuer: issuer.issuer,
      adapterKey: uniqueAdapterKey(),
      appApiToken: TOKEN,
    });
  });

  after(async () => {
    for (const client of clients) client.close();
    await node.stop();
    await issuer.close();
  });

  const headers = (token: string | undefined): Record<string, string> =>
    token === undefined ? {} : { [DAPR_APP_TOKEN_HEADER]: token };

  const deliver = (body: unknown, token: string | undefined) =>
    fetch(`${node.url}/events/task-updates`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json', ...headers(token) },
      body: JSON.stringify(body),
    });

  it('refuses deliveries and the subscription list without the token or with a wrong one, emitting nothing', async () => {
    const client = await connected(node.url, await issuer.sign({ sub: 'carol' }));
    clients.push(client);
    const got: TaskUpdateMessage[] = [];
    client.on('task_update', (m) => got.push(m));
    for (const token of [undefined, '', 'wrong-token-of-the-same-size-xxx', `${TOKEN}x`]) {
      const response = await deliver(taskChangedEvent('carol'), token);
      assert.equal(response.status, 401, `with ${String(token)}`);
      assert.deepEqual(await response.json(), {
        error: 'UNAUTHENTICATED',
        message: 'the dapr-api-token header is missing or wrong',
      });
      const list = await fetch(`${node.url}/dapr/subscribe`, { headers: headers(token) });
      assert.equal(list.status, 401);
    }
    await barrier(client);
    assert.deepEqual(got, []);
  });

  it('accepts them with the token and emits to the owner', async () => {
    const client = await connected(node.url, await issuer.sign({ sub: 'dave' }));
    clients.push(client);
    const event = taskChangedEvent('dave');
    const received = nextEvent<TaskUpdateMessage>(client, 'task_update');
    const response = await deliver(event, TOKEN);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'SUCCESS' });
    assert.equal((await received).taskId, event.data.taskId);
    const list = await fetch(`${node.url}/dapr/subscribe`, { headers: headers(TOKEN) });
    assert.equal(list.status, 200);
    assert.deepEqual(await list.json(), [
      {
        pubsubname: 'pubsub',
        topic: 'task-updates',
        route: '/events/task-updates',
        bulkSubscribe: { enabled: true, maxMessagesCount: 100, maxAwaitDurationMs: 10 },
      },
      { pubsubname: 'pubsub', topic: 'notifications', route: '/events/notifications' },
    ]);
  });

  it('leaves health, readiness and metrics open', async () => {
    for (const path of ['/health', '/health/ready', '/metrics']) {
      assert.equal((await fetch(`${node.url}${path}`)).status, 200, path);
    }
  });
});
