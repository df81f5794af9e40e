import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import type { AuthSessionInfo } from '@todo/contracts';

/** Better Auth's account calls (same origin: the session cookie rides along). */
@Injectable({ providedIn: 'root' })
export class AccountApi {
  private readonly http = inject(HttpClient);
  private post<T = unknown>(path: string, body: object): Promise<T> {
    return firstValueFrom(this.http.post<T>(`/api/auth/${path}`, body));
  }

  updateName(name: string): Promise<unknown> {
    return this.post('update-user', { name });
  }

  changePassword(currentPassword: string, newPassword: string): Promise<unknown> {
    return this.post('change-password', {
      currentPassword,
      newPassword,
      revokeOtherSessions: true,
    });
  }

  changeEmail(newEmail: string): Promise<unknown> {
    return this.post('change-email', { newEmail });
  }

  listSessions(): Promise<AuthSessionInfo[]> {
    return firstValueFrom(this.http.get<AuthSessionInfo[]>('/api/auth/list-sessions'));
  }

  /** The id of the session this browser signed in with. */
  async currentSessionId(): Promise<string | null> {
    const current = await firstValueFrom(
      this.http.get<{ session: { id: string } } | null>('/api/auth/get-session'),
    );
    return current?.session.id ?? null;
  }

  revokeSession(token: string): Promise<unknown> {
    return this.post('revoke-session', { token });
  }

  revokeOtherSessions(): Promise<unknown> {
    return this.post('revoke-other-sessions', {});
  }

  deleteAccount(password: string): Promise<unknown> {
    return this.post('delete-user', { password });
  }
}

/** "Firefox on Linux" from a user agent: the few families people recognise, else "A browser". */
export function describeDevice(userAgent: string | null | undefined): string {
  const ua = userAgent ?? '';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /OPR\//.test(ua)
      ? 'Opera'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Chrom(e|ium)\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : /^(curl|node|undici|python|Go-http)/i.test(ua)
              ? 'A script'
              : 'A browser';
  const system = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /CrOS/.test(ua)
            ? 'ChromeOS'
            : /Linux/.test(ua)
              ? 'Linux'
              : null;
  return system ? `${browser} on ${system}` : browser;
}
