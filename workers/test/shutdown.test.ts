import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { Queue } from 'bullmq';
import { QUEUES } from '@todo/contracts';
import { freePort, testInfra, waitUntilReady } from '@todo/ops/testing';
import type { NextInstanceJob } from '../src/queues/job-data.js';

const workersDir = fileURLToPath(new URL('..', import.meta.url));

it('SIGTERM lets the active job finish before the process exits', async () => {
  // A stand-in subscriber of `occurrences` that takes a while to accept, so the job is active
  // at SIGTERM.
  let requested: () => void = () => undefined;
  const jobStarted = new Promise<void>((resolve) => (requested = resolve));
  const api = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url === '/dapr/subscribe')
      return res.end(
        JSON.stringify([{ pubsubname: 'pubsub', topic: 'occurrences', route: '/events/o' }]),
      );
    requested();
    setTimeout(() => res.end(JSON.stringify({ status: 'SUCCESS' })), 1500);
  });
  api.listen(0, '127.0.0.1');
  await once(api, 'listening');
  const prefix = `t-shutdown-${randomBytes(3).toString('hex')}`;
  const port = await freePort();
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
    cwd: workersDir,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      REDIS_URL: testInfra().redisUrl,
      DIRECT_SUBSCRIBERS: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let logs = '';
  child.stdout.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const queue = new Queue<NextInstanceJob>(QUEUES.recurrence, {
    connection: { url: testInfra().redisUrl },
    prefix,
  });
  try {
    await waitUntilReady(`http://127.0.0.1:${port}/health/ready`, exited, 30_000);
    const job = await queue.add(
      'next-instance',
      {
        taskId: randomUUID(),
        userId: 'u1',
        version: 2,
        seriesId: randomUUID(),
        occurrenceIndex: 1,
        completedAt: new Date().toISOString(),
        correlationId: 'shutdown-test',
      },
      { jobId: 'completed-shutdown-test' },
    );
    await jobStarted;
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.equal(await job.getState(), 'completed');
    assert.match(logs, /"msg":"shutting down"/);
    assert.match(logs, /"msg":"workers stopped"/);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await queue.close();
    api.close();
  }
});
