import { DEFAULT_NOTIFICATION_PREFERENCES, type NotificationPreferences } from '@todo/contracts';
import { QueryTypes, type Transaction } from 'sequelize';
import { recordPreferencesUpdated } from '../data-access/events/outbox-writer.js';
import { NotificationPreferenceModel } from '../data-access/models/index.js';
import { userAddress } from '../data-access/user-address.js';
import { inUserTransaction, userLockSql } from '../data-access/user-transaction.js';

function toDto(model: NotificationPreferences): NotificationPreferences {
  return {
    emailEnabled: model.emailEnabled,
    pushEnabled: model.pushEnabled,
    quietHoursStart: model.quietHoursStart,
    quietHoursEnd: model.quietHoursEnd,
    timezone: model.timezone,
    timezoneChosen: model.timezoneChosen,
    defaultReminderOffset: model.defaultReminderOffset,
  };
}

/** The user's preferences; defaults until they save their own. */
export async function getPreferences(
  userId: string,
  transaction?: Transaction,
): Promise<NotificationPreferences> {
  const found = await NotificationPreferenceModel.findByPk(userId, {
    raw: true,
    ...(transaction ? { transaction } : {}),
  });
  return found ? toDto(found) : { ...DEFAULT_NOTIFICATION_PREFERENCES };
}

/**
 * Takes the user's advisory lock and reads their preferences in one round trip: the first
 * statement of a task create (`inUserTransaction` with `lockInFirstQuery`).
 */
export async function lockUserAndGetPreferences(
  userId: string,
  transaction: Transaction,
): Promise<NotificationPreferences> {
  const [found] = await NotificationPreferenceModel.sequelize!.query<
    NotificationPreferences & { userId: string | null }
  >(
    `SELECT p.user_id AS "userId", p.email_enabled AS "emailEnabled",
       p.push_enabled AS "pushEnabled", p.quiet_hours_start AS "quietHoursStart",
       p.quiet_hours_end AS "quietHoursEnd", p.timezone, p.timezone_chosen AS "timezoneChosen",
       p.default_reminder_offset AS "defaultReminderOffset"
     FROM (SELECT ${userLockSql('$1')}) AS user_lock
     LEFT JOIN notification_preferences p ON p.user_id = $1`,
    { bind: [userId], transaction, type: QueryTypes.SELECT },
  );
  return found && found.userId !== null ? toDto(found) : { ...DEFAULT_NOTIFICATION_PREFERENCES };
}

/**
 * `lockUserAndGetPreferences` that also finds the user's Inbox (null when there is none yet,
 * or it was made while this statement waited for the lock: the caller then looks again): a
 * task create needs both, and every round trip under the lock is one more that the user's
 * next write waits for.
 */
export async function lockUserForCreate(
  userId: string,
  transaction: Transaction,
): Promise<{ preferences: NotificationPreferences; inboxId: string | null }> {
  const [found] = await NotificationPreferenceModel.sequelize!.query<
    NotificationPreferences & { userId: string | null; inboxId: string | null }
  >(
    `SELECT p.user_id AS "userId", p.email_enabled AS "emailEnabled",
       p.push_enabled AS "pushEnabled", p.quiet_hours_start AS "quietHoursStart",
       p.quiet_hours_end AS "quietHoursEnd", p.timezone, p.timezone_chosen AS "timezoneChosen",
       p.default_reminder_offset AS "defaultReminderOffset",
       (SELECT l.id FROM lists l WHERE l.user_id = $1 AND l.is_inbox) AS "inboxId"
     FROM (SELECT ${userLockSql('$1')}) AS user_lock
     LEFT JOIN notification_preferences p ON p.user_id = $1`,
    { bind: [userId], transaction, type: QueryTypes.SELECT },
  );
  return {
    preferences:
      found && found.userId !== null ? toDto(found) : { ...DEFAULT_NOTIFICATION_PREFERENCES },
    inboxId: found?.inboxId ?? null,
  };
}

/**
 * Applies a partial change under the user's lock (two tabs saving at once both land).
 * A new `timezone` counts as chosen unless the caller says `timezoneChosen: false`: that is
 * an app adopting the device's zone silently, which never replaces a zone a person chose
 * (the answer then shows the chosen zone, unchanged).
 */
export async function updatePreferences(
  userId: string,
  patch: Partial<NotificationPreferences>,
): Promise<NotificationPreferences> {
  const sequelize = NotificationPreferenceModel.sequelize!;
  return inUserTransaction(
    sequelize,
    userId,
    async (transaction) => {
      const current = await lockUserAndGetPreferences(userId, transaction);
      const next = { ...current, ...patch };
      if (patch.timezone !== undefined) {
        const adopting = patch.timezoneChosen === false;
        if (adopting && current.timezoneChosen) {
          next.timezone = current.timezone;
          next.timezoneChosen = true;
        } else next.timezoneChosen = !adopting;
      }
      const [saved] = await NotificationPreferenceModel.upsert(
        { userId, ...next },
        { transaction },
      );
      const preferences = toDto(saved);
      // The address rides along, so the workers keep mailing the right one (migration 011).
      const address = await userAddress(userId, transaction);
      await recordPreferencesUpdated(transaction, userId, { ...preferences, ...address });
      return preferences;
    },
    { lockInFirstQuery: true },
  );
}

/**
 * The account's address changed or was verified: tells the workers (`preferences.updated`
 * with the address as it is now), so reminder mail starts, or follows the new address, from
 * the next reminder on (ADR 260).
 */
export async function announceAddress(userId: string): Promise<void> {
  const sequelize = NotificationPreferenceModel.sequelize!;
  await inUserTransaction(sequelize, userId, async (transaction) => {
    const preferences = await getPreferences(userId, transaction);
    const address = await userAddress(userId, transaction);
    await recordPreferencesUpdated(transaction, userId, { ...preferences, ...address });
  });
}
