import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RedisNotInstalledError } from '../infra/redis.js';
import { loadDevSecrets } from './secrets.js';
import { startLocalStack, type LocalStack } from './stack.js';

/**
 * `npm start`: the whole system on one origin. Uses DATABASE_URL / REDIS_URL when set,
 * otherwise embedded PostgreSQL and a private redis-server, keeping data in .data/. Every
 * process is supervised: a crash is logged and restarted; a crash loop stops the stack.
 */
const root = resolve(fileURLToPath(import.meta.url), '../../../..');
const dataDir = resolve(root, process.env.DATA_DIR ?? '.data');
const port = Number(process.env.PORT ?? 8080);
// PORT_OFFSET moves every internal port (services, embedded PostgreSQL) so a second stack,
// e.g. the browser e2e with its own DATA_DIR, can run next to a dev `npm start`.
const portOffset = Number(process.env.PORT_OFFSET ?? 0);
const publicUrl = process.env.PUBLIC_URL ?? `http://localhost:${port}`;
const say = (line: string) => console.log(`[launcher] ${line}`);

let stack: LocalStack | null = null;
let shuttingDown = false;

async function main() {
  stack = await startLocalStack({
    root,
    dataDir,
    port,
    publicUrl,
    ports: new Map([3000, 3001, 3002, 3012, 54329].map((p) => [p, p + portOffset])),
    databaseUrl: process.env.DATABASE_URL || undefined,
    redisUrl: process.env.REDIS_URL || undefined,
    smtpUrl: process.env.SMTP_URL || undefined,
    mailFrom: process.env.MAIL_FROM || undefined,
    logLevel: process.env.LOG_LEVEL ?? 'info',
    log: say,
    supervision: { onGiveUp: () => void shutdown(1) },
  });
  const secrets = loadDevSecrets(resolve(dataDir, 'dev-secrets.json'));
  say(`Todo Chatbot is up at ${publicUrl}  (health: ${publicUrl}/health/ready, Ctrl+C to stop)`);
  say(`Bull Board: ${publicUrl}/admin/queues  (user admin, password ${secrets.bullBoardPassword})`);
  say(
    stack.mail
      ? `Mail: ${publicUrl}/admin/mail  (every mail the stack sends lands here; same login)`
      : `Mail: sent through SMTP_URL`,
  );
}

async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  say('stopping');
  // A service that will not drain must not keep the terminal: after 40 s, everything goes.
  setTimeout(() => {
    say('services did not stop in 40 s; exiting');
    process.exit(code || 1);
  }, 40_000).unref();
  await stack?.stop();
  process.exit(code);
}

process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));

main().catch(async (error: unknown) => {
  if (error instanceof RedisNotInstalledError) console.error(error.message);
  else console.error('[launcher] start failed:', error);
  await shutdown(1);
});
