import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Router } from '@angular/router';
import { ChatPanel } from './chat-panel';

/** The chat on its own page (a link target; the drawer is the usual way in). */
@Component({
  selector: 'app-chat-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ChatPanel],
  template: `<div class="page chat-page">
    <h1 class="visually-hidden">Chat</h1>
    <app-chat-panel (closed)="back()" />
  </div>`,
  styles: `
    .chat-page {
      height: calc(100vh - 64px);
    }
  `,
})
export class ChatPage {
  private readonly router = inject(Router);
  back(): void {
    void this.router.navigate(['/tasks']);
  }
}
