import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import {
  SOCKET_ADAPTER_KEY,
  userRoom,
  type Notification,
  type ServerToClientEvents,
} from '@todo/contracts';

/** Live push to every socket of the user through the socket nodes' Redis adapter channel. */
export class SocketPush {
  private readonly emitter: Emitter<ServerToClientEvents>;

  /** `key` must match the socket nodes' Redis adapter key. */
  constructor(redis: Redis, key = SOCKET_ADAPTER_KEY) {
    this.emitter = new Emitter<ServerToClientEvents>(redis, { key });
  }

  notify(notification: Notification): void {
    this.emitter.to(userRoom(notification.userId)).emit('notification', notification);
  }
}
