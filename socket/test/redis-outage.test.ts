import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { DAPR_STATUS, type TaskUpdateMessage } from '@todo/contracts';
import { freePort } from '@todo/ops/testing';
import { taskChangedEvent } from './support/events.js';
import { startRedisServer, stopChild } from './support/redis-server.js';
import { startLocalIssuer, type LocalIssuer } from './support/local-issuer.js';
import {
  barrier,
  connected,
  startNode,
  uniqueAdapterKey,
  type Client,
  type RunningNode,
} from './support/nodes.js';
import { nextEvent, until } from './support/wait.js';

describe('Redis outage', () => {
  let issuer: LocalIssuer;
  let redisPort: number;
  let redis: ChildProcess | null = null;
  let a: RunningNode;
  let b: RunningNode;
  const clients: Client[] = [];

  before(async () => {
    issuer = await startLocalIssuer();
    redisPort = await freePort();
    redis = await startRedisServer(redisPort);
    const settings = {
      jwksUrl: issuer.jwksUrl,
      issuer: issuer.issuer,
      adapterKey: uniqueAdapterKey(),
      redisUrl: `redis://127.0.0.1:${redisPort}`,
    };
    [a, b] = await Promise.all([startNode(settings), startNode(settings)]);
  });

  after(async () => {
    for (const client of clients) client.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await stopChild(redis);
    await issuer.close();
  });

  const ready = async (node: RunningNode) => (await fetch(`${node.url}/health/ready`)).status;
  const deliver = (node: RunningNode, body: unknown) =>
    fetch(`${node.url}/events/task-updates`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify(body),
    });

  it('turns not-ready and asks for redelivery while Redis is down, then recovers', async () => {
    const [onA, onB] = await Promise.all([
      connected(a.url, await issuer.sign({ sub: 'erin' })),
      connected(b.url, await issuer.sign({ sub: 'erin' })),
    ]);
    clients.push(onA, onB);

    await stopChild(redis);
    redis = null;
    await until(async () => (await ready(a)) === 503, 'node A to turn not-ready');
    const body = (await (await fetch(`${a.url}/health/ready`)).json()) as {
      checks: { redis: string };
    };
    assert.equal(body.checks.redis, 'down');

    const refused = await deliver(a, taskChangedEvent('erin'));
    assert.equal(refused.status, 503);
    assert.deepEqual(await refused.json(), { status: DAPR_STATUS.retry });
    // Connected clients stay connected: the node itself is fine, only fan-out waits.
    await Promise.all([barrier(onA), barrier(onB)]);

    redis = await startRedisServer(redisPort);
    await until(
      async () => (await ready(a)) === 200 && (await ready(b)) === 200,
      'both nodes ready again',
      15_000,
    );
    // The redelivery now reaches the other node too: its subscription came back.
    const redelivery = taskChangedEvent('erin');
    const received = nextEvent<TaskUpdateMessage>(onB, 'task_update');
    const accepted = await deliver(a, redelivery);
    assert.deepEqual(await accepted.json(), { status: DAPR_STATUS.success });
    assert.equal((await received).taskId, redelivery.data.taskId);
  });
  it(
    'stops promptly while Redis is down, still sending its clients elsewhere',
    { timeout: 10_000 },
    async () => {
      const onA = await connected(a.url, await issuer.sign({ sub: 'gina' }));
      clients.push(onA);
      await stopChild(redis);
      redis = null;
      await until(async () => (await ready(a)) === 503, 'node A to notice');
      const dropped = nextEvent<string>(onA, 'disconnect');
      await a.stop();
      assert.equal(await dropped, 'transport close');
    },
  );
});
