import { randomUUID } from 'node:crypto';
import type { Task } from '@todo/contracts';

/** What a write is, for the ledger: the change row it must leave in PostgreSQL. */
export type WriteAction = 'created' | 'updated' | 'completed' | 'deleted';

export interface Write {
  userId: string;
  taskId: string;
  action: WriteAction;
  acknowledged: boolean;
  attempts: number;
  /** Status of the last answer when not acknowledged (0 = no answer). */
  lastStatus: number;
}

/** Every write the load made, and the tasks it can still act on. */
export class Ledger {
  readonly writes: Write[] = [];
  /** task id → due reminder time (ms), for tasks created with a reminder inside the run. */
  readonly reminders = new Map<string, number>();
  /** Recurring tasks completed (acknowledged): each owes one next instance. */
  readonly completedSeries = new Map<string, string>();
}

const RETRYABLE = new Set([0, 502, 503, 504]);

/**
 * One user writing through the api's load balancer. Every write carries an Idempotency-Key and
 * is retried with the same key until it is answered (a replica killed mid-request answers 502
 * or nothing; the retry must neither lose nor repeat the change).
 */
export class LoadUser {
  private plain: string[] = [];
  private recurring: Task[] = [];

  constructor(
    readonly userId: string,
    private readonly token: string,
    private readonly apiUrl: string,
    private readonly ledger: Ledger,
  ) {}

  private async send(
    method: string,
    path: string,
    body: unknown,
    expect: number,
    write: Write,
  ): Promise<unknown> {
    const key = randomUUID();
    const giveUpAt = Date.now() + 60_000;
    this.ledger.writes.push(write);
    while (Date.now() < giveUpAt) {
      write.attempts++;
      let status = 0;
      let text = '';
      try {
        const response = await fetch(`${this.apiUrl}/api/v1${path}`, {
          method,
          headers: {
            authorization: `Bearer ${this.token}`,
            'idempotency-key': key,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        });
        status = response.status;
        text = await response.text();
      } catch {
        status = 0;
      }
      write.lastStatus = status;
      if (status === expect) {
        write.acknowledged = true;
        return text ? JSON.parse(text) : null;
      }
      if (!RETRYABLE.has(status)) return null;
      await new Promise((r) => setTimeout(r, 250));
    }
    return null;
  }

  /** One random write: creates, edits, deletions, completions of recurring tasks, reminders. */
  async step(runEndsAt: number): Promise<void> {
    const roll = Math.random();
    const w = (taskId: string, action: WriteAction): Write => ({
      userId: this.userId,
      taskId,
      action,
      acknowledged: false,
      attempts: 0,
      lastStatus: 0,
    });
    if (roll < 0.15 && this.recurring.length > 0) {
      const task = this.recurring.shift() as Task;
      const done = await this.send(
        'POST',
        `/tasks/${task.id}/complete`,
        undefined,
        200,
        w(task.id, 'completed'),
      );
      if (done && task.seriesId) this.ledger.completedSeries.set(task.seriesId, task.id);
      return;
    }
    if (roll < 0.35 && this.plain.length > 0) {
      const taskId = this.plain[Math.floor(Math.random() * this.plain.length)] as string;
      await this.send(
        'PATCH',
        `/tasks/${taskId}`,
        { title: `edited ${randomUUID()}` },
        200,
        w(taskId, 'updated'),
      );
      return;
    }
    if (roll < 0.4 && this.plain.length > 1) {
      const taskId = this.plain.shift() as string;
      await this.send('DELETE', `/tasks/${taskId}`, undefined, 204, w(taskId, 'deleted'));
      return;
    }
    const id = randomUUID();
    if (roll < 0.55) {
      const due = new Date(Date.now() + 3_600_000);
      due.setUTCSeconds(0, 0);
      const task = (await this.send(
        'POST',
        '/tasks',
        {
          id,
          title: `daily ${id}`,
          dueDate: due.toISOString(),
          recurrence: { frequency: 'daily', maxOccurrences: 5 },
        },
        201,
        w(id, 'created'),
      )) as Task | null;
      if (task) this.recurring.push(task);
      return;
    }
    // A reminder due during the run (a minute before a due date): fires 5 s to 25 s from now.
    const fireAt = Date.now() + 5_000 + Math.floor(Math.random() * 20_000);
    if (roll < 0.7 && fireAt < runEndsAt) {
      const created = (await this.send(
        'POST',
        '/tasks',
        {
          id,
          title: `remind ${id}`,
          dueDate: new Date(fireAt + 60_000).toISOString(),
          reminderOffset: 1,
        },
        201,
        w(id, 'created'),
      )) as Task | null;
      if (created) this.ledger.reminders.set(id, Date.parse(created.reminderAt ?? '') || fireAt);
      return;
    }
    const created = await this.send(
      'POST',
      '/tasks',
      { id, title: `task ${id}` },
      201,
      w(id, 'created'),
    );
    if (created) this.plain.push(id);
  }
}
