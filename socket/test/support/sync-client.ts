import type {
  Task,
  TaskChange,
  TaskChangesPage,
  TaskPage,
  TaskUpdateMessage,
} from '@todo/contracts';
import { connectClient, type Client } from './nodes.js';

export interface AppliedChange {
  seq: string;
  taskId: string;
  action: TaskUpdateMessage['action'];
  via: 'live' | 'feed';
}

/**
 * The client algorithm of socket/README.md, as a web app would run it: load the list and its
 * change cursor, apply `task_update`s live, and on every (re)connection catch up through
 * `GET /tasks/changes?since=` while buffering live updates; duplicates are skipped by seq.
 */
export class SyncClient {
  readonly tasks = new Map<string, Task>();
  readonly applied: AppliedChange[] = [];
  readonly socket: Client;
  private cursor = 0n;
  private readonly taskSeq = new Map<string, bigint>();
  private catchingUp = false;
  private buffered: TaskUpdateMessage[] = [];
  private waiters: (() => boolean)[] = [];

  private constructor(
    private readonly apiUrl: string,
    socketUrl: string,
    private readonly token: string,
  ) {
    this.socket = connectClient(socketUrl, token);
    this.socket.on('connection_ack', () => void this.catchUp());
    this.socket.on('task_update', (update) => {
      if (this.catchingUp) this.buffered.push(update);
      else this.apply(update, 'live');
    });
  }

  /** Loads the task list (and with it the cursor), then connects. */
  static async open(apiUrl: string, socketUrl: string, token: string): Promise<SyncClient> {
    const page = await getJson<TaskPage>(`${apiUrl}/api/v1/tasks?limit=200`, token);
    const client = new SyncClient(apiUrl, socketUrl, token);
    // Seeding before the socket delivers anything: the constructor only started connecting.
    for (const task of page.items) client.tasks.set(task.id, task);
    client.cursor = BigInt(page.changesCursor);
    return client;
  }

  get cursorValue(): string {
    return this.cursor.toString();
  }

  /** Resolves once `condition` holds, re-checked after every applied change. */
  waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)),
        timeoutMs,
      );
      const check = () => {
        if (!condition()) return false;
        clearTimeout(timer);
        resolve();
        return true;
      };
      this.waiters.push(check);
    });
  }

  close(): void {
    this.socket.close();
  }

  private async catchUp(): Promise<void> {
    if (this.catchingUp) return;
    this.catchingUp = true;
    try {
      for (;;) {
        const page = await getJson<TaskChangesPage>(
          `${this.apiUrl}/api/v1/tasks/changes?since=${this.cursor}&limit=500`,
          this.token,
        );
        for (const change of page.changes) this.apply(change, 'feed');
        if (BigInt(page.nextCursor) > this.cursor) this.cursor = BigInt(page.nextCursor);
        if (!page.hasMore) break;
      }
    } finally {
      this.catchingUp = false;
      const buffered = this.buffered;
      this.buffered = [];
      for (const update of buffered) this.apply(update, 'live');
    }
  }

  private apply(change: TaskChange | TaskUpdateMessage, via: 'live' | 'feed'): void {
    const seq = BigInt(change.seq);
    // Each change carries the whole task: an older or repeated one is simply skipped.
    if (seq <= (this.taskSeq.get(change.taskId) ?? -1n)) return;
    this.taskSeq.set(change.taskId, seq);
    if (change.action === 'deleted') this.tasks.delete(change.taskId);
    else this.tasks.set(change.taskId, change.task);
    if (seq > this.cursor) this.cursor = seq;
    this.applied.push({ seq: change.seq, taskId: change.taskId, action: change.action, via });
    this.waiters = this.waiters.filter((check) => !check());
  }
}

async function getJson<T>(url: string, token: string): Promise<T> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
