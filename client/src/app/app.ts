import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NavigationEnd, NavigationError, Router, RouterOutlet } from '@angular/router';
import { filter, map, take } from 'rxjs';

@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet],
  template: `
    @if (!ready()) {
      <p class="boot-message" role="status">Loading Todo Chatbot…</p>
    }
    <router-outlet />
  `,
})
export class App {
  /** False until the first navigation (session check, lazy chunk) is done: never a blank page. */
  readonly ready = toSignal(
    inject(Router).events.pipe(
      filter((e) => e instanceof NavigationEnd || e instanceof NavigationError),
      take(1),
      map(() => true),
    ),
    { initialValue: false },
  );
}
