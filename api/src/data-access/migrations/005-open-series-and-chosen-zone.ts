import type { MigrationFn } from 'umzug';
import type { QueryInterface } from 'sequelize';

/**
 * ADR 070. A series may be open-ended (at most one of end_date and max_occurrences, where 001
 * demanded exactly one), and by_monthday -1 means the month's last day. Existing patterns keep
 * the end they have.
 *
 * `timezone_chosen`: whether a person chose their time zone (true), or it is the default or was
 * adopted from a device (false). Existing rows: the apps never sent the device's zone, so a zone
 * other than the default UTC was set by a person (Settings, chat, API) and counts as chosen; an
 * untouched UTC stays open for the device to replace.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    ALTER TABLE recurrence_patterns
      DROP CONSTRAINT recurrence_patterns_check,
      DROP CONSTRAINT recurrence_patterns_by_monthday_check,
      ADD CONSTRAINT recurrence_patterns_one_end_at_most
        CHECK (end_date IS NULL OR max_occurrences IS NULL),
      ADD CONSTRAINT recurrence_patterns_by_monthday_check
        CHECK (by_monthday = -1 OR by_monthday BETWEEN 1 AND 31);
    ALTER TABLE notification_preferences
      ADD COLUMN timezone_chosen boolean NOT NULL DEFAULT false;
    UPDATE notification_preferences SET timezone_chosen = true WHERE timezone <> 'UTC';
  `);
};

/** Back to 001's rules for new rows; open-ended and last-day patterns already saved stay. */
export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    ALTER TABLE notification_preferences DROP COLUMN IF EXISTS timezone_chosen;
    ALTER TABLE recurrence_patterns
      DROP CONSTRAINT IF EXISTS recurrence_patterns_one_end_at_most,
      DROP CONSTRAINT IF EXISTS recurrence_patterns_by_monthday_check,
      ADD CONSTRAINT recurrence_patterns_check
        CHECK ((end_date IS NULL) <> (max_occurrences IS NULL)) NOT VALID,
      ADD CONSTRAINT recurrence_patterns_by_monthday_check
        CHECK (by_monthday BETWEEN 1 AND 31) NOT VALID;
  `);
};
