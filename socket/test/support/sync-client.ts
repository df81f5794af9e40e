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
  private catchUpAgain = false;
  /** connection_acks seen, and the last one whose catch-up has completed. */
  private acks = 0;
  private syncedAck = 0;
  private buffered: TaskUpdateMessage[] = [];
  private waiters: (() => boolean)[] = [];

  private constructor(
    private readonly apiUrl: string,
    socketUrl: string,
    private readonly token: string,
  ) {
    this.socket = connectClient(socketUrl, token);
    this.socket.on('connection_ack', () => {
      this.acks += 1;
      void this.catchUp();
    });
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

  /** Resolves once `condition` holds, re-checked after every applied change and catch-up. */
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

  /**
   * Resolves once the client is connected and has caught up through the feed since its latest
   * connection: from then on, changes reach it live (a test asserting `via: 'live'` needs that,
   * or the catch-up request may still be in flight and pick the change up from the feed).
   */
  synced(timeoutMs = 15_000): Promise<void> {
    return this.waitFor(
      () => this.socket.connected && this.acks > 0 && this.syncedAck === this.acks,
      'the catch-up after connecting',
      timeoutMs,
    );
  }

  close(): void {
    this.socket.close();
  }

  private async catchUp(): Promise<void> {
    // A reconnection during a catch-up needs one more pass: its gap began after this one's read.
    if (this.catchingUp) {
      this.catchUpAgain = true;
      return;
    }
    this.catchingUp = true;
    try {
      do {
        this.catchUpAgain = false;
        const ack = this.acks;
        for (;;) {
          const page = await getJson<TaskChangesPage>(
            `${this.apiUrl}/api/v1/tasks/changes?since=${this.cursor}&limit=500`,
            this.token,
          );
          for (const change of page.changes) this.apply(change, 'feed');
          if (BigInt(page.nextCursor) > this.cursor) this.cursor = BigInt(page.nextCursor);
          if (!page.hasMore) break;
        }
        this.syncedAck = ack;
      } while (this.catchUpAgain);
    } finally {
      this.catchingUp = false;
      const buffered = this.buffered;
      this.buffered = [];
      for (const update of buffered) this.apply(update, 'live');
      this.recheck();
    }
  }

  private recheck(): void {
    this.waiters = this.waiters.filter((check) => !check());
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
    this.recheck();
  }
}

async function getJson<T>(url: string, token: string): Promise<T> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
