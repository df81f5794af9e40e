import type { MigrationFn } from 'umzug';
import type { QueryInterface } from 'sequelize';

/**
 * A series may be open-ended (neither an end date nor a count: it repeats until the user
 * stops it), and `by_monthday = -1` means the last day of the month. Idempotent, because
 * another change to the same rule may already have run.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    ALTER TABLE recurrence_patterns DROP CONSTRAINT IF EXISTS recurrence_patterns_check;
    ALTER TABLE recurrence_patterns DROP CONSTRAINT IF EXISTS recurrence_patterns_by_monthday_check;
    ALTER TABLE recurrence_patterns DROP CONSTRAINT IF EXISTS recurrence_patterns_one_end;
    ALTER TABLE recurrence_patterns DROP CONSTRAINT IF EXISTS recurrence_patterns_monthday;
    ALTER TABLE recurrence_patterns
      ADD CONSTRAINT recurrence_patterns_one_end
        CHECK (end_date IS NULL OR max_occurrences IS NULL),
      ADD CONSTRAINT recurrence_patterns_monthday
        CHECK (by_monthday = -1 OR by_monthday BETWEEN 1 AND 31);
  `);
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    ALTER TABLE recurrence_patterns DROP CONSTRAINT IF EXISTS recurrence_patterns_one_end;
    ALTER TABLE recurrence_patterns DROP CONSTRAINT IF EXISTS recurrence_patterns_monthday;
    ALTER TABLE recurrence_patterns
      ADD CONSTRAINT recurrence_patterns_by_monthday_check CHECK (by_monthday BETWEEN 1 AND 31);
  `);
};
