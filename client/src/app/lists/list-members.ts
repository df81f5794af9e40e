import {
  ChangeDetectionStrategy,
  Component,
  OnInit,
  computed,
  inject,
  input,
  linkedSignal,
  output,
  signal,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { firstValueFrom } from 'rxjs';
import { ApiService } from '../core/api.service';
import { AuthService } from '../core/auth.service';
import { describeError } from '../core/errors';
import { ListStore } from '../core/list-store';
import { MemberStore } from '../core/member-store';
import type { ListInvite, ListMember, ListRole, ListSummary } from '../core/types';
import { ConfirmDialog, type ConfirmData } from '../shared-confirm';

export const ROLE_LABELS: Record<ListRole, string> = {
  viewer: 'Viewer (can see)',
  editor: 'Editor (can change tasks)',
  owner: 'Owner (also manages the list)',
};

/**
 * The sharing part of a list's settings: its members with their roles, and for owners, changing
 * a role, removing a member, inviting by email, the invites not yet accepted, and handing the
 * list over. Anyone but the owner of record may leave. Closes its dialog (`left`) after leaving.
 */
@Component({
  selector: 'app-list-members',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    FormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
  ],
  template: `
    <section class="members" aria-labelledby="members-heading">
      <h3 id="members-heading">People</h3>
      <ul class="rows" data-testid="members">
        @for (m of members(); track m.userId) {
          <li class="row" [attr.data-member]="m.email">
            <span class="who">
              <span dir="auto">{{ m.name || m.email }}</span>
              @if (m.userId === me()) {
                <span class="muted">(you)</span>
              }
              <span class="muted email">{{ m.email }}</span>
            </span>
            @if (isOwner() && m.userId !== me() && m.userId !== holder()) {
              <mat-form-field appearance="outline" subscriptSizing="dynamic" class="role">
                <mat-label>Role</mat-label>
                <mat-select
                  [value]="picked()[m.userId] ?? m.role"
                  (valueChange)="setRole(m, $event)"
                  [aria-label]="'Role of ' + (m.name || m.email)"
                >
                  @for (r of roles; track r) {
                    <mat-option [value]="r">{{ labels[r] }}</mat-option>
                  }
                </mat-select>
              </mat-form-field>
              <button
                mat-button
                type="button"
                class="danger"
                (click)="remove(m)"
                [attr.aria-label]="'Remove ' + (m.name || m.email)"
              >
                Remove
              </button>
            } @else {
              <span class="role-text">{{ m.userId === holder() ? 'Owner' : label(m.role) }}</span>
            }
          </li>
        }
      </ul>

      @if (mine(); as mine) {
        <mat-checkbox
          [checked]="mine.reminders"
          (change)="setReminders($event.checked)"
          data-testid="my-reminders"
          >Remind me of this list’s unassigned tasks</mat-checkbox
        >
      }
      @if (isOwner()) {
        <form class="invite" (ngSubmit)="invite()" aria-label="Invite someone">
          <mat-form-field appearance="outline" subscriptSizing="dynamic" class="grow">
            <mat-label>Invite by email</mat-label>
            <input
              matInput
              type="email"
              name="email"
              autocomplete="off"
              [ngModel]="email()"
              (ngModelChange)="email.set($event); error.set(null)"
              data-testid="invite-email"
            />
          </mat-form-field>
          <mat-form-field appearance="outline" subscriptSizing="dynamic" class="role">
            <mat-label>As</mat-label>
            <mat-select name="role" [value]="role()" (valueChange)="role.set($event)">
              @for (r of roles; track r) {
                <mat-option [value]="r">{{ labels[r] }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
          <button mat-stroked-button type="submit" [disabled]="busy()">Invite</button>
        </form>
        @if (sent(); as sent) {
          <p role="status" class="sent" data-testid="invite-sent">
            {{ sent.note }} Its link (single use, for that address only):
            <input class="link" readonly [value]="sent.link" aria-label="Invite link" />
          </p>
        }
        @if (invites().length) {
          <h4>Waiting for an answer</h4>
          <ul class="rows" data-testid="invites">
            @for (i of invites(); track i.id) {
              <li class="row">
                <span class="who"
                  >{{ i.email }} <span class="muted">{{ label(i.role) }}</span></span
                >
                <button
                  mat-button
                  type="button"
                  [disabled]="busy()"
                  (click)="resend(i)"
                  [attr.aria-label]="'Resend the invite to ' + i.email"
                >
                  Resend
                </button>
                <button
                  mat-button
                  type="button"
                  (click)="revoke(i)"
                  [attr.aria-label]="'Withdraw the invite to ' + i.email"
                >
                  Withdraw
                </button>
              </li>
            }
          </ul>
        }
        @if (others().length && holder() === me()) {
          <div class="transfer">
            <mat-form-field appearance="outline" subscriptSizing="dynamic" class="grow">
              <mat-label>Hand the list over to</mat-label>
              <mat-select
                [value]="heir()"
                (valueChange)="heir.set($event)"
                data-testid="heir-picker"
              >
                @for (m of others(); track m.userId) {
                  <mat-option [value]="m.userId">{{ m.name || m.email }}</mat-option>
                }
              </mat-select>
            </mat-form-field>
            <button mat-stroked-button type="button" [disabled]="!heir()" (click)="transfer()">
              Transfer
            </button>
          </div>
        }
      }
      @if (holder() !== me()) {
        <button mat-stroked-button type="button" class="danger" (click)="leave()">
          Leave this list
        </button>
      }
      @if (error()) {
        <p class="error-text" role="alert">{{ error() }}</p>
      }
    </section>
  `,
  styles: `
    h3,
    h4 {
      font: var(--mat-sys-title-small);
      margin: 8px 0 4px;
    }
    .rows {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .row {
      display: flex;
      align-items: center;
      gap: 8px;
      flex-wrap: wrap;
      padding: 4px 0;
    }
    .who {
      flex: 1;
      min-width: 10em;
      display: flex;
      flex-wrap: wrap;
      gap: 0 6px;
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
    .email {
      font: var(--mat-sys-body-small);
      width: 100%;
    }
    .role {
      width: 14em;
    }
    .invite,
    .transfer {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
      margin-top: 8px;
    }
    .grow {
      flex: 1;
      min-width: 12em;
    }
    .link {
      width: 100%;
      box-sizing: border-box; /* its border and padding inside the dialog's width */
      font: var(--mat-sys-body-small);
    }
    .danger {
      color: var(--mat-sys-error);
    }
  `,
})
export class ListMembers implements OnInit {
  private readonly api = inject(ApiService);
  private readonly store = inject(MemberStore);
  private readonly lists = inject(ListStore);
  private readonly dialog = inject(MatDialog);
  readonly list = input.required<ListSummary>();
  /** The user left the list (its dialog closes). */
  readonly left = output<void>();

  private readonly auth = inject(AuthService);
  readonly me = computed(() => this.auth.user()?.id ?? null);
  readonly roles: readonly ListRole[] = ['viewer', 'editor', 'owner'];
  readonly labels = ROLE_LABELS;
  readonly members = computed(() => this.store.of(this.list().id));
  /** The signed-in user's own membership (their reminders setting). */
  readonly mine = computed(() => this.members().find((m) => m.userId === this.me()));
  readonly others = computed(() => this.members().filter((m) => m.userId !== this.me()));
  readonly isOwner = computed(() => this.list().role === 'owner');
  /**
   * The owner of record: the list's, until this dialog hands it over (then the heir at once,
   * before the list's change arrives).
   */
  readonly holder = linkedSignal(() => this.list().userId);
  readonly invites = signal<ListInvite[]>([]);
  readonly email = signal('');
  readonly role = signal<ListRole>('editor');
  readonly heir = signal<string | null>(null);
  /** Roles picked whose change is on its way (user id → role). */
  readonly picked = signal<Readonly<Record<string, ListRole>>>({});
  /** The invite just mailed (or mailed again) and its link. */
  readonly sent = signal<{ note: string; link: string } | null>(null);
  readonly busy = signal(false);
  readonly error = signal<string | null>(null);

  async ngOnInit(): Promise<void> {
    await this.store.reload(this.list().id);
    if (this.isOwner()) await this.loadInvites();
  }

  label(role: ListRole): string {
    return role[0]!.toUpperCase() + role.slice(1);
  }

  async invite(): Promise<void> {
    const email = this.email().trim();
    if (!email) return this.error.set('Write the address to invite.');
    await this.run(async () => {
      const created = await this.api.createInvite(this.list().id, { email, role: this.role() });
      this.sent.set({ note: 'Invite mailed.', link: created.acceptUrl });
      this.email.set('');
      await this.loadInvites();
    });
  }

  /** Mails a new link (7 more days); the one mailed before stops working. */
  async resend(invite: ListInvite): Promise<void> {
    await this.run(async () => {
      try {
        const renewed = await this.api.resendInvite(this.list().id, invite.id);
        this.sent.set({
          note: `New link mailed to ${renewed.email}; the one sent before no longer works.`,
          link: renewed.acceptUrl,
        });
        this.invites.update((all) =>
          all.map((i) => (i.id === invite.id ? { ...i, expiresAt: renewed.expiresAt } : i)),
        );
      } catch (error) {
        // Accepted or withdrawn meanwhile (409, 404): the waiting invites are read again.
        void this.loadInvites();
        throw error;
      }
    });
  }

  async revoke(invite: ListInvite): Promise<void> {
    await this.run(async () => {
      await this.api.revokeInvite(this.list().id, invite.id);
      this.invites.update((all) => all.filter((i) => i.id !== invite.id));
    });
  }

  /**
   * Shows the answer's role at once. While the request runs the select shows the role picked;
   * refused, it goes back to the member's role (the binding changes, so the select follows).
   */
  async setRole(member: ListMember, role: ListRole): Promise<void> {
    this.picked.update((all) => ({ ...all, [member.userId]: role }));
    await this.run(async () => {
      const updated = await this.api.updateMember(this.list().id, member.userId, { role });
      this.store.set(
        this.list().id,
        this.members().map((m) => (m.userId === updated.userId ? updated : m)),
      );
    });
    this.picked.update(({ [member.userId]: _, ...rest }) => rest);
  }

  /** Reminders of the list's unassigned tasks, for this user only (an assignee gets their own). */
  async setReminders(reminders: boolean): Promise<void> {
    await this.run(async () => {
      await this.api.updateMember(this.list().id, 'me', { reminders });
      await this.store.reload(this.list().id);
    });
  }

  async remove(member: ListMember): Promise<void> {
    const who = member.name || member.email;
    if (
      !(await this.confirm({
        title: `Remove ${who}?`,
        message: `${who} stops seeing “${this.list().name}” and its tasks at once; tasks assigned to them become unassigned.`,
        confirm: 'Remove',
      }))
    )
      return;
    await this.run(async () => {
      await this.api.removeMember(this.list().id, member.userId);
      this.store.set(
        this.list().id,
        this.members().filter((m) => m.userId !== member.userId),
      );
      this.lists.countsChanged();
    });
  }

  async transfer(): Promise<void> {
    const heir = this.others().find((m) => m.userId === this.heir());
    if (!heir) return;
    const who = heir.name || heir.email;
    if (
      !(await this.confirm({
        title: `Hand “${this.list().name}” over to ${who}?`,
        message: `The list and its tasks move to ${who}’s account; you both stay owners.`,
        confirm: 'Transfer',
      }))
    )
      return;
    await this.run(async () => {
      const page = await this.api.transferList(this.list().id, heir.userId);
      this.store.set(this.list().id, page.items);
      this.holder.set(heir.userId);
      this.heir.set(null);
      this.lists.countsChanged();
    });
  }

  async leave(): Promise<void> {
    if (
      !(await this.confirm({
        title: `Leave “${this.list().name}”?`,
        message: 'You stop seeing it and its tasks. An owner can invite you again.',
        confirm: 'Leave',
      }))
    )
      return;
    await this.run(async () => {
      await this.api.removeMember(this.list().id, 'me');
      this.store.forget(this.list().id);
      this.left.emit();
    });
  }

  private async loadInvites(): Promise<void> {
    try {
      this.invites.set((await this.api.invites(this.list().id)).items);
    } catch (error) {
      this.error.set(describeError(error).message);
    }
  }

  private async run(action: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await action();
    } catch (error) {
      const described = describeError(error);
      // A 409 (last owner, owner of record) or a 403 (your role here is now …) carries the
      // reason: say it, not a generic line.
      this.error.set(
        (described.status === 409 || described.status === 403) && described.serverMessage
          ? capitalise(described.serverMessage)
          : described.message,
      );
    } finally {
      this.busy.set(false);
    }
  }

  private confirm(data: ConfirmData): Promise<boolean> {
    return firstValueFrom(
      this.dialog.open<ConfirmDialog, ConfirmData, boolean>(ConfirmDialog, { data }).afterClosed(),
    ).then(Boolean);
  }
}

function capitalise(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}
