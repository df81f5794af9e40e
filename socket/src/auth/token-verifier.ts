import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import { HandshakeError } from './handshake-error.js';

export interface VerifiedToken {
  userId: string;
  /** When the token stops being valid (ms since the epoch); the connection ends then. */
  expiresAt: number;
  /** The api's session id (`sid`), whose sign-out disconnects the socket. */
  sessionId?: string;
}

export interface TokenVerifierOptions {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** Whether the session (`sid`) signed out; rejects when that cannot be known right now. */
  isRevoked?: (sessionId: string) => Promise<boolean>;
}

/**
 * Verifies the api's JWTs against its JWKS. jose caches the key set and refetches it only
 * for an unknown key id (at most every 30 s), so handshakes never call the api, and the
 * first fetch happens lazily: a node may start before the api does.
 */
export class TokenVerifier {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly options: TokenVerifierOptions) {
    this.keys = createRemoteJWKSet(new URL(options.jwksUrl), {
      timeoutDuration: 5_000,
      cooldownDuration: 30_000,
      cacheMaxAge: 10 * 60_000,
    });
  }

  /** The token's user and expiry; throws `HandshakeError` saying why it is refused. */
  async verify(token: string): Promise<VerifiedToken> {
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        requiredClaims: ['sub', 'exp'],
      });
      // requiredClaims guarantees both; the checks narrow the types.
      if (!payload.sub || payload.exp === undefined)
        throw new HandshakeError('UNAUTHENTICATED', 'the token names no user');
      const sessionId = typeof payload.sid === 'string' ? payload.sid : undefined;
      // A signed-out session's JWT stays cryptographically valid until it expires; it is
      // refused exactly like a forged one, so the client just signs in again.
      if (sessionId && this.options.isRevoked && (await this.isRevoked(sessionId)))
        throw new HandshakeError('UNAUTHENTICATED', 'the token is not valid');
      return {
        userId: payload.sub,
        expiresAt: payload.exp * 1000,
        ...(sessionId ? { sessionId } : {}),
      };
    } catch (error) {
      throw toHandshakeError(error);
    }
  }

  private async isRevoked(sessionId: string): Promise<boolean> {
    try {
      return (await this.options.isRevoked?.(sessionId)) === true;
    } catch {
      // Redis is down: fail closed, as for an unreachable key set; the client retries.
      throw new HandshakeError(
        'AUTH_UNAVAILABLE',
        'tokens cannot be checked right now: retry shortly',
      );
    }
  }
}

function toHandshakeError(error: unknown): HandshakeError {
  if (error instanceof HandshakeError) return error;
  if (error instanceof joseErrors.JWTExpired)
    return new HandshakeError(
      'TOKEN_EXPIRED',
      'the token has expired: get a new one and reconnect',
    );
  // The key set could not be fetched or read: not the client's fault, it may retry.
  if (
    error instanceof joseErrors.JWKSTimeout ||
    error instanceof joseErrors.JWKSInvalid ||
    error instanceof TypeError ||
    (error instanceof joseErrors.JOSEError && error.code === 'ERR_JOSE_GENERIC')
  ) {
    return new HandshakeError(
      'AUTH_UNAVAILABLE',
      'tokens cannot be checked right now: retry shortly',
    );
  }
  return new HandshakeError('UNAUTHENTICATED', 'the token is not valid');
}
