import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DAPR_STATUS, SOCKET_ADAPTER_KEY, type TaskUpdateMessage } from '@todo/contracts';
import { freePort, waitUntilReady } from '@todo/ops/testing';
import { startBalancer, type Balancer } from './support/balancer.js';
import { taskChangedEvent } from './support/events.js';
import { startLocalIssuer, type LocalIssuer } from './support/local-issuer.js';
import { connectClient, startNode, type Client, type RunningNode } from './support/nodes.js';
import { startRedisServer, stopChild } from './support/redis-server.js';
import { nextEvent } from './support/wait.js';

const socketDir = join(fileURLToPath(import.meta.url), '../..');

/**
 * A node that gets no chance to shut down (SIGKILL, OOM, lost machine). It runs as a real
 * process from src/main.ts so it can be killed; the survivor runs in this process. They share
 * a private Redis, so the production adapter key can be used without meeting other tests.
 */
describe('a node that dies without shutting down', () => {
  let issuer: LocalIssuer;
  let redis: ChildProcess | null = null;
  let doomed: ChildProcess | null = null;
  let survivor: RunningNode;
  let balancer: Balancer;
  const clients: Client[] = [];

  before(async () => {
    issuer = await startLocalIssuer();
    const redisUrl = `redis://127.0.0.1:${await freePort()}`;
    redis = await startRedisServer(Number(new URL(redisUrl).port));
    survivor = await startNode({
      jwksUrl: issuer.jwksUrl,
      issuer: issuer.issuer,
      adapterKey: SOCKET_ADAPTER_KEY,
      redisUrl,
    });
    const port = await freePort();
    doomed = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
      cwd: socketDir,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: String(port),
        REDIS_URL: redisUrl,
        JWKS_URL: issuer.jwksUrl,
        JWT_ISSUER: issuer.issuer,
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    await waitUntilReady(`http://127.0.0.1:${port}/health/ready`, once(doomed, 'exit'), 30_000);
    balancer = await startBalancer();
    // Round robin starts with the doomed node: the first client lands there.
    balancer.setBackends([port, survivor.port]);
  });

  after(async () => {
    for (const client of clients) client.close();
    await stopChild(doomed, 'SIGKILL');
    await survivor?.stop();
    await balancer?.close();
    await stopChild(redis);
    await issuer.close();
  });

  it('lets its clients reconnect to the survivor and go on receiving there', async () => {
    const client = connectClient(balancer.url, await issuer.sign({ sub: 'frank' }));
    clients.push(client);
    await nextEvent(client, 'connection_ack');
    assert.equal(survivor.holds(client.id), false, 'the client starts on the doomed node');

    const dropped = nextEvent<string>(client, 'disconnect');
    const reconnected = nextEvent(client, 'connection_ack', 15_000);
    await stopChild(doomed, 'SIGKILL');
    assert.equal(await dropped, 'transport close');
    await reconnected;
    assert.ok(survivor.holds(client.id), 'the client is now on the survivor');

    const event = taskChangedEvent('frank');
    const received = nextEvent<TaskUpdateMessage>(client, 'task_update');
    const response = await fetch(`${survivor.url}/events/task-updates`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify(event),
    });
    assert.deepEqual(await response.json(), { status: DAPR_STATUS.success });
    assert.equal((await received).taskId, event.data.taskId);
  });
});
