import { DEFAULT_NOTIFICATION_PREFERENCES, type NotificationPreferences } from '@todo/contracts';
import { QueryTypes, type Transaction } from 'sequelize';
import { NotificationPreferenceModel } from '../models/index.js';
import { userLockSql } from './user-transaction.js';

function toDto(model: NotificationPreferences): NotificationPreferences {
  return {
    emailEnabled: model.emailEnabled,
    pushEnabled: model.pushEnabled,
    quietHoursStart: model.quietHoursStart,
    quietHoursEnd: model.quietHoursEnd,
    timezone: model.timezone,
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
       p.quiet_hours_end AS "quietHoursEnd", p.timezone,
       p.default_reminder_offset AS "defaultReminderOffset"
     FROM (SELECT ${userLockSql('$1')}) AS user_lock
     LEFT JOIN notification_preferences p ON p.user_id = $1`,
    { bind: [userId], transaction, type: QueryTypes.SELECT },
  );
  return found && found.userId !== null ? toDto(found) : { ...DEFAULT_NOTIFICATION_PREFERENCES };
}

export async function updatePreferences(
  userId: string,
  patch: Partial<NotificationPreferences>,
): Promise<NotificationPreferences> {
  const current = await getPreferences(userId);
  const [saved] = await NotificationPreferenceModel.upsert({ userId, ...current, ...patch });
  return toDto(saved);
}
