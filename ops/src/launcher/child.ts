import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ServiceDefinition } from './services.js';

export interface RunningService {
  definition: ServiceDefinition;
  process: ChildProcess;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Runs one service from its TypeScript sources (tsx), logs passed through as they are. */
export function startService(root: string, definition: ServiceDefinition): RunningService {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
    cwd: join(root, definition.dir),
    env: { ...process.env, ...definition.env, NODE_ENV: process.env.NODE_ENV ?? 'development' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return {
    definition,
    process: child,
    exited,
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
