import pg from 'pg';
import type { Sequelize } from 'sequelize';
import type { CloudEvent, Topic } from '@todo/contracts';
import type { Logger } from '@todo/platform';
import type { Metrics } from '../../metrics.js';
import type { EventPublisher } from './event-publisher.js';
import { OUTBOX_CHANNEL } from './outbox-writer.js';

/** Rows committed but not yet accepted by the transport (the backlog metric, `flush`). */
const UNSENT_COUNT_SQL = 'SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL';

/** Only one relay publishes at a time (across replicas), which keeps per-task order. */
const RELAY_LOCK_KEY = 727002;

export interface RelayOptions {
  databaseUrl: string;
  batchSize?: number;
  pollMs?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Partition keys (users) published at the same time; each key's events stay in order. */
  publishConcurrency?: number;
}

interface OutboxRow {
  id: string;
  event_id: string;
  topic: Topic;
  partition_key: string;
  payload: CloudEvent;
}

/**
 * Publishes committed outbox rows and marks them sent: in id order per partition key (the
 * user), with different keys in parallel, so one slow round trip does not queue everybody's
 * events behind it.
 *
 * The relay reads and marks rows on its own connection, the one that LISTENs and holds the
 * leader lock, never on the request pool: under load, requests queue for pooled connections,
 * and a relay queued behind them delivered nothing until the load stopped (ADR 386).
 *
 * Woken by NOTIFY at commit (low latency) and by a poll (safety net). When the transport
 * fails on a row, that key stops there — its later rows wait, so one task's events never
 * overtake each other — and the relay retries with exponential backoff and jitter. A row is marked sent only after
 * the transport accepted it: a crash in between means one redelivery, which consumers
 * absorb by event id; nothing is ever lost.
 */
export class OutboxRelay {
  private listener: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private draining: Promise<void> | null = null;
  private wakeRequested = false;
  private backoffMs = 0;
  private leader = false;
  private leaderAttemptAt = 0;
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly publishConcurrency: number;

  constructor(
    private readonly sequelize: Sequelize,
    private readonly publisher: EventPublisher,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly options: RelayOptions,
  ) {
    this.batchSize = options.batchSize ?? 100;
    this.pollMs = options.pollMs ?? 1000;
    this.initialBackoffMs = options.initialBackoffMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.publishConcurrency = options.publishConcurrency ?? 8;
  }

  async start(): Promise<void> {
    this.running = true;
    await this.connectListener();
    this.wake(true);
  }

  /** Stops after the batch in flight; unsent rows stay for the next start. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.draining;
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => {});
  }

  /** Resolves when every row committed so far has been published (used by tests and shutdown). */
  async flush(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.pendingCount()) > 0) {
      if (Date.now() > deadline) throw new Error('outbox did not drain in time');
      this.wake(true);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async pendingCount(): Promise<number> {
    const [rows] = await this.sequelize.query(UNSENT_COUNT_SQL);
    return (rows as { n: number }[])[0]?.n ?? 0;
  }

  /** A statement on the relay's own connection; fails the cycle (and backs off) without one. */
  private async query<R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<R[]> {
    if (!this.listener) throw new Error('the relay has no database connection; reconnecting');
    return (await this.listener.query<R>(sql, params)).rows;
  }

  private async connectListener(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.databaseUrl });
    client.on('notification', () => this.wake());
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'outbox listener connection lost; reconnecting');
      this.leader = false;
      this.listener = null;
      if (this.running) setTimeout(() => void this.connectListener().catch(() => {}), 1000);
    });
    await client.connect();
    await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    this.listener = client;
  }

  /**
   * Starts a drain now, unless one runs or the relay is backing off after a failure: new
   * commits during an outage must not hammer the broker (nor inflate the backoff).
   */
  private wake(fromTimer = false): void {
    if (!this.running) return;
    if (this.draining || (!fromTimer && this.backoffMs > 0 && this.timer)) {
      this.wakeRequested = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.draining = this.drain()
      .catch((error: unknown) => {
        this.logger.error({ err: error }, 'outbox relay cycle failed');
        this.backoffMs = this.nextBackoff();
      })
      .finally(() => {
        this.draining = null;
        this.schedule();
      });
  }

  private schedule(): void {
    if (!this.running) return;
    if (this.wakeRequested && this.backoffMs === 0) {
      this.wakeRequested = false;
      this.wake();
      return;
    }
    this.wakeRequested = false;
    const delay = this.backoffMs > 0 ? this.backoffMs : this.pollMs;
    this.timer = setTimeout(() => this.wake(true), delay);
  }

  private nextBackoff(): number {
    const base =
      this.backoffMs === 0
        ? this.initialBackoffMs
        : Math.min(this.backoffMs * 2, this.maxBackoffMs);
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  private async ensureLeader(): Promise<boolean> {
    if (this.leader) return true;
    if (!this.listener) return false;
    // A standby is woken by every commit's NOTIFY too: it asks for the lock at most once a
    // poll interval rather than once a write.
    if (Date.now() - this.leaderAttemptAt < this.pollMs) return false;
    this.leaderAttemptAt = Date.now();
    const result = await this.listener.query<{ ok: boolean }>(
      'SELECT pg_try_advisory_lock($1) AS ok',
      [RELAY_LOCK_KEY],
    );
    this.leader = result.rows[0]?.ok === true;
    return this.leader;
  }

  private async drain(): Promise<void> {
    if (!(await this.ensureLeader())) return;
    for (;;) {
      if (!this.running) return;
      const batch = await this.query<OutboxRow>(
        'SELECT id, event_id, topic, partition_key, payload FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1',
        [this.batchSize],
      );
      this.metrics.outboxPending.set(
        batch.length < this.batchSize
          ? batch.length
          : ((await this.query<{ n: number }>(UNSENT_COUNT_SQL, []))[0]?.n ?? 0),
      );
      if (batch.length === 0) {
        this.backoffMs = 0;
        return;
      }
      // Rows are marked sent per batch, after the transport accepted each of them, in one
      // UPDATE (one per event cost the api a round trip per event): a crash mid-batch
      // redelivers at most that batch, which consumers absorb by event id.
      const sent: string[] = [];
      let failed = false;
      try {
        const publishBatch = this.publisher.publishBatch?.bind(this.publisher);
        failed = publishBatch
          ? await this.publishBatch(publishBatch, batch, sent)
          : await this.publishByLane(batch, sent);
      } finally {
        if (sent.length > 0) {
          await this.query(
            'UPDATE outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = ANY($1::bigint[])',
            [sent],
          );
        }
      }
      if (failed) {
        this.backoffMs = this.nextBackoff();
        this.logger.warn({ retryInMs: this.backoffMs }, 'outbox relay backing off after a failure');
        return;
      }
      this.backoffMs = 0;
      // A short batch was everything committed when it was read; later commits NOTIFY.
      if (batch.length < this.batchSize) return;
    }
  }

  /** One row at a time per key, keys side by side; true when a row failed. */
  private async publishByLane(batch: OutboxRow[], sent: string[]): Promise<boolean> {
    let failed = false;
    const lanes = [...groupByKey(batch).values()];
    await forEachConcurrently(lanes, this.publishConcurrency, async (lane) => {
      for (const row of lane) {
        if (!(await this.publishRow(row))) {
          failed = true;
          return; // this key's later rows wait behind the failed one
        }
        sent.push(row.id);
      }
    });
    return failed;
  }

  /**
   * The batch handed over per topic in one call (ADR 382: a subscriber that declared bulk
   * delivery gets one request instead of one per row); true when a row failed. Per key, only
   * the rows before its first failure count as sent, so a retry never overtakes.
   */
  private async publishBatch(
    publish: NonNullable<EventPublisher['publishBatch']>,
    batch: OutboxRow[],
    sent: string[],
  ): Promise<boolean> {
    const byTopic = new Map<Topic, OutboxRow[]>();
    for (const row of batch) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
    let failed = false;
    await Promise.all(
      [...byTopic].map(async ([topic, rows]) => {
        let failures: Map<string, string>;
        try {
          failures = await publish(
            topic,
            rows.map((row) => ({ event: row.payload, partitionKey: row.partition_key })),
          );
        } catch (error) {
          failures = new Map(rows.map((row) => [row.payload.id, String(error)]));
        }
        // The first refused row of each key records the failure; its later rows just wait.
        const stopped = new Set<string>();
        for (const row of rows) {
          const reason = failures.get(row.payload.id);
          if (stopped.has(row.partition_key)) continue;
          if (reason !== undefined) {
            stopped.add(row.partition_key);
            failed = true;
            await this.recordFailure(row, reason);
            continue;
          }
          sent.push(row.id);
          this.metrics.outboxPublished.inc({ topic: row.topic });
        }
      }),
    );
    return failed;
  }

  /**
   * Hands one row to the transport; false (and recorded on the row) when it failed. Never
   * throws, so one lane's failure cannot abandon the other lanes mid-flight.
   */
  private async publishRow(row: OutboxRow): Promise<boolean> {
    try {
      await this.publisher.publish(row.topic, row.payload, row.partition_key);
    } catch (error) {
      await this.recordFailure(row, error);
      return false;
    }
    this.metrics.outboxPublished.inc({ topic: row.topic });
    this.logger.debug(
      {
        eventId: row.event_id,
        topic: row.topic,
        type: row.payload.type,
        taskId: row.payload.subject,
      },
      'event published',
    );
    return true;
  }

  /** Counts the failed attempt on the row (kept for the next try) and logs it. */
  private async recordFailure(row: OutboxRow, error: unknown): Promise<void> {
    await this.query('UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [
      row.id,
      String(error).slice(0, 2000),
    ]).catch((dbError: unknown) =>
      this.logger.warn({ err: dbError }, 'could not record a failed publish'),
    );
    this.metrics.outboxFailures.inc({ topic: row.topic });
    this.logger.warn(
      { err: error, eventId: row.event_id, topic: row.topic, taskId: row.payload.subject },
      'event publish failed; will retry',
    );
  }
}

/** Rows per partition key, each list in id order (the batch is read in id order). */
function groupByKey(batch: OutboxRow[]): Map<string, OutboxRow[]> {
  const lanes = new Map<string, OutboxRow[]>();
  for (const row of batch) {
    const lane = lanes.get(row.partition_key);
    if (lane) lane.push(row);
    else lanes.set(row.partition_key, [row]);
  }
  return lanes;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function forEachConcurrently<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
