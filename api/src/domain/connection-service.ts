import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  ACCESS_TOKEN_PREFIX,
  ACCESS_TOKENS_MAX,
  CALENDAR_TOKEN_PREFIX,
  type PersonalAccessToken,
  type AccessTokenScope,
  type CalendarFeed,
  type CreateAccessTokenRequest,
  type CreatedPersonalAccessToken,
} from '@todo/contracts';
import type { AccessTokenRow, ConnectionStore } from '../data-access/connection-store.js';
import { DomainError, NotFoundError } from './errors.js';

/** 32 random bytes: the secret cannot be guessed, so one fast hash (no salt, no KDF) suffices. */
const newSecret = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;
export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');
/** What a token's listing shows of it: the prefix and four characters. */
const HINT_LENGTH = ACCESS_TOKEN_PREFIX.length + 4;

/** Who a personal access token speaks for, and what it may do. */
export interface TokenPrincipal {
  userId: string;
  scope: AccessTokenScope;
  tokenId: string;
}

const toDto = (row: AccessTokenRow): PersonalAccessToken => ({
  id: row.id,
  name: row.name,
  scope: row.scope,
  hint: row.hint,
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
});

/**
 * Personal access tokens (ADR 250) and the calendar feed's secret. Each secret is shown once,
 * when made; only its SHA-256 is kept. A token is looked up on every request it authenticates
 * (one unique-index read), so revoking it (deleting the row) refuses its next request on
 * every replica at once.
 */
export class ConnectionService {
  constructor(private readonly store: ConnectionStore) {}

  static isAccessToken(bearer: string): boolean {
    return bearer.startsWith(ACCESS_TOKEN_PREFIX);
  }

  async createToken(
    userId: string,
    request: CreateAccessTokenRequest,
  ): Promise<CreatedPersonalAccessToken> {
    if ((await this.store.countTokens(userId)) >= ACCESS_TOKENS_MAX)
      throw new DomainError(
        'CONFLICT',
        `at most ${ACCESS_TOKENS_MAX} tokens: revoke one you no longer use first`,
      );
    const token = newSecret(ACCESS_TOKEN_PREFIX);
    const row = await this.store.insertToken(
      {
        id: randomUUID(),
        userId,
        name: request.name,
        scope: request.scope,
        hint: token.slice(0, HINT_LENGTH),
      },
      hashSecret(token),
    );
    return { ...toDto(row), token };
  }

  async listTokens(userId: string): Promise<PersonalAccessToken[]> {
    return (await this.store.listTokens(userId)).map(toDto);
  }

  async revokeToken(userId: string, id: string): Promise<void> {
    if (!(await this.store.deleteToken(userId, id))) throw new NotFoundError('token');
  }

  /** The principal of a live token, or null for an unknown or revoked one. */
  async authenticate(token: string): Promise<TokenPrincipal | null> {
    const row = await this.store.findTokenByHash(hashSecret(token));
    if (!row) return null;
    const stale = !row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() >= 60_000;
    if (stale) await this.store.touchToken(row.id);
    return { userId: row.userId, scope: row.scope, tokenId: row.id };
  }

  async feed(userId: string): Promise<CalendarFeed> {
    const row = await this.store.findFeed(userId);
    return {
      active: row !== null,
      createdAt: row?.createdAt.toISOString() ?? null,
      lastUsedAt: row?.lastUsedAt?.toISOString() ?? null,
    };
  }

  /** Makes the feed's secret, replacing any earlier one; the answer is the only time it is shown. */
  async regenerateFeed(userId: string): Promise<CalendarFeed & { token: string }> {
    const token = newSecret(CALENDAR_TOKEN_PREFIX);
    const row = await this.store.upsertFeed(userId, hashSecret(token));
    return { active: true, createdAt: row.createdAt.toISOString(), lastUsedAt: null, token };
  }

  async revokeFeed(userId: string): Promise<void> {
    if (!(await this.store.deleteFeed(userId))) throw new NotFoundError('calendar feed');
  }

  /** The user whose feed `token` opens, or null. */
  async feedOwner(token: string): Promise<string | null> {
    if (!token.startsWith(CALENDAR_TOKEN_PREFIX)) return null;
    const row = await this.store.findFeedByHash(hashSecret(token));
    if (!row) return null;
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() >= 60_000)
      await this.store.touchFeed(row.userId);
    return row.userId;
  }
}
