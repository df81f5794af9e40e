import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres, type RunningPostgres } from '../infra/postgres.js';
import { RedisNotInstalledError, startRedis, type RunningRedis } from '../infra/redis.js';
import { startService, waitUntilReady, type RunningService } from './child.js';
import { createGateway } from './gateway.js';
import { loadDevSecrets } from './secrets.js';
import { serviceDefinitions, type ServiceDefinition } from './services.js';

/**
 * `npm start`: the whole system on one origin. Uses DATABASE_URL / REDIS_URL when set,
 * otherwise embedded PostgreSQL and a private redis-server, keeping data in .data/.
 */
const root = resolve(fileURLToPath(import.meta.url), '../../../..');
const dataDir = resolve(root, process.env.DATA_DIR ?? '.data');
const port = Number(process.env.PORT ?? 8080);
// PORT_OFFSET moves every internal port (services, embedded PostgreSQL) so a second stack,
// e.g. the browser e2e with its own DATA_DIR, can run next to a dev `npm start`.
const portOffset = Number(process.env.PORT_OFFSET ?? 0);
const publicUrl = process.env.PUBLIC_URL ?? `http://localhost:${port}`;
const say = (line: string) => console.log(`[launcher] ${line}`);

let postgres: RunningPostgres | null = null;
let redis: RunningRedis | null = null;
const running: RunningService[] = [];

async function main() {
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    say(`starting embedded PostgreSQL (data in ${join(dataDir, 'postgres')})`);
    postgres = await startEmbeddedPostgres({
      dataDir: join(dataDir, 'postgres'),
      persistent: true,
      port: 54329 + portOffset,
    });
    databaseUrl = await postgres.createDatabase('todo');
  }
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    say('starting a private redis-server');
    redis = await startRedis({ dir: join(dataDir, 'redis') });
    redisUrl = redis.url;
  }
  const secrets = loadDevSecrets(join(dataDir, 'dev-secrets.json'));
  const services = shiftPorts(
    serviceDefinitions({
      publicUrl,
      databaseUrl,
      redisUrl,
      secrets,
      // Fresh per start: nothing outside this process tree needs it, so nothing stores it.
      appApiToken: randomBytes(24).toString('base64url'),
      logLevel: process.env.LOG_LEVEL ?? 'info',
    }),
  );
  for (const definition of services) {
    const service = startService(root, definition);
    running.push(service);
    void service.exited.then((code) => {
      if (!shuttingDown) {
        say(`${definition.name} exited with code ${code}; stopping everything`);
        void shutdown(1);
      }
    });
    await waitUntilReady(`http://127.0.0.1:${definition.port}/health/ready`, service.exited);
    say(`${definition.name} is ready on port ${definition.port}`);
  }
  const clientDir = join(root, 'client/dist/client/browser');
  const gateway = createGateway(services, existsSync(clientDir) ? clientDir : null);
  gateway.listen(port);
  await once(gateway, 'listening');
  stopGateway = () => new Promise<void>((r) => gateway.close(() => r()));
  say(`Todo Chatbot is up at ${publicUrl}  (health: ${publicUrl}/health/ready, Ctrl+C to stop)`);
  say(`Bull Board: ${publicUrl}/admin/queues  (user admin, password ${secrets.bullBoardPassword})`);
}

/** Adds PORT_OFFSET to each service's port and to its references to the others' ports. */
function shiftPorts(services: ServiceDefinition[]): ServiceDefinition[] {
  if (!portOffset) return services;
  const moved = new Set(services.map((s) => String(s.port)));
  const shift = (value: string) =>
    value.replace(/127\.0\.0\.1:(\d+)/g, (match, p: string) =>
      moved.has(p) ? `127.0.0.1:${Number(p) + portOffset}` : match,
    );
  return services.map((s) => ({
    ...s,
    port: s.port + portOffset,
    env: Object.fromEntries(
      Object.entries(s.env).map(([k, v]) => [
        k,
        k === 'PORT' ? String(s.port + portOffset) : shift(v),
      ]),
    ),
  }));
}

let shuttingDown = false;
let stopGateway: () => Promise<void> = async () => {};

async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  say('stopping');
  // A service that will not drain must not keep the terminal: after 40 s, everything goes.
  setTimeout(() => {
    say('services did not stop in 40 s; killing them');
    for (const service of running) service.process.kill('SIGKILL');
    process.exit(code || 1);
  }, 40_000).unref();
  await stopGateway();
  await Promise.all([...running].reverse().map((s) => s.stop()));
  await redis?.stop();
  await postgres?.stop();
  process.exit(code);
}

process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));

main().catch(async (error: unknown) => {
  if (error instanceof RedisNotInstalledError) console.error(error.message);
  else console.error('[launcher] start failed:', error);
  await shutdown(1);
});
