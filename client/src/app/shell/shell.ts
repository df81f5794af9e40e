import { BreakpointObserver } from '@angular/cdk/layout';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  OnInit,
  computed,
  inject,
  signal,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatBadgeModule } from '@angular/material/badge';
import { MatButtonModule } from '@angular/material/button';
import { MatListModule } from '@angular/material/list';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';
import { ChatPanel } from '../chat/chat-panel';
import { AuthService } from '../core/auth.service';
import { Icon } from '../core/icons';
import { NotificationStore } from '../core/notification-store';
import { RealtimeService } from '../core/realtime.service';
import { TaskStore } from '../core/task-store';
import { UserZone } from '../core/user-zone';
import { ListNav } from '../lists/list-nav';
import { ConnectionStatus } from './connection-status';
import { VerifyBanner } from './verify-banner';
import { ZoneBanner } from './zone-banner';

/** The signed-in frame: toolbar, navigation, connection status, inbox count, chat drawer. */
@Component({
  selector: 'app-shell',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    MatToolbarModule,
    MatButtonModule,
    MatSidenavModule,
    MatListModule,
    MatBadgeModule,
    MatTooltipModule,
    Icon,
    ConnectionStatus,
    ChatPanel,
    ZoneBanner,
    ListNav,
    VerifyBanner,
  ],
  templateUrl: './shell.html',
  styleUrl: './shell.scss',
})
export class Shell implements OnInit {
  private readonly auth = inject(AuthService);
  private readonly realtime = inject(RealtimeService);
  private readonly tasks = inject(TaskStore);
  private readonly zone = inject(UserZone);
  protected readonly notifications = inject(NotificationStore);

  readonly user = this.auth.user;
  readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 799px)')
      .pipe(map((r) => r.matches)),
    { initialValue: false },
  );
  readonly wide = toSignal(
    inject(BreakpointObserver)
      .observe('(min-width: 1280px)')
      .pipe(map((r) => r.matches)),
    { initialValue: false },
  );
  private readonly router = inject(Router);
  /**
   * A list is shown (`/tasks?list=…`): its entry in the sidebar is the current page, so
   * "Tasks" (every list) is not highlighted beside it.
   */
  readonly listShown = toSignal(
    this.router.events.pipe(
      filter((e) => e instanceof NavigationEnd),
      map(() => this.listInUrl()),
    ),
    { initialValue: this.listInUrl() },
  );
  readonly navOpen = signal(false);
  readonly chatOpen = signal(false);
  readonly unreadLabel = computed(() => {
    const n = this.notifications.unreadCount();
    return n === 0 ? 'Notifications' : `Notifications, ${n} unread`;
  });

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.realtime.stop();
      this.tasks.clear();
      this.notifications.clear();
      this.zone.reset();
    });
  }

  ngOnInit(): void {
    this.realtime.start();
    // Every start (and so right after sign-up): adopt the device zone unless one was chosen.
    void this.zone.start();
    void this.notifications.load();
  }

  private listInUrl(): boolean {
    return typeof this.router.parseUrl(this.router.url).queryParams['list'] === 'string';
  }

  closeNavOnPhone(): void {
    if (this.narrow()) this.navOpen.set(false);
  }

  signOut(): Promise<void> {
    return this.auth.signOut();
  }
}
