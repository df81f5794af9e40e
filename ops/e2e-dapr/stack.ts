import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOPIC_PARTITIONS } from '@todo/contracts';
import { freePort } from '@todo/ops/testing';
import { startEmbeddedPostgres, type RunningPostgres } from '../src/infra/postgres.js';
import { startRedis, type RunningRedis } from '../src/infra/redis.js';
import { writeLoopbackResources } from './components.js';
import { Sidecar } from './daprd.js';
import { KafkaBroker } from './kafka.js';
import { startProc, waitForHttp, type Proc } from './processes.js';

export const repoRoot = resolve(fileURLToPath(import.meta.url), '../../..');

/** One of our Node services (api, workers, socket) with its own daprd. */
export class ServiceWithSidecar {
  proc: Proc | null = null;

  constructor(
    readonly name: string,
    private readonly dir: string,
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly logDir: string,
    readonly sidecar: Sidecar,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.proc = startProc({
      name: this.name,
      command: process.execPath,
      args: ['--conditions=source', '--import', 'tsx', 'src/main.ts'],
      cwd: join(repoRoot, this.dir),
      env: { NODE_ENV: 'test', ...this.env, PORT: String(this.port) },
      logFile: join(this.logDir, `${this.name}.log`),
    });
    await waitForHttp(`${this.url}/health`, this.proc, 90_000);
  }

  async stop(): Promise<void> {
    await this.proc?.stop(25_000);
  }
}

export interface Stack {
  dataDir: string;
  kafka: KafkaBroker;
  redisUrl: string;
  api: ServiceWithSidecar;
  workers: ServiceWithSidecar | null;
  sockets: [ServiceWithSidecar, ServiceWithSidecar];
  queuePrefix: string;
  timings: Record<string, number>;
  stop(): Promise<void>;
  /** Last log lines of every process, for a failure message. */
  logs(): string;
}

export interface StackOptions {
  dataDir: string;
  daprd: string;
  withWorkers: boolean;
  log?: (line: string) => void;
}

/**
 * PostgreSQL, Redis, Kafka, then api, workers and two socket nodes, each with its own daprd,
 * EVENT_TRANSPORT=dapr. Everything on loopback, on free ports, under `dataDir`.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? (() => {});
  const { dataDir } = options;
  mkdirSync(dataDir, { recursive: true });
  // As root, PostgreSQL runs as the unprivileged `postgres` user, which must reach its folder.
  chmodSync(dataDir, 0o755);
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const timings: Record<string, number> = {};
  const stops: (() => Promise<void>)[] = [];
  const everything: { name: string; tail: () => string }[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    stops.length = 0;
  };

  try {
    let t = Date.now();
    const postgres: RunningPostgres = await startEmbeddedPostgres({
      dataDir: join(dataDir, 'pg'),
      persistent: false,
    });
    stops.push(() => postgres.stop());
    const databaseUrl = await postgres.createDatabase('todo_dapr_lane');
    const redis: RunningRedis = await startRedis({ dir: join(dataDir, 'redis') });
    stops.push(() => redis.stop());
    timings.postgresAndRedisMs = Date.now() - t;
    log(`PostgreSQL and Redis up in ${timings.postgresAndRedisMs} ms`);

    const kafka = new KafkaBroker(
      join(repoRoot, 'ops/kafka/kafka.sh'),
      join(dataDir, 'kafka'),
      await freePort(),
      await freePort(),
    );
    stops.push(() => kafka.stop());
    everything.push({ name: 'kafka', tail: () => kafka.tail() });
    timings.kafkaStartMs = await kafka.start(TOPIC_PARTITIONS);
    log(`Kafka up with topics on ${kafka.bootstrap} in ${timings.kafkaStartMs} ms`);

    const resources = writeLoopbackResources(join(repoRoot, 'dapr'), join(dataDir, 'dapr'), {
      kafkaBrokers: kafka.bootstrap,
      redisHostPort: new URL(redis.url).host,
    });
    // Every daprd sends it as dapr-api-token into its app; workers and sockets demand it.
    const appApiToken = randomBytes(24).toString('base64url');
    const sidecarEnv = { TODO_SECRET_REDIS_PASSWORD: '', APP_API_TOKEN: appApiToken };
    const sidecar = (appId: string, name: string, appPort?: number) =>
      new Sidecar({
        daprd: options.daprd,
        appId,
        name,
        appPort,
        resourcesPath: resources.resourcesPath,
        configPath: resources.configPath,
        logDir,
        env: sidecarEnv,
      });

    const queuePrefix = 'daprlane';
    const apiPort = await freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    // The api subscribes too (reminders, occurrences from the workers), so its daprd calls it.
    const apiSidecar = sidecar('api', 'api', apiPort);
    await apiSidecar.allocatePorts();
    const service = async (
      name: string,
      dir: string,
      port: number,
      car: Sidecar,
      env: Record<string, string>,
    ) => {
      const s = new ServiceWithSidecar(name, dir, port, env, logDir, car);
      stops.push(() => s.stop());
      stops.push(() => car.stop());
      everything.push({ name, tail: () => s.proc?.tail() ?? '' });
      everything.push({ name: `daprd ${name}`, tail: () => car.tail() });
      return s;
    };

    t = Date.now();
    const api = await service('api', 'api', apiPort, apiSidecar, {
      DATABASE_URL: databaseUrl,
      EVENT_TRANSPORT: 'dapr',
      DAPR_HOST: '127.0.0.1',
      DAPR_HTTP_PORT: String(apiSidecar.httpPort),
      PUBSUB_NAME: 'pubsub',
      BETTER_AUTH_SECRET: 'dapr-lane-better-auth-secret-0123456789abcdef',
      BETTER_AUTH_URL: apiUrl,
      APP_API_TOKEN: appApiToken,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info',
      OUTBOX_POLL_MS: '200',
      // The outage test waits for the relay's next try after Kafka is back.
      OUTBOX_MAX_BACKOFF_MS: '2000',
    });
    await apiSidecar.start();
    await api.start();
    await apiSidecar.ready();
    await waitForHttp(`${api.url}/health/ready`, api.proc as Proc, 30_000);
    log(`api + daprd up in ${Date.now() - t} ms`);

    let workers: ServiceWithSidecar | null = null;
    if (options.withWorkers) {
      t = Date.now();
      const port = await freePort();
      const car = sidecar('workers', 'workers', port);
      await car.allocatePorts();
      workers = await service('workers', 'workers', port, car, {
        REDIS_URL: redis.url,
        PUBSUB_NAME: 'pubsub',
        EVENT_TRANSPORT: 'dapr',
        DAPR_HOST: '127.0.0.1',
        DAPR_HTTP_PORT: String(car.httpPort),
        QUEUE_PREFIX: queuePrefix,
        APP_API_TOKEN: appApiToken,
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info',
      });
      await workers.start();
      await car.start();
      await car.ready();
      log(`workers + daprd up in ${Date.now() - t} ms`);
    }

    t = Date.now();
    const socketNode = async (name: string) => {
      const port = await freePort();
      const car = sidecar('socket', name, port);
      await car.allocatePorts();
      const s = await service(name, 'socket', port, car, {
        REDIS_URL: redis.url,
        JWKS_URL: `${apiUrl}/api/auth/jwks`,
        JWT_ISSUER: apiUrl,
        JWT_AUDIENCE: apiUrl,
        PUBSUB_NAME: 'pubsub',
        APP_API_TOKEN: appApiToken,
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info',
      });
      await s.start();
      await car.start();
      await car.ready();
      return s;
    };
    const sockets: [ServiceWithSidecar, ServiceWithSidecar] = [
      await socketNode('socket-1'),
      await socketNode('socket-2'),
    ];
    log(`two socket nodes + daprd up in ${Date.now() - t} ms`);

    return {
      dataDir,
      kafka,
      redisUrl: redis.url,
      api,
      workers,
      sockets,
      queuePrefix,
      timings,
      stop: stopAll,
      logs: () => everything.map((p) => `\n===== ${p.name} (last lines)\n${p.tail()}`).join('\n'),
    };
  } catch (error) {
    const detail = everything.map((p) => `\n===== ${p.name}\n${p.tail()}`).join('\n');
    await stopAll();
    throw new Error(`${(error as Error).message}\n${detail}`);
  }
}
