import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet } from 'jose';
import { UnauthenticatedError } from '../http/errors.js';

/** Verifies our own JWTs against Better Auth's key set, refreshing it when a new key appears. */
export class JwtVerifier {
  private keySet: ReturnType<typeof createLocalJWKSet> | null = null;
  private fetchedAt = 0;

  constructor(
    private readonly loadKeys: () => Promise<JSONWebKeySet>,
    private readonly issuer: string,
  ) {}

  /** The user id (`sub`) of a valid token; throws `UnauthenticatedError` otherwise. */
  async verify(token: string): Promise<string> {
    try {
      const { payload } = await jwtVerify(token, await this.keys(false), {
        issuer: this.issuer,
        audience: this.issuer,
      }).catch(async (error: unknown) => {
        if (error instanceof joseErrors.JWKSNoMatchingKey) {
          return jwtVerify(token, await this.keys(true), {
            issuer: this.issuer,
            audience: this.issuer,
          });
        }
        throw error;
      });
      if (!payload.sub) throw new UnauthenticatedError('the token names no user');
      return payload.sub;
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw error;
      if (error instanceof joseErrors.JWTExpired)
        throw new UnauthenticatedError('the token has expired');
      throw new UnauthenticatedError('the bearer token is not valid');
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
