import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from '../infra/postgres.js';
import { RedisNotInstalledError, startRedis, type RunningRedis } from '../infra/redis.js';

/**
 * `npm test`: starts a throw-away PostgreSQL (embedded, unless TEST_POSTGRES_ADMIN_URL is
 * given) and Redis (unless REDIS_URL is given), then runs every workspace's tests through
 * lerna against them, one workspace at a time (the machine has two cores).
 */
const scratch = mkdtempSync(join(tmpdir(), 'todo-test-'));
// As root, PostgreSQL runs as the unprivileged `postgres` user, which must reach its data folder.
chmodSync(scratch, 0o755);
let postgres: RunningPostgres | null = null;
let redis: RunningRedis | null = null;

async function main(): Promise<number> {
  let postgresAdminUrl = process.env.TEST_POSTGRES_ADMIN_URL;
  if (!postgresAdminUrl) {
    postgres = await startEmbeddedPostgres({ dataDir: join(scratch, 'pg'), persistent: false });
    postgresAdminUrl = postgres.adminUrl;
  }
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    redis = await startRedis({ dir: join(scratch, 'redis') });
    redisUrl = redis.url;
  }
  console.log(
    `[test] PostgreSQL ${postgres ? 'embedded' : 'external'}, Redis ${redis ? 'private' : 'external'}`,
  );
  const args = [
    'lerna',
    'run',
    'test',
    '--stream',
    '--concurrency',
    '1',
    '--no-bail',
    ...process.argv.slice(2),
  ];
  const child = spawn('npx', args, {
    stdio: 'inherit',
    env: {
      ...process.env,
      TEST_POSTGRES_ADMIN_URL: postgresAdminUrl,
      REDIS_URL: redisUrl,
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
    },
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

async function cleanup() {
  await redis?.stop().catch(() => {});
  await postgres?.stop().catch(() => {});
  rmSync(scratch, { recursive: true, force: true });
}

// Interrupted (Ctrl+C, CI timeout): still stop the servers, which run in their own process groups.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void cleanup().finally(() => process.exit(130));
  });
}

main()
  .then(async (code) => {
    await cleanup();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    console.error(error instanceof RedisNotInstalledError ? error.message : error);
    await cleanup();
    process.exit(1);
  });
