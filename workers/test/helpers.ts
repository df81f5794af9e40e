import { randomBytes } from 'node:crypto';
import type { Job, Queue } from 'bullmq';
import pg from 'pg';
import {
  PUSH_SUBSCRIPTION_VIEW,
  REMINDER_RECIPIENT_VIEW,
  SCHEDULE_READER_ROLE,
  SCHEDULE_VIEW,
  type NotificationChannel,
  type NotificationPage,
  type Task,
} from '@todo/contracts';
import {
  createTestDatabase,
  freePort,
  signUpUser,
  startApiProcess,
  testInfra,
  type ApiProcess,
  type TestUser,
} from '@todo/ops/testing';
import { loadConfig, type WorkersConfig } from '../src/config.js';
import type { ChannelSenders, Delivery } from '../src/notifications/channels.js';
import { createWorkers, type Workers, type WorkersOptions } from '../src/server.js';

const READER_PASSWORD = 'schedule-reader-test';

/**
 * The production shape of the workers' DATABASE_URL: a role that may read the api's views
 * (schedule, push devices, reminder recipients) and nothing else. Pass as `scheduleDatabase`.
 */
export async function readerUrl(databaseUrl: string): Promise<string> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${SCHEDULE_READER_ROLE}') THEN
        CREATE ROLE ${SCHEDULE_READER_ROLE} LOGIN PASSWORD '${READER_PASSWORD}';
      END IF; END $$`);
    // The role may be newer than this database's migration run (then the migrations did not grant).
    for (const view of [SCHEDULE_VIEW, PUSH_SUBSCRIPTION_VIEW, REMINDER_RECIPIENT_VIEW])
      await admin.query(`GRANT SELECT ON ${view} TO ${SCHEDULE_READER_ROLE}`);
  } finally {
    await admin.end();
  }
  const url = new URL(databaseUrl);
  url.username = SCHEDULE_READER_ROLE;
  url.password = READER_PASSWORD;
  return url.toString();
}

export const BOARD_USER = 'admin';
export const BOARD_PASSWORD = 'board-password-123';

/** Polls `probe` until it returns a value (not undefined/null/false) or the deadline passes. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A job of `queue` in one of `states` whose data matches. */
export async function findJob<T>(
  queue: Queue,
  states: ('completed' | 'failed' | 'delayed' | 'waiting' | 'active')[],
  match: (data: T) => boolean,
): Promise<Job<T> | undefined> {
  const jobs = (await queue.getJobs(states, 0, 1000)) as Job<T>[];
  return jobs.find((job) => job && match(job.data));
}

/** Email/push senders that record every delivery; a user in `failFor` makes email throw. */
export class RecordingSenders {
  readonly deliveries: Delivery[] = [];
  readonly failFor = new Set<string>();
  readonly attempts = new Map<string, number>();

  senders(): ChannelSenders {
    const sender = (channel: NotificationChannel) => ({
      send: async (delivery: Delivery) => {
        this.attempts.set(delivery.userId, (this.attempts.get(delivery.userId) ?? 0) + 1);
        if (channel === 'email' && this.failFor.has(delivery.userId))
          throw new Error('simulated SMTP outage');
        this.deliveries.push(delivery);
      },
    });
    return { email: sender('email'), push: sender('push') };
  }

  of(userId: string): Delivery[] {
    return this.deliveries.filter((d) => d.userId === userId);
  }
}

/** The public REST API as one user sees it. */
export class UserClient {
  constructor(
    readonly baseUrl: string,
    readonly user: TestUser,
  ) {}

  get userId(): string {
    return this.user.userId;
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.user.token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  createTask(body: Record<string, unknown>): Promise<Task> {
    return this.call<Task>('POST', '/tasks', body);
  }

  async instances(taskId: string): Promise<Task[]> {
    return (await this.call<{ items: Task[] }>('GET', `/tasks/${taskId}/instances`)).items;
  }

  notifications(): Promise<NotificationPage> {
    return this.call<NotificationPage>('GET', '/notifications');
  }
}

export interface Stack {
  api: ApiProcess;
  /** The api's database (owner role). */
  databaseUrl: string;
  workers: Workers;
  config: WorkersConfig;
  bridgeUrl: string;
  signUp(): Promise<UserClient>;
  stop(): Promise<void>;
}

/**
 * The real api (child process, fresh database) delivering its events with the direct
 * transport to a real workers instance on real Redis, under a queue prefix of its own.
 */
export async function startStack(
  name: string,
  env: Record<string, string> = {},
  options: WorkersOptions = {},
  apiEnv: Record<string, string> = {},
  /** Gives the workers a DATABASE_URL (the reconciler) once the api has migrated its database. */
  scheduleDatabase?: (databaseUrl: string) => Promise<string>,
): Promise<Stack> {
  const databaseUrl = await createTestDatabase('workers');
  const port = await freePort();
  const bridgeUrl = `http://127.0.0.1:${port}`;
  const api = await startApiProcess({ databaseUrl, directSubscribers: [bridgeUrl], env: apiEnv });
  // Whatever fails after the api started stops it: a child left running hangs the test file.
  let scheduleUrl: string | undefined;
  let config: WorkersConfig;
  let workers: Workers;
  try {
    scheduleUrl = scheduleDatabase ? await scheduleDatabase(databaseUrl) : undefined;
    config = loadConfig({
      ...(scheduleUrl ? { DATABASE_URL: scheduleUrl } : {}),
      NODE_ENV: 'test',
      REDIS_URL: testInfra().redisUrl,
      // The workers' results go to the api as events, by the same direct transport.
      DIRECT_SUBSCRIBERS: api.baseUrl,
      QUEUE_PREFIX: `t-${name}-${randomBytes(3).toString('hex')}`,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      BULL_BOARD_USER: BOARD_USER,
      BULL_BOARD_PASSWORD: BOARD_PASSWORD,
      JOB_ATTEMPTS: '3',
      JOB_BACKOFF_MS: '100',
      // Links in mail (the unsubscribe link) go straight to this api.
      PUBLIC_URL: api.baseUrl,
      ...env,
    });
    workers = createWorkers(config, options);
    await workers.start(port, '127.0.0.1');
  } catch (error) {
    await api.stop();
    throw error;
  }
  return {
    api,
    databaseUrl,
    workers,
    config,
    bridgeUrl,
    // Reminder mail goes to verified addresses only (ADR 260): these users clicked their link.
    signUp: async () => {
      const user = await signUpUser(api.baseUrl);
      const db = new pg.Client({ connectionString: databaseUrl });
      await db.connect();
      try {
        await db.query(`UPDATE "user" SET "emailVerified" = true WHERE id = $1`, [user.userId]);
      } finally {
        await db.end();
      }
      return new UserClient(api.baseUrl, user);
    },
    async stop() {
      await workers.stop();
      await api.stop();
    },
  };
}

/** What losing Redis does to this stack: every key of its queues and scheduler state gone. */
export async function wipeRedis(stack: Stack): Promise<number> {
  const redis = stack.workers.redis;
  let removed = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(
      cursor,
      'MATCH',
      `${stack.config.QUEUE_PREFIX}:*`,
      'COUNT',
      500,
    );
    cursor = next;
    if (keys.length) removed += await redis.del(...keys);
  } while (cursor !== '0');
  return removed;
}

/** An ISO time `ms` from now, to the millisecond. */
export const inMs = (ms: number): string => new Date(Date.now() + ms).toISOString();

/** A task snapshot as the api puts into events. */
export function taskSnapshot(over: Partial<Task> = {}): Task {
  const now = new Date().toISOString();
  return {
    id: crypto.randomUUID(),
    userId: 'user-1',
    listId: '00000000-0000-4000-8000-0000000000aa',
    assigneeId: null,
    changedBy: null,
    title: 'Water the plants',
    description: null,
    status: 'pending',
    priority: 'medium',
    tags: [],
    dueDate: null,
    reminderEnabled: false,
    reminderOffset: null,
    reminderChannels: ['email', 'push'],
    reminderAt: null,
    recurrence: null,
    seriesId: null,
    parentTaskId: null,
    occurrenceIndex: null,
    version: 1,
    completedAt: null,
    deletedAt: null,
    createdAt: now,
    updatedAt: now,
    ...over,
  };
}

/** A CloudEvent as the api's relay delivers it (plus the attributes Dapr adds). */
export function cloudEvent(type: string, data: object, over: Record<string, unknown> = {}) {
  const task = (data as { task?: Task; taskId?: string }).task;
  const taskId = task?.id ?? (data as { taskId?: string }).taskId ?? 'x';
  return {
    specversion: '1.0',
    id: crypto.randomUUID(),
    source: 'todo-api',
    type,
    subject: `tasks/${taskId}`,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    userid: task?.userId ?? 'user-1',
    correlationid: crypto.randomUUID(),
    data,
    pubsubname: 'pubsub',
    ...over,
  };
}

/** POSTs `body` to a bridge route the way the direct transport does; returns the Dapr status. */
export async function deliver(baseUrl: string, route: string, body: unknown): Promise<string> {
  const response = await fetch(`${baseUrl}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const parsed = (await response.json()) as { status: string };
  return response.ok ? parsed.status : `HTTP ${response.status}`;
}
