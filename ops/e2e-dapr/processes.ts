import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';

/** A child process of the lane, its output in a log file (printed when something fails). */
export interface Proc {
  name: string;
  logFile: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  running(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
  /** The last lines of its log. */
  tail(lines?: number): string;
}

export function startProc(options: {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
  logFile: string;
}): Proc {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  log.write(`\n--- ${new Date().toISOString()} ${options.command} ${options.args.join(' ')}\n`);
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      log.write(`spawn error: ${error.message}\n`);
      resolve(-1);
    });
    child.once('exit', (code) => resolve(code));
  });
  const proc: Proc = {
    name: options.name,
    logFile: options.logFile,
    child,
    exited,
    running: () => child.exitCode === null && child.signalCode === null,
    async stop(graceMs = 10_000) {
      if (proc.running()) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      await exited;
    },
    tail(lines = 40) {
      try {
        return readFileSync(options.logFile, 'utf8').split('\n').slice(-lines).join('\n');
      } catch {
        return '(no log)';
      }
    },
  };
  return proc;
}

/** Polls `check` until it returns a value (not undefined/false), or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Resolves when `url` answers with a 2xx status; rejects when `proc` exits first or on timeout. */
export async function waitForHttp(url: string, proc: Proc, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!proc.running())
      throw new Error(
        `${proc.name} exited (code ${proc.child.exitCode}) before ${url} answered:\n${proc.tail()}`,
      );
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) }).catch(() => null);
    if (response?.ok) return;
    if (Date.now() > deadline)
      throw new Error(`${url} (${proc.name}) not ready after ${timeoutMs} ms:\n${proc.tail()}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
