import { Op } from 'sequelize';
import type { Notification, NotificationPage } from '@todo/contracts';
import { NotFoundError } from './errors.js';
import { NotificationModel } from '../data-access/models/index.js';

export function toNotificationDto(model: NotificationModel): Notification {
  return {
    id: model.id,
    userId: model.userId,
    title: model.title,
    body: model.body,
    taskIds: model.taskIds,
    channels: model.channels,
    deliveries: model.deliveries ?? [],
    readAt: model.readAt ? model.readAt.toISOString() : null,
    createdAt: model.createdAt.toISOString(),
  };
}

/** The user's notification inbox. */
export class NotificationService {
  async list(
    userId: string,
    options: { unread?: boolean; limit: number },
  ): Promise<NotificationPage> {
    const where = { userId, ...(options.unread ? { readAt: { [Op.is]: null } } : {}) };
    const [rows, unreadCount] = await Promise.all([
      NotificationModel.findAll({
        where,
        order: [
          ['createdAt', 'DESC'],
          ['id', 'DESC'],
        ],
        limit: options.limit,
      }),
      NotificationModel.count({ where: { userId, readAt: { [Op.is]: null } } }),
    ]);
    return { items: rows.map(toNotificationDto), unreadCount };
  }

  async markRead(userId: string, id: string): Promise<Notification> {
    const model = await NotificationModel.findOne({ where: { id, userId } });
    if (!model) throw new NotFoundError(`notification ${id}`);
    if (!model.readAt) {
      model.readAt = new Date();
      await model.save();
    }
    return toNotificationDto(model);
  }
}
