import DataLoader from 'dataloader';
import type { ExpectedRecipientSource } from './recipients.js';

/**
 * Reads the expected recipients of every reminder scheduled in the same turn of the event
 * loop in one query. A bulk delivery of `task-events` schedules many reminders side by side,
 * and each query costs PostgreSQL about 0.5 ms of CPU however little it asks (ADR 385).
 * Nothing is cached: each scheduling asks the database as it stands.
 */
export class ExpectedRecipientsBatch implements ExpectedRecipientSource {
  private readonly loader: DataLoader<string, string[]>;

  constructor(source: ExpectedRecipientSource, maxBatchSize = 200) {
    this.loader = new DataLoader(
      async (taskIds) => {
        const found = await source.expectedFor([...taskIds]);
        return taskIds.map((id) => found.get(id) ?? []);
      },
      // The whole turn, not only the current microtasks: the entries of a bulk request reach
      // the scheduler a few awaits apart.
      { cache: false, maxBatchSize, batchScheduleFn: (run) => setImmediate(run) },
    );
  }

  async expectedFor(taskIds: string[]): Promise<Map<string, string[]>> {
    const found = await this.loader.loadMany(taskIds);
    const expected = new Map<string, string[]>();
    taskIds.forEach((id, i) => {
      const recipients = found[i];
      // One failed read fails every caller it served (each falls back to the owner).
      if (recipients instanceof Error) throw recipients;
      if (recipients && recipients.length) expected.set(id, recipients);
    });
    return expected;
  }
}
