import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet } from 'jose';
import { UnauthenticatedError } from '../errors.js';

/** Who a valid token speaks for: the user, and the session it was issued from. */
export interface VerifiedToken {
  userId: string;
  sessionId: string;
}

/** Bounds the verified-token cache; past it the oldest entries go first. */
const MAX_CACHED_TOKENS = 10_000;

/**
 * Verifies our own JWTs against Better Auth's key set, refreshing it when a new key appears.
 *
 * A verified token is remembered, by its exact string, until its `exp`: an EdDSA signature
 * check was the largest single CPU cost of a task request, and a client sends the same
 * token for every request until it expires (decision 040). Expiry is still checked on
 * every request; a different string (tampered, re-signed) is verified from scratch.
 */
export class JwtVerifier {
  private keySet: ReturnType<typeof createLocalJWKSet> | null = null;
  private fetchedAt = 0;
  /** token → { user, session, exp in ms }; Map iteration order is insertion order (oldest first). */
  private readonly verified = new Map<string, VerifiedToken & { expiresAt: number }>();

  constructor(
    private readonly loadKeys: () => Promise<JSONWebKeySet>,
    private readonly issuer: string,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The user (`sub`) and session (`sid`) of a validly signed, unexpired token; throws
   * `UnauthenticatedError` otherwise. Whether the session is still signed in is the
   * caller's second check (`SessionLiveness`).
   */
  async verify(token: string): Promise<VerifiedToken> {
    const cached = this.verified.get(token);
    if (cached) {
      if (this.now() < cached.expiresAt)
        return { userId: cached.userId, sessionId: cached.sessionId };
      this.verified.delete(token);
      throw new UnauthenticatedError('the token has expired');
    }
    const { sub, sid, exp } = await this.verifySignature(token);
    // Only tokens that expire are cached: one without `exp` is checked every time.
    if (exp !== undefined) {
      if (this.verified.size >= MAX_CACHED_TOKENS) this.evictOldest();
      this.verified.set(token, { userId: sub, sessionId: sid, expiresAt: exp * 1000 });
    }
    return { userId: sub, sessionId: sid };
  }

  private async verifySignature(
    token: string,
  ): Promise<{ sub: string; sid: string; exp?: number }> {
    const options = {
      issuer: this.issuer,
      audience: this.issuer,
      currentDate: new Date(this.now()),
    };
    try {
      const { payload } = await jwtVerify(token, await this.keys(false), options).catch(
        async (error: unknown) => {
          if (error instanceof joseErrors.JWKSNoMatchingKey) {
            return jwtVerify(token, await this.keys(true), options);
          }
          throw error;
        },
      );
      if (!payload.sub) throw new UnauthenticatedError('the token names no user');
      // Without a session id the token could not be revoked by signing out: refused.
      if (typeof payload.sid !== 'string' || !payload.sid)
        throw new UnauthenticatedError('the token names no session: get a new one');
      return {
        sub: payload.sub,
        sid: payload.sid,
        ...(payload.exp !== undefined ? { exp: payload.exp } : {}),
      };
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw error;
      if (error instanceof joseErrors.JWTExpired)
        throw new UnauthenticatedError('the token has expired');
      throw new UnauthenticatedError('the bearer token is not valid');
    }
  }

  /** Drops expired entries, then, if still full, the oldest tenth. */
  private evictOldest(): void {
    const now = this.now();
    for (const [token, entry] of this.verified) {
      if (entry.expiresAt <= now) this.verified.delete(token);
    }
    if (this.verified.size < MAX_CACHED_TOKENS) return;
    let drop = Math.ceil(MAX_CACHED_TOKENS / 10);
    for (const token of this.verified.keys()) {
      if (drop-- <= 0) break;
      this.verified.delete(token);
    }
  }

  private async keys(refresh: boolean) {
    // At most one refresh per second, so forged kids cannot hammer the database.
    if (!this.keySet || (refresh && Date.now() - this.fetchedAt > 1000)) {
      this.keySet = createLocalJWKSet(await this.loadKeys());
      this.fetchedAt = Date.now();
    }
    return this.keySet;
  }
}
