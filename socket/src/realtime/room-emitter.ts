import {
  listRoom,
  userRoom,
  type ListChangedData,
  type ListUpdateMessage,
  type MemberChangedData,
  type MemberUpdateMessage,
  type Notification,
  type TaskChangedData,
  type TaskUpdateMessage,
} from '@todo/contracts';
import type { Metrics } from '../http/metrics.js';
import type { RealtimeServer } from './types.js';

/**
 * Emits to the rooms of the owner of record and of the list (every other member's tabs, ADR
 * 322); a socket in both gets it once. The Redis adapter publishes it to every node, each of which
 * writes it to its own sockets in that room, so one node per event is enough.
 */
export class RoomEmitter {
  constructor(
    private readonly io: RealtimeServer,
    private readonly metrics: Metrics,
  ) {}

  taskUpdate(data: TaskChangedData): void {
    const { userId, ...message } = data;
    const update: TaskUpdateMessage = message;
    this.io.to([userRoom(userId), listRoom(data.task.listId)]).emit('task_update', update);
    this.metrics.emittedMessages.inc({ event: 'task_update' });
    const lag = (Date.now() - Date.parse(data.timestamp)) / 1000;
    if (Number.isFinite(lag) && lag >= 0) this.metrics.deliveryLag.observe(lag);
  }

  listUpdate(data: ListChangedData): void {
    const { userId, ...message } = data;
    const update: ListUpdateMessage = message;
    // access_revoked is addressed to the one user who lost the list, never to its room.
    const rooms =
      data.action === 'access_revoked'
        ? [userRoom(userId)]
        : [userRoom(userId), listRoom(data.listId)];
    this.io.to(rooms).emit('list_update', update);
    this.metrics.emittedMessages.inc({ event: 'list_update' });
  }

  /**
   * To the rooms of the owner of record and of the list, like a list change (every member's
   * tabs redraw its members and roles), and to the member's own room: one just added hears it
   * even before their sockets joined the list's room, and one removed after they left it.
   */
  memberUpdate(data: MemberChangedData): void {
    const { userId, ...message } = data;
    const update: MemberUpdateMessage = message;
    const rooms = [userRoom(userId), userRoom(data.member.userId), listRoom(data.listId)];
    this.io.to(rooms).emit('member_update', update);
    this.metrics.emittedMessages.inc({ event: 'member_update' });
  }

  notification(notification: Notification): void {
    this.io.to(userRoom(notification.userId)).emit('notification', notification);
    this.metrics.emittedMessages.inc({ event: 'notification' });
  }
}
