import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { Clipboard } from '@angular/cdk/clipboard';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { AccessTokenScope, CalendarFeed, PersonalAccessToken } from '@todo/contracts';
import { describeError } from '../../core/errors';
import { UserZone } from '../../core/user-zone';
import { ZonedDatePipe } from '../../core/zoned-date.pipe';
import { ConnectionsApi } from './connections-api';

/** A secret the server shows only once: kept here until the person dismisses it. */
interface Revealed {
  label: string;
  value: string;
}

/**
 * Settings → Connections: personal access tokens (create with a name and scope, shown once
 * with a copy button, listed with their last use, revoked) and the private calendar feed URL
 * (made or regenerated, shown once with a copy button, revoked).
 */
@Component({
  selector: 'app-connections-settings',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    ZonedDatePipe,
  ],
  templateUrl: './connections-settings.html',
  styleUrl: './connections-settings.scss',
})
export class ConnectionsSettings implements OnInit {
  private readonly api = inject(ConnectionsApi);
  private readonly clipboard = inject(Clipboard);
  readonly zone = inject(UserZone);

  readonly tokens = signal<PersonalAccessToken[]>([]);
  readonly feed = signal<CalendarFeed | null>(null);
  readonly name = signal('');
  readonly scope = signal<AccessTokenScope>('read');
  readonly newToken = signal<Revealed | null>(null);
  readonly feedUrl = signal<string | null>(null);
  /** The token whose revocation waits for a second click. */
  readonly confirming = signal<string | null>(null);
  readonly confirmingFeed = signal(false);
  readonly busy = signal(false);
  readonly error = signal<string | null>(null);
  readonly fields = signal<Record<string, string>>({});
  readonly status = signal('');

  async ngOnInit(): Promise<void> {
    await this.run('Could not load your connections', async () => {
      const [tokens, feed] = await Promise.all([this.api.listTokens(), this.api.getFeed()]);
      this.tokens.set(tokens);
      this.feed.set(feed);
    });
  }

  async createToken(): Promise<void> {
    const name = this.name().trim();
    this.fields.set({});
    if (!name) {
      this.fields.set({ name: 'Give the token a name, e.g. what will use it.' });
      return;
    }
    await this.run('Could not create the token', async () => {
      const created = await this.api.createToken(name, this.scope());
      const { token, ...listed } = created;
      this.tokens.update((list) => [listed, ...list]);
      this.newToken.set({ label: created.name, value: token });
      this.name.set('');
      this.status.set(`Token “${created.name}” created. Copy it now: it is shown only once.`);
    });
  }

  async revokeToken(token: PersonalAccessToken): Promise<void> {
    if (this.confirming() !== token.id) {
      this.confirming.set(token.id);
      return;
    }
    this.confirming.set(null);
    await this.run('Could not revoke the token', async () => {
      await this.api.revokeToken(token.id);
      this.tokens.update((list) => list.filter((t) => t.id !== token.id));
      if (this.newToken()?.label === token.name) this.newToken.set(null);
      this.status.set(`Token “${token.name}” revoked.`);
    });
  }

  async regenerateFeed(): Promise<void> {
    await this.run('Could not make the calendar feed', async () => {
      const { url, ...feed } = await this.api.regenerateFeed();
      this.feed.set(feed);
      this.feedUrl.set(url);
      this.status.set('Calendar feed URL ready. Copy it now: it is shown only once.');
    });
  }

  async revokeFeed(): Promise<void> {
    if (!this.confirmingFeed()) {
      this.confirmingFeed.set(true);
      return;
    }
    this.confirmingFeed.set(false);
    await this.run('Could not revoke the calendar feed', async () => {
      await this.api.revokeFeed();
      this.feed.set({ active: false, createdAt: null, lastUsedAt: null });
      this.feedUrl.set(null);
      this.status.set('Calendar feed revoked: its URL no longer works.');
    });
  }

  copy(text: string, what: string): void {
    this.status.set(
      this.clipboard.copy(text) ? `${what} copied.` : `Select the ${what} and copy it.`,
    );
  }

  scopeLabel(scope: AccessTokenScope): string {
    return scope === 'write' ? 'Read and write' : 'Read only';
  }

  private async run(failure: string, work: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await work();
    } catch (error) {
      const described = describeError(error);
      this.fields.set(described.fields);
      this.error.set(`${failure}: ${described.message}`);
    } finally {
      this.busy.set(false);
    }
  }
}
