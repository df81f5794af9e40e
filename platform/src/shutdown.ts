import type { Server } from 'node:http';
import type { Logger } from 'pino';

export interface ShutdownHook {
  /** Named in the log, so a stuck drain says which step hangs. */
  name: string;
  run: () => Promise<void> | void;
}

export interface ShutdownOptions {
  /** What is stopping, for the last log line ("workers stopped"). */
  name: string;
  logger: Logger;
  /** The whole drain must end within this, or the process exits with 1. */
  timeoutMs: number;
  /** Default `process.exit`; tests observe the code instead. */
  exit?: (code: number) => void;
}

/**
 * Graceful shutdown in one place: hooks run one after another in the order they were added
 * (stop taking work first, then finish it, then close connections), each failure is logged
 * and does not skip the rest, and a deadline caps the whole drain. `draining` turns true at
 * the first step, so readiness can report it while traffic moves elsewhere.
 */
export class Shutdown {
  readonly #hooks: ShutdownHook[] = [];
  #running: Promise<number> | null = null;
  readonly #options: ShutdownOptions;

  constructor(options: ShutdownOptions) {
    this.#options = options;
  }

  get draining(): boolean {
    return this.#running !== null;
  }

  /** Adds a step; steps run in the order added. */
  add(name: string, run: ShutdownHook['run']): this {
    this.#hooks.push({ name, run });
    return this;
  }

  /**
   * Runs every step once (later calls get the same result) and resolves with the exit code:
   * 0 when all steps finished, 1 when one failed or the deadline passed.
   */
  run(reason: string): Promise<number> {
    this.#running ??= this.#drain(reason);
    return this.#running;
  }

  /** Drains on the first SIGTERM or SIGINT, then exits with the drain's code. */
  listen(signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): this {
    const { exit = (code: number) => process.exit(code) } = this.#options;
    for (const signal of signals) process.once(signal, () => void this.run(signal).then(exit));
    return this;
  }

  async #drain(reason: string): Promise<number> {
    const { logger, timeoutMs } = this.#options;
    logger.info({ reason }, 'shutting down');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        logger.error({ timeoutMs }, 'shutdown did not finish in time');
        resolve(1);
      }, timeoutMs);
    });
    const steps = (async () => {
      let code = 0;
      for (const hook of this.#hooks) {
        try {
          await hook.run();
          logger.debug({ step: hook.name }, 'shutdown step done');
        } catch (error) {
          code = 1;
          logger.error({ err: error, step: hook.name }, 'shutdown step failed');
        }
      }
      return code;
    })();
    const code = await Promise.race([steps, deadline]);
    clearTimeout(timer);
    if (code === 0) logger.info(`${this.#options.name} stopped`);
    return code;
  }
}

/**
 * Stops an HTTP server taking connections and waits for in-flight requests to finish; idle
 * keep-alive connections are closed at once so they do not hold the drain open.
 */
export async function closeServer(server: Server | null | undefined): Promise<void> {
  if (!server?.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await closed;
}
