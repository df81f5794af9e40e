import { DEFAULT_NOTIFICATION_PREFERENCES, type NotificationPreferences } from '@todo/contracts';
import type { Transaction } from 'sequelize';
import { NotificationPreferenceModel } from '../models/index.js';

function toDto(model: NotificationPreferenceModel): NotificationPreferences {
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
  const found = await NotificationPreferenceModel.findByPk(
    userId,
    transaction ? { transaction } : {},
  );
  return found ? toDto(found) : { ...DEFAULT_NOTIFICATION_PREFERENCES };
}

export async function updatePreferences(
  userId: string,
  patch: Partial<NotificationPreferences>,
): Promise<NotificationPreferences> {
  const current = await getPreferences(userId);
  const [saved] = await NotificationPreferenceModel.upsert({ userId, ...current, ...patch });
  return toDto(saved);
}
