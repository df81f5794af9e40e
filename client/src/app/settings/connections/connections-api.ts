import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import type {
  AccessTokenScope,
  CalendarFeed,
  CreatedCalendarFeed,
  CreatedPersonalAccessToken,
  PersonalAccessToken,
  PersonalAccessTokenList,
} from '@todo/contracts';

const TOKENS = '/api/v1/users/me/tokens';
const FEED = '/api/v1/users/me/calendar-feed';

/** The REST calls of Settings → Connections: personal access tokens and the calendar feed. */
@Injectable({ providedIn: 'root' })
export class ConnectionsApi {
  private readonly http = inject(HttpClient);

  async listTokens(): Promise<PersonalAccessToken[]> {
    return (await firstValueFrom(this.http.get<PersonalAccessTokenList>(TOKENS))).items;
  }

  createToken(name: string, scope: AccessTokenScope): Promise<CreatedPersonalAccessToken> {
    return firstValueFrom(this.http.post<CreatedPersonalAccessToken>(TOKENS, { name, scope }));
  }

  async revokeToken(id: string): Promise<void> {
    await firstValueFrom(this.http.delete(`${TOKENS}/${id}`));
  }

  getFeed(): Promise<CalendarFeed> {
    return firstValueFrom(this.http.get<CalendarFeed>(FEED));
  }

  regenerateFeed(): Promise<CreatedCalendarFeed> {
    return firstValueFrom(this.http.post<CreatedCalendarFeed>(FEED, {}));
  }

  async revokeFeed(): Promise<void> {
    await firstValueFrom(this.http.delete(FEED));
  }
}
