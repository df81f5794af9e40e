import { ConnectionAcquireTimeoutError, type Sequelize, type Transaction } from 'sequelize';
import { recordTiming } from '@todo/platform';

/**
 * SQL taking the user's advisory lock for the rest of the transaction; `param` is the bind
 * placeholder of the user id. Re-entrant: taking it twice in one transaction is harmless.
 */
export const userLockSql = (param: string) =>
  `pg_advisory_xact_lock(hashtextextended('user:' || ${param}::text, 0))`;

/**
 * Runs `fn` in a transaction holding the user's advisory lock. Serialising one user's
 * writes makes change-feed sequence numbers and outbox ids commit in the order they were
 * allocated, so a client resuming from a cursor can never skip a change, and one task's
 * events always leave in order.
 *
 * With `lockInFirstQuery`, `fn`'s first statement takes the lock itself (`userLockSql`, as
 * `loadTaskWithRole` and `lockUserAndGetPreferences` do), saving a round trip on hot writes;
 * nothing may be written before it.
 */
export async function inUserTransaction<T>(
  sequelize: Sequelize,
  userId: string,
  fn: (transaction: Transaction) => Promise<T>,
  options: { lockInFirstQuery?: boolean } = {},
): Promise<T> {
  // A write to a shared list also takes its members' locks (ADR 321), after the caller's: two
  // members writing to each other's lists can deadlock. PostgreSQL breaks it by failing one
  // transaction, which rolled back whole and is simply run again.
  return afterEarlierWrites(sequelize, userId, async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await sequelize.transaction(async (transaction) => {
          if (!options.lockInFirstQuery) {
            await sequelize.query(`SELECT ${userLockSql('$1')}`, { bind: [userId], transaction });
          }
          return fn(transaction);
        });
      } catch (error) {
        if (attempt >= DEADLOCK_ATTEMPTS || !isDeadlock(error)) throw error;
      }
    }
  });
}

/** Per database handle: user id → the end of that user's queue of transactions here. */
const queues = new WeakMap<Sequelize, Map<string, Promise<void>>>();

/**
 * Runs `work` once this process's earlier transactions of the same user have finished. They
 * would serialise on the advisory lock anyway, but waiting there holds a pooled connection
 * for every queued write: one user's burst (or one write stalled by a GC pause) then drains
 * the pool and every other user's requests queue behind it, which is where the CRUD tail's
 * stalls came from (ADR 340). Queued here, a waiting write holds nothing. The advisory lock
 * stays: it is what serialises writes across api replicas.
 */
function afterEarlierWrites<T>(
  sequelize: Sequelize,
  userId: string,
  work: () => Promise<T>,
): Promise<T> {
  let perUser = queues.get(sequelize);
  if (!perUser) queues.set(sequelize, (perUser = new Map()));
  const earlier = perUser.get(userId);
  const run = earlier ? waitThen(earlier, acquireTimeoutMs(sequelize), work) : work();
  // The next one waits for this one and for everything before it, even if this one gave up.
  const settled = Promise.allSettled([earlier, run]).then(() => {});
  perUser.set(userId, settled);
  void settled.then(() => {
    if (perUser.get(userId) === settled) perUser.delete(userId);
  });
  return run;
}

/** How long a request may wait for a pooled connection; a queued write waits no longer. */
const acquireTimeoutMs = (sequelize: Sequelize): number =>
  (sequelize as unknown as { options: { pool?: { acquire?: number } } }).options.pool?.acquire ??
  60_000;

/**
 * `work` once `earlier` settles; when that takes longer than `timeoutMs` (a write stuck on
 * the lock, a stalled database), fails as a pool timeout does: 503 with Retry-After.
 */
function waitThen<T>(earlier: Promise<void>, timeoutMs: number, work: () => Promise<T>) {
  const queuedAt = performance.now();
  return new Promise<T>((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      reject(
        new ConnectionAcquireTimeoutError(
          new Error(`waited ${timeoutMs} ms for this user's earlier writes`),
        ),
      );
    }, timeoutMs);
    void earlier.then(() => {
      if (timedOut) return;
      clearTimeout(timer);
      recordTiming('lock', performance.now() - queuedAt);
      work().then(resolve, reject);
    });
  });
}

const DEADLOCK_ATTEMPTS = 3;

const isDeadlock = (error: unknown): boolean =>
  (error as { parent?: { code?: string } } | null)?.parent?.code === '40P01';
