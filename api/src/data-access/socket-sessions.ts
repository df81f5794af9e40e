import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import {
  JWT_LIFETIME_SECONDS,
  SOCKET_ADAPTER_KEY,
  listMembershipsKey,
  listRoom,
  revokedSessionKey,
  sessionRoom,
  userRoom,
} from '@todo/contracts';
import type { Logger } from '@todo/platform';

/**
 * Ends the sockets of a signed-out session: marks the session revoked in Redis (socket nodes
 * then refuse new handshakes and `auth:refresh` with its JWTs), then sends a
 * `disconnectSockets` request on the socket nodes' Redis adapter channel, which every node
 * applies to its sockets in the session's room. No service calls another: the api only
 * writes to Redis, as the workers' push does. Best effort: if Redis is down the sockets end
 * when their JWT expires (decision 091).
 */
export class SocketSessions {
  private readonly emitter: Emitter;

  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
    key = SOCKET_ADAPTER_KEY,
  ) {
    // The emitter does not await its publishes: this client catches them, so a Redis outage
    // is a logged warning, never an unhandled rejection.
    const client = {
      publish: (channel: string, message: string) =>
        this.redis.publish(channel, message).catch((error: unknown) => {
          this.logger.warn({ err: error }, 'could not tell the socket nodes a session ended');
          return 0;
        }),
    };
    this.emitter = new Emitter(client, { key });
  }

  /**
   * Awaited by sign-out, so a handshake sent after the response already meets the mark.
   * The mark goes first: a socket that connects between the two is still disconnected.
   */
  async revoke(sessionId: string): Promise<void> {
    try {
      await this.redis.set(revokedSessionKey(sessionId), '1', 'EX', JWT_LIFETIME_SECONDS);
    } catch (error) {
      this.logger.warn({ err: error }, 'could not mark a signed-out session revoked');
    }
    this.emitter.in(sessionRoom(sessionId)).disconnectSockets(true);
  }

  /**
   * The user's open sockets join the list's room, on every node (the adapter carries it), and
   * the set socket nodes read at connect gains the list (ADR 322).
   */
  async joinList(userId: string, listId: string): Promise<void> {
    try {
      await this.redis.sadd(listMembershipsKey(userId), listId);
    } catch (error) {
      this.logger.warn({ err: error }, 'could not record a list membership for the socket nodes');
    }
    this.emitter.in(userRoom(userId)).socketsJoin(listRoom(listId));
  }

  /** The user's sockets leave the list's room now; the set loses it (a reconnect stays out). */
  async leaveList(userId: string, listId: string): Promise<void> {
    try {
      await this.redis.srem(listMembershipsKey(userId), listId);
    } catch (error) {
      this.logger.warn({ err: error }, 'could not drop a list membership for the socket nodes');
    }
    this.emitter.in(userRoom(userId)).socketsLeave(listRoom(listId));
  }
}
