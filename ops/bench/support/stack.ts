import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/infra/ports.js';
import { startEmbeddedPostgres, type RunningPostgres } from '../../src/infra/postgres.js';
import { startRedis, type RunningRedis } from '../../src/infra/redis.js';
import { startService, waitUntilReady, type RunningService } from '../../src/launcher/child.js';
import { movePorts, serviceDefinitions } from '../../src/launcher/services.js';
import { vapidKeys } from '../../src/launcher/secrets.js';
import { RELAXED_AUTH_LIMITS } from '../../src/testing/users.js';

export const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../..');

export interface BenchStack {
  apiUrl: string;
  /** The api's database (owner role). */
  databaseUrl: string;
  /** The private Redis of the queues. */
  redisUrl: string;
  workersUrl: string;
  /** The two socket nodes, each its own process on one Redis adapter. */
  socketUrls: [string, string];
  /** Process id of each service (`api`, `workers`, `socket-1`, `socket-2`), for CPU accounting. */
  pids: Record<string, number>;
  stop(): Promise<void>;
}

/**
 * The `npm start` topology (ops/src/launcher: workers, two socket nodes, api in `direct`
 * transport mode, each its own process) on free loopback ports, with a throw-away embedded
 * PostgreSQL and a private redis-server. The service definitions are the launcher's own;
 * only their fixed ports are moved (the launcher's PORT_OFFSET shift is private to its
 * main.ts), so a bench runs next to a dev `npm start` or a test run.
 *
 * `extraSubscribers` are appended to the api's DIRECT_SUBSCRIBERS, after the real ones: the
 * direct transport delivers to subscribers in list order, so an observer listed last never
 * delays the services it watches.
 */
export async function startBenchStack(
  options: {
    extraSubscribers?: string[];
    /** Appended to the workers' DIRECT_SUBSCRIBERS (their events: reminders, occurrences). */
    workersExtraSubscribers?: string[];
    apiEnv?: Record<string, string>;
    workersEnv?: Record<string, string>;
  } = {},
): Promise<BenchStack> {
  const scratch = mkdtempSync(join(tmpdir(), 'todo-bench-'));
  // As root, PostgreSQL runs as the unprivileged `postgres` user, which must reach its data.
  chmodSync(scratch, 0o755);
  let postgres: RunningPostgres | null = null;
  let redis: RunningRedis | null = null;
  const running: RunningService[] = [];
  const stop = async () => {
    // One at a time, api first: its relay drains into subscribers that are still up.
    for (const service of [...running].reverse()) await service.stop();
    await redis?.stop().catch(() => {});
    await postgres?.stop().catch(() => {});
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    postgres = await startEmbeddedPostgres({ dataDir: join(scratch, 'pg'), persistent: false });
    const databaseUrl = await postgres.createDatabase('bench');
    redis = await startRedis({ dir: join(scratch, 'redis') });

    const ports = new Map<number, number>();
    for (const fixed of [3000, 3001, 3002, 3012]) ports.set(fixed, await freePort());
    const apiUrl = `http://127.0.0.1:${ports.get(3000)}`;
    const definitions = movePorts(
      ports,
      serviceDefinitions({
        publicUrl: apiUrl,
        databaseUrl,
        scheduleDatabaseUrl: databaseUrl,
        redisUrl: redis.url,
        secrets: {
          betterAuthSecret: randomBytes(32).toString('hex'),
          bullBoardPassword: randomBytes(9).toString('base64url'),
          unsubscribeSecret: randomBytes(32).toString('hex'),
          ...vapidKeys(),
        },
        appApiToken: randomBytes(24).toString('base64url'),
        logLevel: process.env.BENCH_LOG_LEVEL ?? 'warn',
      }),
    );
    for (const definition of definitions) {
      if (definition.name === 'api') {
        const subscribers = [
          definition.env.DIRECT_SUBSCRIBERS,
          ...(options.extraSubscribers ?? []),
        ].filter(Boolean);
        definition.env = {
          ...definition.env,
          DIRECT_SUBSCRIBERS: subscribers.join(','),
          // Thousands of bench users write from one address; the limiter is not under test.
          RATE_LIMIT_PER_MINUTE: '1000000',
          ...RELAXED_AUTH_LIMITS,
          ...options.apiEnv,
        };
      }
      if (definition.name === 'workers') {
        const subscribers = [
          definition.env.DIRECT_SUBSCRIBERS,
          ...(options.workersExtraSubscribers ?? []),
        ].filter(Boolean);
        definition.env = {
          ...definition.env,
          DIRECT_SUBSCRIBERS: subscribers.join(','),
          ...options.workersEnv,
        };
      }
    }
    // BENCH_CPU_PROF=<dir>: a V8 CPU profile of each service in <dir>/<name>, written when the
    // stack stops (open it in Chrome DevTools, or sum it by package).
    const profile = process.env.BENCH_CPU_PROF;
    const start = async (definition: (typeof definitions)[number]) => {
      const service = startService(
        repoRoot,
        definition,
        profile ? ['--cpu-prof', `--cpu-prof-dir=${join(profile, definition.name)}`] : [],
      );
      running.push(service);
      await waitUntilReady(`http://127.0.0.1:${definition.port}/health/ready`, service.exited);
      await assertOwnPort(service, definition.port);
    };
    // The subscribers side by side (any start order works, as under `npm start`), the api
    // last: it is stopped first, so its relay drains into subscribers that are still up.
    await Promise.all(definitions.filter((d) => d.name !== 'api').map(start));
    for (const definition of definitions.filter((d) => d.name === 'api')) await start(definition);
    const url = (name: string) => {
      const found = definitions.find((d) => d.name === name);
      if (!found) throw new Error(`the launcher defines no ${name}`);
      return `http://127.0.0.1:${found.port}`;
    };
    return {
      apiUrl,
      databaseUrl,
      redisUrl: redis.url,
      workersUrl: url('workers'),
      socketUrls: [url('socket-1'), url('socket-2')],
      pids: Object.fromEntries(running.map((s) => [s.definition.name, s.process.pid ?? 0])),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The port's answer came from our child, not from a process of another test run that took
 * the port between `freePort` and our bind (the child then exits on EADDRINUSE while the
 * stranger answers /health/ready): on a machine shared by several suites this made a quick
 * benchmark fail much later, with ECONNREFUSED on the workers' /metrics once the stranger
 * stopped. The service's own /health names it, and our child must still be running.
 */
async function assertOwnPort(service: RunningService, port: number): Promise<void> {
  const expected = service.definition.dir.replace(/^.*\//, '');
  const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as {
    service?: string;
  };
  const alive = service.process.exitCode === null && service.process.signalCode === null;
  if (!alive || health.service !== expected)
    throw new Error(
      `${service.definition.name}: port ${port} answered as ${String(health.service)} while ` +
        `our process ${alive ? 'runs' : `exited (${service.how()})`}: another process holds the port`,
    );
}
