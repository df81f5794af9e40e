import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { AuthSessionInfo } from '@todo/contracts';
import { AuthService } from '../core/auth.service';
import { describeError } from '../core/errors';
import { UserZone } from '../core/user-zone';
import { ZonedDatePipe } from '../core/zoned-date.pipe';
import { AccountApi, describeDevice } from './account-api';

/** A signed-in session as the list shows it. */
interface Device {
  id: string;
  token: string;
  label: string;
  ipAddress: string | null;
  lastUsed: string;
  current: boolean;
}

/**
 * Settings → Account: the name, the password (the current one is asked), the address (a link
 * to the new one switches it), the signed-in devices with "sign out everywhere else", and
 * deleting the account (the password is asked; what goes is listed first).
 */
@Component({
  selector: 'app-account-settings',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, ZonedDatePipe],
  templateUrl: './account-settings.html',
  styleUrl: '../settings/connections/connections-settings.scss',
})
export class AccountSettings implements OnInit {
  private readonly api = inject(AccountApi);
  private readonly auth = inject(AuthService);
  readonly zone = inject(UserZone);
  readonly user = this.auth.user;

  readonly name = signal(this.auth.user()?.name ?? '');
  readonly currentPassword = signal('');
  readonly newPassword = signal('');
  readonly newEmail = signal('');
  readonly deletePassword = signal('');
  readonly confirmingDelete = signal(false);
  readonly devices = signal<Device[]>([]);
  readonly busy = signal(false);
  readonly status = signal('');
  readonly error = signal<string | null>(null);
  readonly fields = signal<Record<string, string>>({});

  async ngOnInit(): Promise<void> {
    await this.run('Could not load your devices', () => this.loadDevices());
  }

  async saveName(): Promise<void> {
    const name = this.name().trim();
    if (!name) return this.fields.set({ name: 'Enter a name.' });
    await this.run('Could not change the name', async () => {
      await this.api.updateName(name);
      this.auth.updateUser({ name });
      this.status.set('Name changed.');
    });
  }

  async changePassword(): Promise<void> {
    if (!this.currentPassword())
      return this.fields.set({ currentPassword: 'Enter your current password.' });
    if (this.newPassword().length < 8)
      return this.fields.set({ newPassword: 'At least 8 characters.' });
    await this.run(
      'Could not change the password',
      async () => {
        await this.api.changePassword(this.currentPassword(), this.newPassword());
        this.currentPassword.set('');
        this.newPassword.set('');
        this.status.set('Password changed. Your other devices were signed out.');
        await this.loadDevices();
      },
      { 400: { currentPassword: 'That is not your current password.' } },
    );
  }

  async changeEmail(): Promise<void> {
    const email = this.newEmail().trim();
    if (!/^\S+@\S+\.\S+$/.test(email))
      return this.fields.set({ newEmail: 'Enter an email address.' });
    await this.run('Could not change the address', async () => {
      await this.api.changeEmail(email);
      this.newEmail.set('');
      // The same words whether or not the address has an account (it learns by mail).
      this.status.set(`We mailed a link to ${email}. Your address changes when you open it.`);
    });
  }

  async signOutDevice(device: Device): Promise<void> {
    await this.run('Could not sign that device out', async () => {
      await this.api.revokeSession(device.token);
      this.devices.update((list) => list.filter((d) => d.id !== device.id));
      this.status.set(`${device.label} is signed out.`);
    });
  }

  async signOutOthers(): Promise<void> {
    await this.run('Could not sign the other devices out', async () => {
      await this.api.revokeOtherSessions();
      this.devices.update((list) => list.filter((d) => d.current));
      this.status.set('Every other device is signed out.');
    });
  }

  async deleteAccount(): Promise<void> {
    if (!this.confirmingDelete()) return this.confirmingDelete.set(true);
    if (!this.deletePassword()) return this.fields.set({ deletePassword: 'Enter your password.' });
    await this.run(
      'Could not delete the account',
      async () => {
        await this.api.deleteAccount(this.deletePassword());
        this.auth.accountDeleted();
      },
      { 400: { deletePassword: 'That is not your password.' } },
    );
  }

  private async loadDevices(): Promise<void> {
    const [sessions, currentId] = await Promise.all([
      this.api.listSessions(),
      this.api.currentSessionId(),
    ]);
    this.devices.set(
      [...sessions]
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
        .map((s: AuthSessionInfo) => ({
          id: s.id,
          token: s.token,
          label: describeDevice(s.userAgent),
          ipAddress: shownAddress(s.ipAddress),
          lastUsed: s.updatedAt,
          current: s.id === currentId,
        })),
    );
  }

  /** Runs one call: busy while it runs, its error shown (per field where the status says which). */
  private async run(
    failure: string,
    work: () => Promise<void>,
    fieldsByStatus: Record<number, Record<string, string>> = {},
  ): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    this.fields.set({});
    this.status.set('');
    try {
      await work();
    } catch (error) {
      const described = describeError(error);
      const byStatus = fieldsByStatus[described.status];
      if (byStatus && !Object.keys(described.fields).length) this.fields.set(byStatus);
      else {
        this.fields.set(described.fields);
        this.error.set(`${failure}: ${described.message}`);
      }
    } finally {
      this.busy.set(false);
    }
  }
}

/**
 * The address worth showing: Better Auth keeps an IPv6 address as its /64 prefix, so a local
 * connection reads as all zeros (`0000:…:0000`), which tells a person nothing.
 */
function shownAddress(address: string | null | undefined): string | null {
  return address && !/^[0:.]+$/.test(address) ? address : null;
}
