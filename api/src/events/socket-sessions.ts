import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import { SOCKET_ADAPTER_KEY, sessionRoom } from '@todo/contracts';
import type { Logger } from '../logger.js';

/**
 * Ends the live sockets of a signed-out session: a `disconnectSockets` request on the socket
 * nodes' Redis adapter channel, which every node applies to its sockets in the session's
 * room. No service calls another: the api only publishes to Redis, as the workers' push
 * does. Best effort: if Redis is down the sockets end when their JWT expires, and their
 * `auth:refresh` is refused since the session is gone (decision 091).
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

  disconnect(sessionId: string): void {
    this.emitter.in(sessionRoom(sessionId)).disconnectSockets(true);
  }
}
