import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../infra/ports.js';
import { waitUntilReady } from '../launcher/child.js';
import { RELAXED_AUTH_LIMITS } from './users.js';

export interface ApiProcess {
  baseUrl: string;
  stop(): Promise<void>;
}

const root = resolve(fileURLToPath(import.meta.url), '../../../..');

/**
 * Runs the real api as a child process (as the launcher does), for other services' tests:
 * they talk to it over HTTP like in production, never through its internals.
 */
export async function startApiProcess(options: {
  databaseUrl: string;
  directSubscribers?: string[];
  env?: Record<string, string>;
  /** A fixed port (a restarted api keeps its address); any free one otherwise. */
  port?: number;
  /** More Node flags, e.g. a benchmark's `--import` probe. */
  execArgv?: string[];
  /**
   * Run the build (`api/dist`, as the image does) instead of the TypeScript sources through
   * tsx: what a benchmark should measure. `npm run build` first.
   */
  compiled?: boolean;
}): Promise<ApiProcess> {
  const port = options.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    options.compiled
      ? [...(options.execArgv ?? []), 'dist/main.js']
      : ['--conditions=source', '--import', 'tsx', ...(options.execArgv ?? []), 'src/main.ts'],
    {
      cwd: join(root, 'api'),
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: String(port),
        DATABASE_URL: options.databaseUrl,
        EVENT_TRANSPORT: 'direct',
        DIRECT_SUBSCRIBERS: (options.directSubscribers ?? []).join(','),
        BETTER_AUTH_URL: baseUrl,
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
        OUTBOX_POLL_MS: '200',
        ...RELAXED_AUTH_LIMITS,
        ...options.env,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    await waitUntilReady(`${baseUrl}/health`, exited, 60_000);
  } catch (error) {
    // A test that cannot get its api fails; a child left running would keep it hanging.
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
    throw error;
  }
  return {
    baseUrl,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
