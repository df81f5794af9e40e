/** Bounds the cache; past it the oldest entries go first. */
const MAX_ENTRIES = 20_000;

/** Finds a session by id: its expiry, or null when there is no such session (any more). */
export type SessionLookup = (sessionId: string) => Promise<{ expiresAt: Date } | null>;

/**
 * Whether the session a JWT was issued from is still signed in. The session table is the
 * revocation set: signing out (or revoking a session, or deleting the user) deletes the row,
 * and an expired row counts as ended. A JWT carries its session's id (`sid`), so a
 * 15-minute token stops working when its session ends, not when it expires.
 *
 * Lookups are cached: "signed in" for `cacheMs` (so a busy session costs one indexed read
 * every few seconds, not one per request), "ended" for good, since a session never comes
 * back. `ended()` is called by Better Auth's session-delete hook, so on the replica that
 * handled the sign-out the very next request is refused; other replicas notice within
 * `cacheMs` (decision 091).
 */
export class SessionLiveness {
  /** session id → until when (ms) it is taken as signed in without asking; 0 = ended. */
  private readonly cache = new Map<string, number>();

  constructor(
    private readonly lookup: SessionLookup,
    private readonly cacheMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async isSignedIn(sessionId: string): Promise<boolean> {
    const cached = this.cache.get(sessionId);
    if (cached === 0) return false;
    if (cached !== undefined && this.now() < cached) return true;
    const session = await this.lookup(sessionId);
    const now = this.now();
    const live = session !== null && session.expiresAt.getTime() > now;
    this.remember(sessionId, live ? Math.min(now + this.cacheMs, session.expiresAt.getTime()) : 0);
    return live;
  }

  /** The session ended on this replica: refuse its tokens from now on. */
  ended(sessionId: string): void {
    this.remember(sessionId, 0);
  }

  private remember(sessionId: string, until: number): void {
    this.cache.delete(sessionId);
    if (this.cache.size >= MAX_ENTRIES) {
      // Forgetting an "ended" entry is safe: the next lookup finds no session again.
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(sessionId, until);
  }
}
