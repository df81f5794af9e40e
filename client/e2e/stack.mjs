// Starts the whole system the way `npm start` does (the root launcher), on its own ports and
// data directory so it can run next to a dev `npm start`, and stops it afterwards.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const portFree = (port) =>
  new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });

/** A port offset whose internal ports (3000+, 3001+, 3002+, 3012+, 54329+) are all free. */
async function freeOffset() {
  for (let offset = 400; offset < 5000; offset += 100) {
    const ports = [8080, 3000, 3001, 3002, 3003, 3012, 54329].map((p) => p + offset);
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return offset;
  }
  throw new Error('no free port range for the e2e stack');
}

export async function startStack({ log = () => {} } = {}) {
  if (!existsSync(join(root, 'client/dist/client/browser/index.html'))) {
    throw new Error('client/dist is missing: run `npm run build -w @todo/client` first');
  }
  const offset = await freeOffset();
  const port = 8080 + offset;
  const dataDir = mkdtempSync(join(tmpdir(), 'todo-e2e-'));
  // Embedded PostgreSQL runs as the unprivileged `postgres` user when we are root.
  chmodSync(dataDir, 0o755);
  const url = `http://localhost:${port}`;
  const child = spawn(
    process.execPath,
    [
      join(root, 'node_modules/tsx/dist/cli.mjs'),
      '--conditions=source',
      join(root, 'ops/src/launcher/main.ts'),
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        PORT_OFFSET: String(offset),
        DATA_DIR: dataDir,
        PUBLIC_URL: url,
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
        DATABASE_URL: '',
        REDIS_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let output = '';
  const collect = (chunk) => {
    output += chunk;
    for (const line of String(chunk).split('\n')) if (line.startsWith('[launcher]')) log(line);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((done) => child.once('exit', (code) => done(code)));

  const started = Date.now();
  while (true) {
    const code = await Promise.race([exited, new Promise((r) => setTimeout(r, 500, 'wait'))]);
    if (code !== 'wait') throw new Error(`the launcher exited (${code}):\n${output.slice(-3000)}`);
    if (output.includes('is up at')) break;
    if (Date.now() - started > 180_000)
      throw new Error(`the stack did not start in 3 minutes:\n${output.slice(-3000)}`);
  }
  const health = await (await fetch(`${url}/health/ready`)).json();
  return {
    url,
    dataDir,
    apiUrl: `http://127.0.0.1:${3000 + offset}`,
    services: Object.keys(health.services ?? {}),
    startupMs: Date.now() - started,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }, 15_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
