import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { freePort, waitForPort } from './ports.js';

export interface RunningRedis {
  url: string;
  port: number;
  pid: number;
  /** Settles when redis-server exits, however it ends (a crash, a kill, stop()), saying how. */
  exited: Promise<string>;
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

/**
 * Starts a private redis-server child on a loopback port (a free one unless given). With
 * `persistent`, it keeps an append-only file in `dir` (fsync every second): a killed or
 * restarted Redis comes back with its jobs, at most about a second of writes lost.
 */
export async function startRedis(options: {
  dir: string;
  port?: number;
  persistent?: boolean;
}): Promise<RunningRedis> {
  const binary = findRedisServer();
  if (!binary) throw new RedisNotInstalledError();
  const port = options.port ?? (await freePort());
  mkdirSync(options.dir, { recursive: true });
  const persistence = options.persistent
    ? ['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '']
    : ['--save', '', '--appendonly', 'no'];
  const child: ChildProcess = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      ...persistence,
      '--dir',
      options.dir,
      // BullMQ requires that Redis never evicts its keys.
      '--maxmemory-policy',
      'noeviction',
      // A delayed job (a reminder) fires when the worker's blocking BZPOPMIN times out; an
      // idle Redis checks those timeouts `hz` times a second, so at the default 10 a reminder
      // fired up to 100 ms late (ADR 280).
      '--hz',
      '100',
    ],
    // Its own process group: a Ctrl+C in the terminal must not stop it before the services
    // that use it have drained; the owner stops it, and kills it if the owner dies first.
    { stdio: 'ignore', detached: true },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => {
      process.off('exit', killOnExit);
      resolve(signal ? `signal ${signal}` : `code ${code}`);
    }),
  );
  let dead = false;
  void exited.then(() => (dead = true));
  await Promise.race([
    waitForPort(port, 15_000),
    exited.then(() => {
      throw new Error(`redis-server exited at start (port ${port} taken?)`);
    }),
  ]);
  if (dead) throw new Error('redis-server exited at start');
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? 0,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
