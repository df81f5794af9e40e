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
import { startRoundRobinProxy } from './proxy.js';

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

  /** SIGKILL, as a node lost without warning: no shutdown hook runs. */
  async kill(): Promise<void> {
    const proc = this.proc;
    if (!proc?.running()) return;
    proc.child.kill('SIGKILL');
    await proc.exited;
  }
}

export interface Stack {
  dataDir: string;
  kafka: KafkaBroker;
  redisUrl: string;
  /** The first api replica. */
  api: ServiceWithSidecar;
  /** Every api replica (one unless `apiReplicas` says more). */
  apis: ServiceWithSidecar[];
  /** Where clients call the api: the one replica, or the round-robin proxy in front of them. */
  apiUrl: string;
  databaseUrl: string;
  workers: ServiceWithSidecar | null;
  /** Every workers replica (empty without workers). */
  workersReplicas: ServiceWithSidecar[];
  sockets: [ServiceWithSidecar, ServiceWithSidecar];
  /** Every socket node (two unless `socketNodes` says more). */
  socketNodes: ServiceWithSidecar[];
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
  /** Api replicas; more than one are reached through a round-robin proxy. Default 1. */
  apiReplicas?: number;
  /** Workers replicas when `withWorkers`. Default 1. */
  workersReplicas?: number;
  /** Socket nodes, at least two. Default 2. */
  socketNodes?: number;
  /** Partitions per topic; default the design's (TOPIC_PARTITIONS). */
  topicPartitions?: Record<string, number>;
  /** Extra environment of every api replica. */
  apiEnv?: Record<string, string>;
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

  let kafkaStarted: Promise<number> | null = null;
  try {
    // The broker (the slowest to start, a JVM) starts while PostgreSQL and Redis do.
    const kafka = new KafkaBroker(
      join(repoRoot, 'ops/kafka/kafka.sh'),
      join(dataDir, 'kafka'),
      await freePort(),
      await freePort(),
    );
    stops.push(() => kafka.stop());
    everything.push({ name: 'kafka', tail: () => kafka.tail() });
    kafkaStarted = kafka.start(options.topicPartitions ?? TOPIC_PARTITIONS);
    // Its failure is awaited below; until then it must not count as unhandled.
    kafkaStarted.catch(() => {});

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

    const resources = writeLoopbackResources(join(repoRoot, 'dapr'), join(dataDir, 'dapr'), {
      kafkaBrokers: kafka.bootstrap,
      redisHostPort: new URL(redis.url).host,
    });
    // Every daprd sends it as dapr-api-token into its app; workers and sockets demand it.
    const appApiToken = randomBytes(24).toString('base64url');
    const sidecarEnv = { TODO_SECRET_REDIS_PASSWORD: '', APP_API_TOKEN: appApiToken };
    const queuePrefix = 'daprlane';
    const logLevel = process.env.TEST_LOG_LEVEL ?? 'info';
    /** A service and its daprd (ports allocated); `env` gets the sidecar's port. */
    const service = async (
      name: string,
      dir: string,
      appId: string,
      env: (daprHttpPort: number) => Record<string, string>,
      port?: number,
    ) => {
      const appPort = port ?? (await freePort());
      const car = new Sidecar({
        daprd: options.daprd,
        appId,
        name,
        appPort,
        resourcesPath: resources.resourcesPath,
        configPath: resources.configPath,
        logDir,
        env: sidecarEnv,
      });
      await car.allocatePorts();
      const s = new ServiceWithSidecar(name, dir, appPort, env(car.httpPort), logDir, car);
      stops.push(() => s.stop());
      stops.push(() => car.stop());
      everything.push({ name, tail: () => s.proc?.tail() ?? '' });
      everything.push({ name: `daprd ${name}`, tail: () => car.tail() });
      return s;
    };

    const apiReplicas = options.apiReplicas ?? 1;
    const apiPorts: number[] = [];
    for (let i = 0; i < apiReplicas; i++) apiPorts.push(await freePort());
    // Replicas share one public address (Better Auth's URL, the JWT issuer): the proxy's.
    let apiUrl = `http://127.0.0.1:${apiPorts[0]}`;
    if (apiReplicas > 1) {
      const proxy = await startRoundRobinProxy(apiPorts.map((p) => `http://127.0.0.1:${p}`));
      stops.push(() => proxy.close());
      apiUrl = proxy.url;
    }
    const apis: ServiceWithSidecar[] = [];
    for (const [i, apiPort] of apiPorts.entries())
      // The api subscribes too (reminders, occurrences from the workers), so its daprd calls it.
      apis.push(
        await service(
          apiReplicas > 1 ? `api-${i + 1}` : 'api',
          'api',
          'api',
          (daprPort) => ({
            DATABASE_URL: databaseUrl,
            // As in production: sign-out and list membership move sockets through the adapter.
            REDIS_URL: redis.url,
            EVENT_TRANSPORT: 'dapr',
            DAPR_HOST: '127.0.0.1',
            DAPR_HTTP_PORT: String(daprPort),
            PUBSUB_NAME: 'pubsub',
            BETTER_AUTH_SECRET: 'dapr-lane-better-auth-secret-0123456789abcdef',
            BETTER_AUTH_URL: apiUrl,
            APP_API_TOKEN: appApiToken,
            LOG_LEVEL: logLevel,
            OUTBOX_POLL_MS: '200',
            // The outage test waits for the relay's next try after Kafka is back.
            OUTBOX_MAX_BACKOFF_MS: '2000',
            ...options.apiEnv,
          }),
          apiPort,
        ),
      );
    const workersCount = options.withWorkers ? (options.workersReplicas ?? 1) : 0;
    const workersReplicas: ServiceWithSidecar[] = [];
    for (let i = 1; i <= workersCount; i++)
      workersReplicas.push(
        await service(
          workersCount > 1 ? `workers-${i}` : 'workers',
          'workers',
          'workers',
          (daprPort) => ({
            REDIS_URL: redis.url,
            // As in production: the reconciler rebuilds lost jobs from schedule_view.
            DATABASE_URL: databaseUrl,
            PUBSUB_NAME: 'pubsub',
            EVENT_TRANSPORT: 'dapr',
            DAPR_HOST: '127.0.0.1',
            DAPR_HTTP_PORT: String(daprPort),
            QUEUE_PREFIX: queuePrefix,
            APP_API_TOKEN: appApiToken,
            LOG_LEVEL: logLevel,
          }),
        ),
      );
    const socketNodes: ServiceWithSidecar[] = [];
    for (let i = 1; i <= Math.max(2, options.socketNodes ?? 2); i++)
      socketNodes.push(
        await service(`socket-${i}`, 'socket', 'socket', () => ({
          REDIS_URL: redis.url,
          JWKS_URL: `${apiUrl}/api/auth/jwks`,
          JWT_ISSUER: apiUrl,
          JWT_AUDIENCE: apiUrl,
          PUBSUB_NAME: 'pubsub',
          APP_API_TOKEN: appApiToken,
          LOG_LEVEL: logLevel,
        })),
      );
    const all = [...apis, ...workersReplicas, ...socketNodes];

    // The apps start while the broker does (none needs it to answer /health; the api's
    // replicas serialise their migrations on a lock); then the sidecars, which need Kafka.
    t = Date.now();
    // Two at a time: more starting Node processes only share the same two cores, and each
    // start is bounded by a timeout.
    const queue = [...all];
    const starter = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await next.start();
    };
    await Promise.all([starter(), starter()]);
    timings.appsStartMs = Date.now() - t;
    log(`${all.length} services up in ${timings.appsStartMs} ms`);
    timings.kafkaStartMs = await kafkaStarted;
    log(`Kafka up with topics on ${kafka.bootstrap} in ${timings.kafkaStartMs} ms`);
    t = Date.now();
    await Promise.all(all.map((s) => s.sidecar.start()));
    await Promise.all(all.map((s) => s.sidecar.ready()));
    await Promise.all(
      apis.map((api) => waitForHttp(`${api.url}/health/ready`, api.proc as Proc, 30_000)),
    );
    timings.sidecarsStartMs = Date.now() - t;
    log(`${all.length} daprd sidecars up, every api ready, in ${timings.sidecarsStartMs} ms`);

    return {
      dataDir,
      kafka,
      redisUrl: redis.url,
      api: apis[0] as ServiceWithSidecar,
      apis,
      apiUrl,
      databaseUrl,
      workers: workersReplicas[0] ?? null,
      workersReplicas,
      sockets: [socketNodes[0], socketNodes[1]] as [ServiceWithSidecar, ServiceWithSidecar],
      socketNodes,
      queuePrefix,
      timings,
      stop: stopAll,
      logs: () => everything.map((p) => `\n===== ${p.name} (last lines)\n${p.tail()}`).join('\n'),
    };
  } catch (error) {
    // A broker still starting would outlive the stop below.
    await kafkaStarted?.catch(() => {});
    const detail = everything.map((p) => `\n===== ${p.name}\n${p.tail()}`).join('\n');
    await stopAll();
    throw new Error(`${(error as Error).message}\n${detail}`);
  }
}
