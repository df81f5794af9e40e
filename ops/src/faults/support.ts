import { readdirSync, readFileSync } from 'node:fs';
import type { Notification, Task, TaskChangesPage } from '@todo/contracts';
import { signUpUser, type TestUser } from '../testing/users.js';

/** Polls `probe` until it returns a value (not undefined/null/false) or the deadline passes. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** What every fault test prints, and what must be zero. */
export interface Counts {
  attempted: number;
  acknowledged: number;
  present: number;
  lost: number;
  duplicated: number;
}

export function report(name: string, counts: Counts, extra: Record<string, unknown> = {}): string {
  const line =
    `[faults] ${name}: attempted ${counts.attempted} / acknowledged ${counts.acknowledged} / ` +
    `present ${counts.present} / lost ${counts.lost} / duplicated ${counts.duplicated}` +
    (Object.keys(extra).length ? `  ${JSON.stringify(extra)}` : '');
  console.log(line);
  return line;
}

/** One user of the public REST API, through the gateway. */
export class Client {
  private constructor(
    readonly baseUrl: string,
    readonly user: TestUser,
  ) {}

  static async signUp(baseUrl: string): Promise<Client> {
    return new Client(baseUrl, await signUpUser(baseUrl));
  }

  async call<T>(method: string, path: string, body?: unknown, timeoutMs = 10_000): Promise<T> {
    const response = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.user.token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    if (!response.ok)
      throw new HttpError(response.status, `${method} ${path} → ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** A task whose reminder fires at `at` (due a minute later, reminder one minute before). */
  reminderTask(title: string, at: number): Promise<Task> {
    return this.call<Task>('POST', '/tasks', {
      title,
      dueDate: new Date(at + 60_000).toISOString(),
      reminderOffset: 1,
    });
  }

  async notifications(): Promise<Notification[]> {
    return (await this.call<{ items: Notification[] }>('GET', '/notifications?limit=200')).items;
  }

  async tasks(): Promise<Task[]> {
    return (await this.call<{ items: Task[] }>('GET', '/tasks?status=all&limit=200')).items;
  }

  async changes(since: string): Promise<TaskChangesPage> {
    return this.call<TaskChangesPage>('GET', `/tasks/changes?since=${since}&limit=200`);
  }
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Counts of "every reminder fires exactly once": one notification per task id, none twice.
 * Waits until every acknowledged task has a notification or `timeoutMs` passes.
 */
export async function reminderCounts(
  client: Client,
  attempted: number,
  acknowledged: Task[],
  timeoutMs: number,
): Promise<Counts> {
  const ids = acknowledged.map((t) => t.id);
  let inbox: Notification[] = [];
  await waitFor(
    'a notification for every acknowledged reminder',
    async () => {
      inbox = await client.notifications();
      const covered = new Set(inbox.flatMap((n) => n.taskIds));
      return ids.every((id) => covered.has(id));
    },
    timeoutMs,
    250,
  ).catch(() => undefined);
  // A duplicate would come a moment after the first: give it one batch window and a bit.
  await new Promise((r) => setTimeout(r, 1000));
  inbox = await client.notifications();
  const times = new Map<string, number>();
  for (const n of inbox) for (const id of n.taskIds) times.set(id, (times.get(id) ?? 0) + 1);
  const present = ids.filter((id) => times.has(id)).length;
  return {
    attempted,
    acknowledged: ids.length,
    present,
    lost: ids.length - present,
    duplicated: ids.reduce((sum, id) => sum + Math.max(0, (times.get(id) ?? 0) - 1), 0),
  };
}

/** The processes whose parent is `pid` (PostgreSQL's backends under the postmaster). */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command (which is in parentheses and may hold spaces): state, ppid.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return children;
}

/** Reads one sample of a Prometheus metric (first match) from a service's /metrics. */
export async function metric(url: string, pattern: RegExp): Promise<number | null> {
  const text = await (await fetch(url)).text();
  const found = pattern.exec(text);
  return found ? Number(found[1]) : null;
}
