import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { freePort, waitForPort } from './ports.js';

export interface RunningRedis {
  url: string;
  stop(): Promise<void>;
}

export class RedisNotInstalledError extends Error {
  constructor() {
    super(
      'redis-server was not found: install it with `sudo apt-get install -y redis-server`, or set REDIS_URL to a running Redis.',
    );
  }
}

export function findRedisServer(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path ? path : null;
}

/** Starts a private, non-persistent redis-server child on a free loopback port. */
export async function startRedis(options: { dir: string; port?: number }): Promise<RunningRedis> {
  const binary = findRedisServer();
  if (!binary) throw new RedisNotInstalledError();
  const port = options.port ?? (await freePort());
  mkdirSync(options.dir, { recursive: true });
  const child: ChildProcess = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      options.dir,
      // BullMQ requires that Redis never evicts its keys.
      '--maxmemory-policy',
      'noeviction',
    ],
    // Its own process group: a Ctrl+C in the terminal must not stop it before the services
    // that use it have drained; the owner stops it, and kills it if the owner dies first.
    { stdio: 'ignore', detached: true },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForPort(port, 15_000);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      process.off('exit', killOnExit);
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
