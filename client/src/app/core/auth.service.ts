import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import type { AccessToken, AuthSession, AuthUser } from './types';

/** Refresh this long before the JWT's `exp`, so no request leaves with a dying token. */
const REFRESH_MARGIN_MS = 60_000;

export class SessionExpiredError extends Error {
  constructor() {
    super('Your session has ended. Please sign in again.');
  }
}

/**
 * Better Auth through plain HttpClient calls (same origin, so its session cookie rides along):
 * sign-up/in/out, and the short-lived JWT that REST and the socket need, refreshed before it
 * expires or when the API answers 401. A 401 from the refresh means the session is gone.
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  private readonly router = inject(Router);

  private readonly userSignal = signal<AuthUser | null>(null);
  readonly user = this.userSignal.asReadonly();
  readonly signedIn = computed(() => this.userSignal() !== null);
  /** Why the user was sent back to sign-in (shown there), if they did not choose to leave. */
  readonly signOutReason = signal<string | null>(null);

  private jwt: { token: string; expiresAt: number } | null = null;
  /** Tells the user's other tabs about sign-in and sign-out (same browser, same origin). */
  private readonly channel =
    typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('todo-auth');
  private pending: Promise<string> | null = null;
  private readonly refreshListeners = new Set<(token: string) => void>();
  private restored: Promise<AuthUser | null> | null = null;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.channel?.close());
    this.channel?.addEventListener('message', (event: MessageEvent<{ type: string }>) => {
      if (event.data?.type === 'signed-out' && this.userSignal()) {
        this.endSession('You signed out in another tab.');
      } else if (event.data?.type === 'signed-in' && !this.userSignal()) {
        this.restored = null;
        void this.restore().then((user) => {
          if (user) void this.router.navigateByUrl('/tasks');
        });
      }
    });
  }

  /** Reads the account again (after verifying the address, changing the name …). */
  async reload(): Promise<AuthUser | null> {
    this.restored = null;
    return this.restore();
  }

  /** The signed-in account's details changed here (name, address): show them at once. */
  updateUser(patch: Partial<AuthUser>): void {
    const user = this.userSignal();
    if (user) this.userSignal.set({ ...user, ...patch });
  }

  /** Mails the verification link again (the same answer whatever the address). */
  async resendVerification(email: string): Promise<void> {
    await firstValueFrom(this.http.post('/api/auth/send-verification-email', { email }));
  }

  /** Mails a reset link if an account uses the address; the answer never says whether one does. */
  async requestPasswordReset(email: string): Promise<void> {
    await firstValueFrom(this.http.post('/api/auth/request-password-reset', { email }));
  }

  /** Sets a new password from a reset link's token; every session of the account ends. */
  async resetPassword(token: string, newPassword: string): Promise<void> {
    await firstValueFrom(this.http.post('/api/auth/reset-password', { token, newPassword }));
  }

  /** The account is gone (deleted here): back to sign-in, saying so; other tabs follow. */
  accountDeleted(): void {
    this.endSession('Your account was deleted.');
    this.channel?.postMessage({ type: 'signed-out' });
  }

  /** Restores the session from the cookie once (app start, route guards). */
  restore(): Promise<AuthUser | null> {
    this.restored ??= firstValueFrom(
      this.http.get<{ user: AuthUser } | null>('/api/auth/get-session'),
    ).then(
      (session) => {
        if (session?.user) this.userSignal.set(pickUser(session.user));
        return this.userSignal();
      },
      (error: unknown) => {
        // Not signed in is a null session; an error means we could not ask: say so, try later.
        this.restored = null;
        if (error instanceof HttpErrorResponse && (error.status === 0 || error.status >= 500)) {
          this.signOutReason.set('Cannot reach the server right now. Check your connection.');
        }
        return null;
      },
    );
    return this.restored;
  }

  /**
   * Creates the account, then signs in: sign-up itself never signs in, because it answers a
   * taken address exactly like a new one (so nobody can probe which addresses have accounts).
   */
  async signUp(name: string, email: string, password: string): Promise<AuthUser> {
    await firstValueFrom(
      this.http.post<AuthSession>('/api/auth/sign-up/email', {
        name,
        email,
        password,
      }),
    );
    return this.signIn(email, password);
  }

  async signIn(email: string, password: string): Promise<AuthUser> {
    const result = await firstValueFrom(
      this.http.post<AuthSession>('/api/auth/sign-in/email', { email, password }),
    );
    return this.startSession(result.user);
  }

  async signOut(): Promise<void> {
    try {
      await firstValueFrom(this.http.post('/api/auth/sign-out', {}));
    } catch {
      // Signing out locally is what matters; the cookie expires on its own.
    }
    this.endSession(null);
    this.channel?.postMessage({ type: 'signed-out' });
  }

  /** A JWT valid for at least a minute; `force` fetches a new one (after a 401). */
  token(force = false): Promise<string> {
    if (!force && this.jwt && this.jwt.expiresAt - REFRESH_MARGIN_MS > Date.now()) {
      return Promise.resolve(this.jwt.token);
    }
    this.pending ??= this.fetchToken().finally(() => (this.pending = null));
    return this.pending;
  }

  /**
   * Calls `listener` with every JWT fetched from now on (the live socket hands each one to its
   * node, so the connection outlives the token it started with). Returns the unsubscribe.
   */
  onTokenRefreshed(listener: (token: string) => void): () => void {
    this.refreshListeners.add(listener);
    return () => this.refreshListeners.delete(listener);
  }

  /** The session is gone (refresh refused): back to sign-in, saying why. */
  expire(): void {
    if (!this.userSignal()) return;
    this.endSession('Your session has expired. Please sign in again.');
  }

  private async fetchToken(): Promise<string> {
    try {
      const { token } = await firstValueFrom(this.http.get<AccessToken>('/api/auth/token'));
      this.jwt = { token, expiresAt: jwtExpiry(token) };
      for (const listener of this.refreshListeners) listener(token);
      return token;
    } catch (error) {
      if (error instanceof HttpErrorResponse && (error.status === 401 || error.status === 403)) {
        this.expire();
        throw new SessionExpiredError();
      }
      throw error;
    }
  }

  private startSession(user: AuthUser): AuthUser {
    this.jwt = null;
    this.signOutReason.set(null);
    this.userSignal.set(pickUser(user));
    this.restored = Promise.resolve(this.userSignal());
    this.channel?.postMessage({ type: 'signed-in' });
    return this.userSignal()!;
  }

  private endSession(reason: string | null): void {
    this.jwt = null;
    this.userSignal.set(null);
    this.restored = Promise.resolve(null);
    this.signOutReason.set(reason);
    void this.router.navigate(['/sign-in']);
  }
}

function pickUser(user: AuthUser): AuthUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    ...(user.emailVerified !== undefined ? { emailVerified: user.emailVerified } : {}),
  };
}

/** `exp` of a JWT in ms (no verification: the server does that); 5 minutes if unreadable. */
export function jwtExpiry(token: string): number {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')));
    if (typeof payload.exp === 'number') return payload.exp * 1000;
  } catch {
    // fall through
  }
  return Date.now() + 5 * 60_000;
}
