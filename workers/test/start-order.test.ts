import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { nextInstanceJobId, type Task } from '@todo/contracts';
import {
  createTestDatabase,
  freePort,
  signUpUser,
  startApiProcess,
  testInfra,
  type ApiProcess,
} from '@todo/ops/testing';
import { loadConfig } from '../src/config.js';
import type { FireReminderJob } from '../src/queues/job-data.js';
import { createWorkers, type Workers } from '../src/server.js';
import { UserClient, findJob, waitFor } from './helpers.js';

const HOUR = 3_600_000;

/**
 * Neither service waits for the other: each is ready on its own stores, and what one sends
 * while the other is down waits (the api's outbox, the workers' queues) until it is back.
 */
describe('any start order converges', () => {
  const stops: (() => Promise<void>)[] = [];
  after(async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  });

  async function setUp() {
    const databaseUrl = await createTestDatabase('workers');
    const apiPort = await freePort();
    const workersPort = await freePort();
    const workersUrl = `http://127.0.0.1:${workersPort}`;
    const config = loadConfig({
      NODE_ENV: 'test',
      REDIS_URL: testInfra().redisUrl,
      DIRECT_SUBSCRIBERS: `http://127.0.0.1:${apiPort}`,
      QUEUE_PREFIX: `t-order-${randomBytes(3).toString('hex')}`,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      // Enough retries, short enough, to outlast an api restart.
      JOB_ATTEMPTS: '30',
      JOB_BACKOFF_MS: '100',
    });
    let workers: Workers | null = null;
    let api: ApiProcess | null = null;
    const startWorkers = async () => {
      workers = createWorkers(config);
      await workers.start(workersPort, '127.0.0.1');
      stops.push(() => workers!.stop());
      return workers;
    };
    const startApi = async () => {
      api = await startApiProcess({ databaseUrl, directSubscribers: [workersUrl], port: apiPort });
      stops.push(() => api!.stop());
      return api;
    };
    return { startWorkers, startApi, workersUrl };
  }

  const nextInstance = (user: UserClient, task: Task) =>
    waitFor(
      `the next instance of ${task.title}`,
      async () => {
        const items = await user.instances(task.id);
        return items.length === 2 ? items[1] : null;
      },
      30_000,
    );

  it('workers first, then the api: ready alone, and a completion still makes its next instance', async () => {
    const { startWorkers, startApi, workersUrl } = await setUp();
    const workers = await startWorkers();
    const ready = await fetch(`${workersUrl}/health/ready`);
    assert.equal(ready.status, 200, 'the workers do not wait for the api');
    const api = await startApi();
    const user = new UserClient(api.baseUrl, await signUpUser(api.baseUrl));
    const task = await user.createTask({
      title: 'Workers first',
      dueDate: new Date(Date.now() + HOUR).toISOString(),
      recurrence: { frequency: 'daily' },
    });
    await user.call('POST', `/tasks/${task.id}/complete`);
    const next = await nextInstance(user, task);
    assert.equal(next?.occurrenceIndex, 2);
    assert.ok(workers);
  });

  it('api first, workers later: writes succeed meanwhile, and everything arrives once they start', async () => {
    const { startWorkers, startApi } = await setUp();
    const api = await startApi();
    const ready = await fetch(`${api.baseUrl}/health/ready`);
    assert.equal(ready.status, 200, 'the api does not wait for its subscribers');
    const user = new UserClient(api.baseUrl, await signUpUser(api.baseUrl));
    const due = new Date(Date.now() + HOUR);
    const series = await user.createTask({
      title: 'Api first',
      dueDate: due.toISOString(),
      recurrence: { frequency: 'daily' },
    });
    const reminded = await user.createTask({
      title: 'Remind me',
      dueDate: due.toISOString(),
      reminderOffset: 10,
    });
    await user.call('POST', `/tasks/${series.id}/complete`);
    const workers = await startWorkers();
    const next = await nextInstance(user, series);
    assert.equal(next?.dueDate, new Date(due.getTime() + 86_400_000).toISOString());
    const job = await waitFor('the reminder job', () =>
      findJob<FireReminderJob>(
        workers.queues.reminders,
        ['delayed'],
        (d) => d.taskId === reminded.id,
      ),
    );
    assert.equal(job.data.scheduledFor, reminded.reminderAt);
  });

  it('the api down while the workers publish: the job retries until it is back, one instance', async () => {
    const { startWorkers, startApi } = await setUp();
    const workers = await startWorkers();
    let api = await startApi();
    const user = new UserClient(api.baseUrl, await signUpUser(api.baseUrl));
    const task = await user.createTask({
      title: 'Api restarts',
      dueDate: new Date(Date.now() + HOUR).toISOString(),
      recurrence: { frequency: 'daily' },
    });
    // Hold the recurrence queue so its job runs only once the api is gone.
    await workers.queues.recurrence.pause();
    await user.call('POST', `/tasks/${task.id}/complete`);
    await waitFor('the next-instance job', () =>
      workers.queues.recurrence.getJob(nextInstanceJobId(task.id, task.version + 1)),
    );
    await api.stop();
    await workers.queues.recurrence.resume();
    await waitFor('a failed publish while the api is down', async () => {
      const jobs = await workers.queues.recurrence.getJobs(['delayed', 'waiting']);
      return jobs.some((j) => j.attemptsMade >= 1);
    });
    api = await startApi();
    const restarted = new UserClient(api.baseUrl, user.user);
    const next = await nextInstance(restarted, task);
    assert.equal(next?.occurrenceIndex, 2);
    assert.equal((await restarted.instances(task.id)).length, 2);
  });
});
