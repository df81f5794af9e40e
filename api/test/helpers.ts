import assert from 'node:assert/strict';
import {
  OCCURRENCE_DUE_TYPE,
  occurrenceDueEventId,
  type CloudEvent,
  type ErrorBody,
  type OccurrenceDueData,
  type Task,
  type Topic,
} from '@todo/contracts';
import {
  RELAXED_AUTH_LIMITS,
  confirmEmails,
  createTestDatabase,
  freePort,
  signUpUser,
  testInfra,
  type TestUser,
} from '@todo/ops/testing';
import { createApi, type Api } from '../src/entry-points/api.js';
import { loadConfig } from '../src/config.js';
import type { EventPublisher } from '../src/data-access/events/event-publisher.js';

export interface Published {
  topic: Topic;
  event: CloudEvent;
  partitionKey: string;
}

/** A transport that records what it is given and can be switched to fail, like a broker outage. */
export class RecordingPublisher implements EventPublisher {
  readonly name = 'recording';
  readonly published: Published[] = [];
  failing = false;
  attempts = 0;
  private waiters: { predicate: () => boolean; resolve: () => void }[] = [];

  private readonly held = new Map<string, Promise<void>>();

  /** Events of `partitionKey` wait (like a slow consumer) until the returned function is called. */
  hold(partitionKey: string): () => void {
    let release!: () => void;
    this.held.set(partitionKey, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.held.delete(partitionKey);
      release();
    };
  }

  async publish(topic: Topic, event: CloudEvent, partitionKey: string): Promise<void> {
    this.attempts += 1;
    await this.held.get(partitionKey);
    try {
      if (this.failing) throw new Error('broker unavailable');
      this.published.push({ topic, event, partitionKey });
    } finally {
      this.waiters = this.waiters.filter((w) => (w.predicate() ? (w.resolve(), false) : true));
    }
  }

  /** Resolves once `predicate` holds, re-checked on every publish. */
  waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('timed out waiting for published events')),
        timeoutMs,
      );
      this.waiters.push({
        predicate,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  async isReady(): Promise<boolean> {
    return !this.failing;
  }

  async close(): Promise<void> {}
}

export interface TestApi {
  api: Api;
  baseUrl: string;
  databaseUrl: string;
  /** The URL tokens are issued for (the load balancer's, for replicas). */
  publicUrl: string;
  publisher: RecordingPublisher;
  signUp(name?: string): Promise<TestUser>;
  stop(): Promise<void>;
}

/** The real api, in-process, on a fresh database, listening on a free port. */
export async function startTestApi(
  env: Record<string, string> = {},
  options: {
    useConfiguredTransport?: boolean;
    /** Another replica of `replicaOf`: same database and Redis, tokens of the same issuer. */
    replicaOf?: TestApi;
  } = {},
): Promise<TestApi> {
  const databaseUrl = options.replicaOf?.databaseUrl ?? (await createTestDatabase('api'));
  const publisher = new RecordingPublisher();
  // Tokens are issued for the public URL, so the port is chosen before the config is built.
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const publicUrl = options.replicaOf?.publicUrl ?? baseUrl;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    OUTBOX_POLL_MS: '100',
    OUTBOX_MAX_BACKOFF_MS: '1000',
    BETTER_AUTH_URL: publicUrl,
    REDIS_URL: testInfra().redisUrl,
    ...RELAXED_AUTH_LIMITS,
    ...env,
  });
  const api = await createApi(config, options.useConfiguredTransport ? {} : { publisher });
  await api.start(port, '127.0.0.1');
  return {
    api,
    baseUrl,
    databaseUrl,
    publicUrl,
    publisher,
    signUp: (name) => signUpUser(baseUrl, name),
    stop: () => api.stop(),
  };
}

export interface JsonResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** A tiny JSON client: `call(token)('POST', '/api/v1/tasks', body)`. */
export function client(baseUrl: string, token?: string) {
  return async <T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<JsonResponse<T>> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      ...(body !== undefined
        ? { body: typeof body === 'string' ? body : JSON.stringify(body) }
        : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : null) as T,
      headers: response.headers,
    };
  };
}

export type Client = ReturnType<typeof client>;

/**
 * The people of a sharing test, one per name, in order: signed up on `t` with their address
 * confirmed (an invite needs one), each with a client of their own. Share a list with one of
 * them through `shareList` (@todo/ops/testing): the owner invites, the member accepts.
 */
export async function signUpPeople<const Names extends readonly string[]>(
  t: TestApi,
  ...names: Names
): Promise<{ [I in keyof Names]: [TestUser, Client] }> {
  const users: TestUser[] = [];
  for (const name of names) users.push(await t.signUp(name));
  await confirmEmails(t.databaseUrl, users);
  return users.map((user) => [user, client(t.baseUrl, user.token)]) as {
    [I in keyof Names]: [TestUser, Client];
  };
}

/** Asserts an error response: status, code, and that `fields` are each named in details. */
export function assertError(
  response: JsonResponse<unknown>,
  status: number,
  code: string,
  fields: string[] = [],
): ErrorBody {
  const body = response.body as ErrorBody;
  assert.equal(
    response.status,
    status,
    `expected ${status}, got ${response.status}: ${JSON.stringify(body)}`,
  );
  assert.equal(body.error, code);
  assert.ok(body.message.length > 0, 'error has a message');
  assert.ok(body.correlationId, 'error carries a correlation id');
  const named = (body.details ?? []).map((d) => d.field);
  for (const field of fields)
    assert.ok(named.includes(field), `${field} is named in ${JSON.stringify(named)}`);
  return body;
}

/** Posts a CloudEvent to one of the api's subscriber routes as daprd would; the Dapr status. */
export async function deliverEvent(
  baseUrl: string,
  route: '/events/reminders' | '/events/occurrences',
  event: unknown,
): Promise<string> {
  const response = await fetch(`${baseUrl}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify(event),
  });
  return ((await response.json()) as { status: string }).status;
}

/** The `occurrence.due` the workers publish for a completed instance of a series. */
export function occurrenceDue(completed: Task): CloudEvent<OccurrenceDueData> {
  return {
    specversion: '1.0',
    id: occurrenceDueEventId(completed.id, completed.version),
    source: 'todo-workers',
    type: OCCURRENCE_DUE_TYPE,
    subject: `tasks/${completed.id}`,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    userid: completed.userId,
    correlationid: `test-${completed.id}`,
    data: {
      completedTaskId: completed.id,
      completedVersion: completed.version,
      userId: completed.userId,
      seriesId: completed.seriesId!,
      occurrenceIndex: (completed.occurrenceIndex ?? 1) + 1,
      completedAt: completed.completedAt ?? new Date().toISOString(),
    },
  };
}

/**
 * Does what the recurrence worker does after `completed`: delivers `occurrence.due`, then
 * reads the series' next instance (null when none was created).
 */
export async function advanceSeries(
  baseUrl: string,
  call: ReturnType<typeof client>,
  completedId: string,
): Promise<{ created: boolean; task: Task | null }> {
  const completed = (await call<Task>('GET', `/api/v1/tasks/${completedId}`)).body;
  const before = await call<{ items: Task[] }>('GET', `/api/v1/tasks/${completedId}/instances`);
  assert.equal(
    await deliverEvent(baseUrl, '/events/occurrences', occurrenceDue(completed)),
    'SUCCESS',
  );
  const after = await call<{ items: Task[] }>('GET', `/api/v1/tasks/${completedId}/instances`);
  const next =
    after.body.items.find((i) => i.occurrenceIndex === (completed.occurrenceIndex ?? 1) + 1) ??
    null;
  return { created: after.body.items.length > before.body.items.length, task: next };
}
