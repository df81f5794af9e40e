import type { SocketConnectErrorCode, SocketConnectErrorData } from '@todo/contracts';

/**
 * A refused handshake. Socket.IO hands `message` and `data` to the client's `connect_error`,
 * so both are written for the client: the message in words, `data.code` for code paths.
 */
export class HandshakeError extends Error {
  readonly data: SocketConnectErrorData;

  constructor(code: SocketConnectErrorCode, message: string) {
    super(message);
    this.name = 'HandshakeError';
    this.data = { code };
  }
}
