import { QueryTypes, type Sequelize } from 'sequelize';
import type { Metrics } from '../metrics.js';
import type { Logger } from '@todo/platform';

/** How long each append-only table keeps its rows. */
export interface RetentionPolicy {
  /** Published outbox rows; unsent ones are never pruned, whatever their age. */
  outboxHours: number;
  /** Change-feed rows; a cursor older than this gets 410 CURSOR_EXPIRED. */
  changeFeedDays: number;
  /**
   * Idempotency records of consumed events and of requests' Idempotency-Keys; far longer than
   * any redelivery or a client's offline outbox waits.
   */
  processedEventsDays: number;
  /** Lists' activity entries (ADR 374); optional so a policy written before them still reads. */
  activityDays?: number;
  /** Rows per DELETE, so no statement holds locks or bloats WAL for long. */
  batchSize: number;
}

export type PrunedCounts = Record<
  'outbox' | 'taskChanges' | 'processedEvents' | 'idempotencyKeys' | 'listActivity',
  number
>;

// Any replica may run the janitor; one at a time does the work (the others skip the round).
const JANITOR_LOCK_KEY = 727_003;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DEFAULT_ACTIVITY_DAYS = 90;

/**
 * Deletes what the outbox, the change feed and the idempotency table no longer need, so they
 * stay small however long the system runs. Pruning the change feed records each user's
 * horizon in the same statement, which is how the feed tells an expired cursor from an empty
 * page instead of silently skipping changes.
 */
export class RetentionJanitor {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly sequelize: Sequelize,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly policy: RetentionPolicy,
    private readonly intervalMs: number,
  ) {}

  /** Runs a first round soon after start-up, then every interval. */
  start(): void {
    const round = () => {
      this.running = this.runOnce()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'retention round failed'))
        .finally(() => {
          this.running = null;
          if (this.timer) this.timer = setTimeout(round, this.intervalMs).unref();
        });
    };
    this.timer = setTimeout(round, Math.min(this.intervalMs, 60_000)).unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pruning round as of `now`; answers what it deleted (nothing if another replica holds the lock). */
  async runOnce(now = new Date()): Promise<PrunedCounts> {
    const at = now.getTime();
    const counts: PrunedCounts = {
      outbox: await this.drain(PRUNE_OUTBOX, new Date(at - this.policy.outboxHours * HOUR)),
      taskChanges: await this.drain(
        PRUNE_TASK_CHANGES,
        new Date(at - this.policy.changeFeedDays * DAY),
      ),
      processedEvents: await this.drain(
        PRUNE_PROCESSED_EVENTS,
        new Date(at - this.policy.processedEventsDays * DAY),
      ),
      idempotencyKeys: await this.drain(
        PRUNE_IDEMPOTENCY_KEYS,
        new Date(at - this.policy.processedEventsDays * DAY),
      ),
      listActivity: await this.drain(
        PRUNE_LIST_ACTIVITY,
        new Date(at - (this.policy.activityDays ?? DEFAULT_ACTIVITY_DAYS) * DAY),
      ),
    };
    for (const [table, count] of Object.entries(counts))
      if (count > 0) this.metrics.retentionPruned.inc({ table }, count);
    if (Object.values(counts).some((count) => count > 0))
      this.logger.info({ pruned: counts }, 'retention round pruned old rows');
    return counts;
  }

  /** Batches of one statement until a batch comes back short (or another replica has the lock). */
  private async drain(statement: string, cutoff: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.sequelize.transaction(async (transaction) => {
        const [lock] = await this.sequelize.query<{ ok: boolean }>(
          'SELECT pg_try_advisory_xact_lock(:key) AS ok',
          { replacements: { key: JANITOR_LOCK_KEY }, type: QueryTypes.SELECT, transaction },
        );
        if (!lock?.ok) return 0;
        const [row] = await this.sequelize.query<{ deleted: number }>(statement, {
          replacements: { cutoff, batch: this.policy.batchSize },
          type: QueryTypes.SELECT,
          transaction,
        });
        return Number(row?.deleted ?? 0);
      });
      total += deleted;
      if (deleted < this.policy.batchSize) return total;
    }
  }
}

const PRUNE_OUTBOX = `
  WITH doomed AS (
    SELECT id FROM outbox
    WHERE created_at < :cutoff AND sent_at IS NOT NULL AND sent_at < :cutoff
    ORDER BY id LIMIT :batch
  ), deleted AS (
    DELETE FROM outbox o USING doomed d WHERE o.id = d.id RETURNING o.id
  )
  SELECT count(*)::int AS deleted FROM deleted`;

// The horizon upsert reads the DELETE's output, so both commit together or not at all.
const PRUNE_TASK_CHANGES = `
  WITH doomed AS (
    SELECT seq FROM task_changes WHERE created_at < :cutoff ORDER BY seq LIMIT :batch
  ), deleted AS (
    DELETE FROM task_changes t USING doomed d WHERE t.seq = d.seq RETURNING t.user_id, t.seq
  ), horizons AS (
    INSERT INTO task_change_horizons (user_id, pruned_through)
    SELECT user_id, max(seq) FROM deleted GROUP BY user_id
    ON CONFLICT (user_id) DO UPDATE
      SET pruned_through = GREATEST(task_change_horizons.pruned_through, EXCLUDED.pruned_through)
  )
  SELECT count(*)::int AS deleted FROM deleted`;

const PRUNE_PROCESSED_EVENTS = `
  WITH doomed AS (
    SELECT event_id, consumer FROM processed_events WHERE processed_at < :cutoff LIMIT :batch
  ), deleted AS (
    DELETE FROM processed_events p USING doomed d
    WHERE p.event_id = d.event_id AND p.consumer = d.consumer RETURNING 1
  )
  SELECT count(*)::int AS deleted FROM deleted`;

const PRUNE_IDEMPOTENCY_KEYS = `
  WITH doomed AS (
    SELECT user_id, key FROM idempotency_keys WHERE created_at < :cutoff LIMIT :batch
  ), deleted AS (
    DELETE FROM idempotency_keys i USING doomed d
    WHERE i.user_id = d.user_id AND i.key = d.key RETURNING 1
  )
  SELECT count(*)::int AS deleted FROM deleted`;

// A log people read back for a season, not forever: the oldest entries go first (ADR 374).
const PRUNE_LIST_ACTIVITY = `
  WITH doomed AS (
    SELECT id FROM list_activity WHERE created_at < :cutoff ORDER BY created_at LIMIT :batch
  ), deleted AS (
    DELETE FROM list_activity a USING doomed d WHERE a.id = d.id RETURNING 1
  )
  SELECT count(*)::int AS deleted FROM deleted`;
