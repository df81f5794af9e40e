/** One supervised process: how to start it (resolving once it is ready) and how it ends. */
export interface Unit {
  name: string;
  start(): Promise<RunningUnit>;
}

export interface RunningUnit {
  pid: number;
  /** Settles when the process ends, with a word on how (`code 1`, `signal SIGKILL`). */
  exited: Promise<string>;
  stop(): Promise<void>;
}

export type UnitState = 'starting' | 'up' | 'restarting' | 'stopped';

export interface SupervisorOptions {
  /** This many crashes of one unit within `crashWindowMs` is a crash loop: give up. */
  maxCrashes?: number;
  crashWindowMs?: number;
  /** First restart delay; doubles with each crash still inside the window. */
  backoffMs?: number;
  maxBackoffMs?: number;
  log?: (line: string) => void;
  /** A unit is crash-looping: the owner stops everything with this message. */
  onGiveUp?: (name: string, message: string) => void;
  /** A unit is (again) up: owners refresh what depends on its pid. */
  onUp?: (name: string, unit: RunningUnit) => void;
}

interface Entry {
  unit: Unit;
  state: UnitState;
  running: RunningUnit | null;
  crashes: number[];
  restarts: number;
  timer: NodeJS.Timeout | null;
}

/**
 * Keeps the local stack's processes running: a unit that exits on its own is restarted with
 * exponential backoff and logged; one that crashes `maxCrashes` times within `crashWindowMs`
 * stops the stack with a clear message instead of flapping forever. Only `stopAll` (Ctrl+C)
 * stops units on purpose.
 */
export class Supervisor {
  private readonly entries = new Map<string, Entry>();
  private stopping = false;
  private readonly maxCrashes: number;
  private readonly crashWindowMs: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly log: (line: string) => void;

  constructor(private readonly options: SupervisorOptions = {}) {
    this.maxCrashes = options.maxCrashes ?? 5;
    this.crashWindowMs = options.crashWindowMs ?? 60_000;
    this.backoffMs = options.backoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 8000;
    this.log = options.log ?? (() => {});
  }

  /** Starts `unit` and keeps it running; rejects if its first start fails. */
  async add(unit: Unit): Promise<RunningUnit> {
    const entry: Entry = {
      unit,
      state: 'starting',
      running: null,
      crashes: [],
      restarts: 0,
      timer: null,
    };
    this.entries.set(unit.name, entry);
    const running = await unit.start();
    this.adopt(entry, running);
    return running;
  }

  state(name: string): UnitState | undefined {
    return this.entries.get(name)?.state;
  }

  /** Every unit's state and restart count, for readiness and logs. */
  snapshot(): Record<string, { state: UnitState; restarts: number; pid: number | null }> {
    return Object.fromEntries(
      [...this.entries].map(([name, e]) => [
        name,
        { state: e.state, restarts: e.restarts, pid: e.running?.pid ?? null },
      ]),
    );
  }

  running(name: string): RunningUnit | null {
    return this.entries.get(name)?.running ?? null;
  }

  /** From now on an exit is a stop, not a crash (Ctrl+C also reaches the children). */
  halt(): void {
    this.stopping = true;
  }

  /** Stops every unit, last added first (Redis and PostgreSQL outlive the services). */
  async stopAll(): Promise<void> {
    this.halt();
    const entries = [...this.entries.values()].reverse();
    for (const entry of entries) if (entry.timer) clearTimeout(entry.timer);
    for (const entry of entries) {
      entry.state = 'stopped';
      await entry.running?.stop().catch(() => undefined);
    }
  }

  private adopt(entry: Entry, running: RunningUnit): void {
    entry.running = running;
    entry.state = 'up';
    this.options.onUp?.(entry.unit.name, running);
    void running.exited.then((how) => {
      if (this.stopping || entry.running !== running) return;
      this.crashed(entry, how);
    });
  }

  private crashed(entry: Entry, how: string): void {
    const name = entry.unit.name;
    const now = Date.now();
    entry.running = null;
    entry.crashes = [...entry.crashes.filter((t) => now - t < this.crashWindowMs), now];
    const recent = entry.crashes.length;
    if (recent >= this.maxCrashes) {
      entry.state = 'stopped';
      const message =
        `${name} crashed ${recent} times within ${Math.round(this.crashWindowMs / 1000)} s ` +
        `(last: ${how}); a crash loop, so the stack stops — see ${name}'s log lines above`;
      this.log(message);
      this.options.onGiveUp?.(name, message);
      return;
    }
    const delay = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** (recent - 1));
    entry.state = 'restarting';
    this.log(
      `${name} exited (${how}); restarting in ${delay} ms (crash ${recent} of ${this.maxCrashes} allowed within ${Math.round(this.crashWindowMs / 1000)} s)`,
    );
    entry.timer = setTimeout(() => void this.restart(entry), delay);
  }

  private async restart(entry: Entry): Promise<void> {
    entry.timer = null;
    if (this.stopping) return;
    try {
      const running = await entry.unit.start();
      if (this.stopping) {
        await running.stop();
        return;
      }
      entry.restarts += 1;
      this.adopt(entry, running);
      this.log(`${entry.unit.name} restarted (pid ${running.pid}, restart ${entry.restarts})`);
    } catch (error) {
      if (this.stopping) return;
      this.crashed(entry, `failed to start: ${(error as Error).message}`);
    }
  }
}
