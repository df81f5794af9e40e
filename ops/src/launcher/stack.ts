import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { SCHEDULE_READER_ROLE } from '@todo/contracts';
import { mailCatcherPages, startMailCatcher, type MailCatcher } from '../infra/mail-catcher.js';
import { startEmbeddedPostgres, type RunningPostgres } from '../infra/postgres.js';
import { freePort } from '../infra/ports.js';
import { startRedis, type RunningRedis } from '../infra/redis.js';
import { serviceUnit } from './child.js';
import { createGateway } from './gateway.js';
import { loadDevSecrets } from './secrets.js';
import { movePorts, serviceDefinitions, type ServiceDefinition } from './services.js';
import { Supervisor, type RunningUnit, type SupervisorOptions, type Unit } from './supervisor.js';

export interface LocalStackOptions {
  root: string;
  dataDir: string;
  /** Public port of the gateway (0 = any free one). */
  port: number;
  publicUrl?: string;
  /** Where each of the launcher's fixed ports (3000, 3001, 3002, 3012, 54329) really goes. */
  ports?: Map<number, number>;
  /** External servers; unset = embedded PostgreSQL / a private redis-server under supervision. */
  databaseUrl?: string;
  redisUrl?: string;
  /** A real SMTP server for reminder mail; unset = the local mail catcher at /admin/mail. */
  smtpUrl?: string;
  mailFrom?: string;
  logLevel?: string;
  log: (line: string) => void;
  supervision?: Omit<SupervisorOptions, 'log'>;
  /** Extra environment per service name (tests shorten intervals). */
  env?: Record<string, Record<string, string>>;
}

export interface LocalStack {
  url: string;
  port: number;
  services: ServiceDefinition[];
  supervisor: Supervisor;
  databaseUrl: string;
  redisUrl: string;
  /** The local mail catcher (null with an SMTP_URL): its messages, read at /admin/mail. */
  mail: MailCatcher | null;
  /** The embedded server's postmaster pid (null with an external DATABASE_URL). */
  postgresPid(): number | null;
  stop(): Promise<void>;
}

const FIXED_POSTGRES_PORT = 54329;

/**
 * The `npm start` system: PostgreSQL and Redis (unless given), the services, each a
 * supervised child process restarted when it dies, and the gateway on one origin.
 * `main.ts` runs it for a developer; the fault tests run the same thing on free ports.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { log } = options;
  const moved = (fixed: number) => options.ports?.get(fixed) ?? fixed;
  const supervisor = new Supervisor({ ...options.supervision, log });
  let gateway: Server | null = null;
  let postgres: RunningPostgres | null = null;
  let mail: MailCatcher | null = null;
  let mailPages: Server | null = null;
  const stop = async () => {
    supervisor.halt();
    for (const server of [gateway, mailPages]) {
      if (!server) continue;
      const closing = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closing;
    }
    await supervisor.stopAll();
    await mail?.stop();
  };
  try {
    let databaseUrl = options.databaseUrl;
    let scheduleDatabaseUrl = databaseUrl;
    if (!databaseUrl) {
      log(`starting embedded PostgreSQL (data in ${join(options.dataDir, 'postgres')})`);
      const unit = postgresUnit(join(options.dataDir, 'postgres'), moved(FIXED_POSTGRES_PORT));
      await supervisor.add(unit);
      postgres = unit.current();
      databaseUrl = await postgres!.createDatabase('todo');
      scheduleDatabaseUrl = await scheduleReader(databaseUrl);
    }
    let redisUrl = options.redisUrl;
    if (!redisUrl) {
      log(
        `starting a private redis-server (append-only file in ${join(options.dataDir, 'redis')})`,
      );
      const unit = redisUnit(join(options.dataDir, 'redis'), await freePort());
      await supervisor.add(unit);
      redisUrl = unit.url();
    }
    const secrets = loadDevSecrets(join(options.dataDir, 'dev-secrets.json'));
    // A pair given in the environment (as production's secret gives it) wins over the dev one.
    if (process.env.VAPID_PUBLIC_KEY && process.env.VAPID_PRIVATE_KEY) {
      secrets.vapidPublicKey = process.env.VAPID_PUBLIC_KEY;
      secrets.vapidPrivateKey = process.env.VAPID_PRIVATE_KEY;
    }
    const port = options.port || (await freePort());
    const publicUrl = options.publicUrl ?? `http://localhost:${port}`;
    // No SMTP server given: mail goes to a catcher in this process, read at /admin/mail
    // behind Bull Board's login (the gateway routes it like a service).
    let mailRoute: ServiceDefinition[] = [];
    if (!options.smtpUrl) {
      mail = await startMailCatcher();
      mailPages = mailCatcherPages(mail, { user: 'admin', password: secrets.bullBoardPassword });
      mailPages.listen(0, '127.0.0.1');
      await once(mailPages, 'listening');
      const pagesPort = (mailPages.address() as AddressInfo).port;
      mailRoute = [{ name: 'mail', dir: 'ops', port: pagesPort, routes: ['/admin/mail'], env: {} }];
      log(`mail catcher: SMTP on ${mail.smtpUrl}, pages on 127.0.0.1:${pagesPort}`);
    }
    const services = movePorts(
      options.ports ?? new Map(),
      serviceDefinitions({
        publicUrl,
        databaseUrl,
        scheduleDatabaseUrl: scheduleDatabaseUrl ?? databaseUrl,
        redisUrl,
        secrets,
        // Fresh per start: nothing outside this process tree needs it, so nothing stores it.
        appApiToken: randomBytes(24).toString('base64url'),
        smtpUrl: options.smtpUrl ?? mail!.smtpUrl,
        mailFrom: options.mailFrom,
        logLevel: options.logLevel ?? 'info',
      }),
    ).map((s) => ({ ...s, env: { ...s.env, ...options.env?.[s.name] } }));
    for (const definition of services) {
      const running = await supervisor.add(serviceUnit(options.root, definition));
      log(`${definition.name} is ready on 127.0.0.1:${definition.port} (pid ${running.pid})`);
    }
    const clientDir = join(options.root, 'client/dist/client/browser');
    gateway = createGateway(
      [...services, ...mailRoute],
      existsSync(clientDir) ? clientDir : null,
      supervisor,
    );
    gateway.listen(port);
    await once(gateway, 'listening');
    return {
      url: publicUrl,
      port,
      services,
      supervisor,
      databaseUrl,
      redisUrl,
      mail,
      postgresPid: () => postgres?.postmasterPid() ?? null,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Embedded PostgreSQL as a unit: the first start initialises, later ones restart the server. */
function postgresUnit(dataDir: string, port: number): Unit & { current(): RunningPostgres | null } {
  let server: RunningPostgres | null = null;
  return {
    name: 'postgres',
    current: () => server,
    async start(): Promise<RunningUnit> {
      if (server) await server.restart();
      else server = await startEmbeddedPostgres({ dataDir, persistent: true, port });
      const running = server;
      return {
        pid: running.postmasterPid() ?? 0,
        exited: running.exited(),
        stop: () => running.stop(),
      };
    },
  };
}

/** The private redis-server as a unit: same port and append-only file on every restart. */
function redisUnit(dir: string, port: number): Unit & { url(): string } {
  return {
    name: 'redis',
    url: () => `redis://127.0.0.1:${port}`,
    async start(): Promise<RunningUnit> {
      const redis: RunningRedis = await startRedis({ dir, port, persistent: true });
      return {
        pid: redis.pid,
        exited: redis.exited,
        stop: () => redis.stop(),
      };
    },
  };
}

/**
 * The workers read `schedule_view` as a role that may read nothing else, as in production:
 * created (or given a fresh password) on every start. The api's migration grants the view to
 * it; the GRANT here covers a database migrated before the role existed (once the view does).
 */
async function scheduleReader(databaseUrl: string): Promise<string> {
  const password = randomBytes(18).toString('base64url');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [
      SCHEDULE_READER_ROLE,
    ]);
    const verb = exists.rowCount ? 'ALTER' : 'CREATE';
    await client.query(`${verb} ROLE ${SCHEDULE_READER_ROLE} LOGIN PASSWORD '${password}'`);
    // push_subscription_view: the devices the workers push to (ADR 220), the same way;
    // reminder_recipient_view: who a reminder goes to when it fires (ADR 376).
    for (const name of ['schedule_view', 'push_subscription_view', 'reminder_recipient_view']) {
      const view = await client.query('SELECT to_regclass($1) AS view', [`public.${name}`]);
      if ((view.rows[0] as { view: string | null }).view)
        await client.query(`GRANT SELECT ON ${name} TO ${SCHEDULE_READER_ROLE}`);
    }
  } finally {
    await client.end();
  }
  const url = new URL(databaseUrl);
  url.username = SCHEDULE_READER_ROLE;
  url.password = password;
  return url.toString();
}
