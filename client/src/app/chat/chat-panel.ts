import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  afterRenderEffect,
  inject,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { firstValueFrom } from 'rxjs';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { HttpErrorResponse } from '@angular/common/http';
import { ApiService } from '../core/api.service';
import { describeError } from '../core/errors';
import { Icon } from '../core/icons';
import { humanizeDates } from '../core/human-dates';
import { TaskStore } from '../core/task-store';
import { UserZone } from '../core/user-zone';
import type { ChatAction, StoredChatMessage } from '../core/types';
import { ConfirmDialog, type ConfirmData } from '../shared-confirm';

export interface ChatMessage {
  /** Stable key for rendering: the stored id, or a local one for notes and unsaved turns. */
  key: string;
  from: 'user' | 'assistant' | 'system';
  text: string;
  actions?: ChatAction[];
}

/** Messages fetched per page when restoring or scrolling back. */
export const CHAT_PAGE_SIZE = 30;
/** Within this many pixels of the top, scrolling up loads earlier messages. */
const NEAR_TOP_PX = 48;

let localKeys = 0;
const localKey = () => `local-${++localKeys}`;

function fromStored(message: StoredChatMessage): ChatMessage {
  return {
    key: message.id,
    from: message.role,
    text: message.text,
    ...(message.actions?.length ? { actions: message.actions } : {}),
  };
}

/** A 404 whose details name conversationId: that conversation was deleted (not a missing route). */
function isGoneConversation(error: unknown): boolean {
  if (!(error instanceof HttpErrorResponse) || error.status !== 404) return false;
  const body: unknown = error.error;
  const details = (body as { details?: { field?: unknown }[] } | null)?.details;
  return Array.isArray(details) && details.some((d) => d.field === 'conversationId');
}

const VERBS: Record<string, string> = {
  'task.created': 'Created',
  'task.updated': 'Updated',
  'task.completed': 'Completed',
  'task.reopened': 'Reopened',
  'task.deleted': 'Deleted',
  'tasks.listed': 'Looked up your tasks',
  'recurrence.set': 'Set the repeat of',
  'recurrence.removed': 'Stopped the repeat of',
  'reminder.set': 'Set a reminder on',
  'reminder.disabled': 'Turned off the reminder of',
  'preferences.updated': 'Updated your notification settings',
  'list.created': 'Made the list',
  'list.updated': 'Changed the list',
  'list.deleted': 'Deleted the list',
  'list.shared': 'Shared a list',
  'lists.listed': 'Looked up your lists',
};

/** Words for what the assistant did, e.g. "Created “Buy milk”". */
export function describeAction(
  action: ChatAction,
  titleOf?: (id: string) => string | null,
): string {
  const fields = action.fields ?? {};
  const title =
    typeof fields['title'] === 'string'
      ? fields['title']
      : action.taskId && titleOf
        ? titleOf(action.taskId)
        : null;
  const verb = VERBS[action.type] ?? String(action.type).replace(/[._-]+/g, ' ');
  if (action.type === 'tasks.listed') {
    const ids = fields['ids'];
    return Array.isArray(ids) ? `${verb} (${ids.length} found)` : verb;
  }
  if (action.type === 'preferences.updated' || action.type === 'lists.listed') return verb;
  if (action.type.startsWith('list.'))
    return typeof fields['name'] === 'string' ? `${verb} “${fields['name']}”` : verb;
  if (!VERBS[action.type]) return title ? `${verb}: “${title}”` : verb;
  return title ? `${verb} “${title}”` : `${verb} a task`;
}

/**
 * The conversation with the chatbot; it shows the actions it took on your tasks. On start it
 * restores the most recent conversation (the latest page; earlier pages on scroll-up or
 * "Load earlier messages"), and it can start a new conversation or delete the current one.
 */
@Component({
  selector: 'app-chat-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, Icon],
  templateUrl: './chat-panel.html',
  styleUrl: './chat-panel.scss',
})
export class ChatPanel {
  private readonly api = inject(ApiService);
  private readonly tasks = inject(TaskStore);
  private readonly dialog = inject(MatDialog);
  private readonly zone = inject(UserZone);
  readonly closed = output<void>();

  readonly greeting =
    'Hi! Ask me to add, find, change or complete tasks — e.g. "remind me to call Sam tomorrow at 10".';
  readonly messages = signal<ChatMessage[]>([]);
  readonly draft = signal('');
  readonly busy = signal(false);
  readonly unavailable = signal(false);
  readonly conversationId = signal<string | undefined>(undefined);
  /** Restoring the last conversation on start. */
  readonly loading = signal(true);
  readonly loadError = signal<string | null>(null);
  /** Cursor of the messages before the oldest one shown; null at the start of the conversation. */
  readonly earlierCursor = signal<string | null>(null);
  readonly loadingEarlier = signal(false);
  readonly earlierError = signal<string | null>(null);
  /** A short note for screen readers and eyes, e.g. after deleting. */
  readonly notice = signal<string | null>(null);
  private readonly log = viewChild<ElementRef<HTMLElement>>('log');
  private readonly input = viewChild<ElementRef<HTMLInputElement>>('messageInput');
  /** Set while prepending earlier messages: keep the reader where they were instead of jumping down. */
  private keepPosition: { height: number; top: number } | null = null;
  /** The latest load (restore or earlier page); settles when it has finished or failed. */
  loaded: Promise<void> = Promise.resolve();

  constructor() {
    afterRenderEffect(() => {
      this.messages();
      this.loading();
      const el = this.log()?.nativeElement;
      if (!el) return;
      if (this.keepPosition) {
        el.scrollTop = el.scrollHeight - this.keepPosition.height + this.keepPosition.top;
        this.keepPosition = null;
      } else {
        el.scrollTop = el.scrollHeight;
      }
    });
    void this.restore();
  }

  /** Shows the most recent conversation, if there is one. */
  restore(): Promise<void> {
    return (this.loaded = this.fetchLatest());
  }

  /** Prepends the page of messages before the oldest one shown. */
  loadEarlier(): Promise<void> {
    if (this.loadingEarlier()) return this.loaded;
    return (this.loaded = this.fetchEarlier());
  }

  private async fetchLatest(): Promise<void> {
    this.loading.set(true);
    this.loadError.set(null);
    try {
      const { items } = await this.api.conversations(1);
      const latest = items[0];
      if (latest && !this.conversationId() && this.messages().length === 0) {
        const page = await this.api.conversationMessages(latest.id, CHAT_PAGE_SIZE);
        // The user may have started talking meanwhile: theirs wins over the restored one.
        if (!this.conversationId() && this.messages().length === 0) {
          this.conversationId.set(latest.id);
          this.messages.set(page.items.map(fromStored));
          this.earlierCursor.set(page.nextCursor);
        }
      }
    } catch (error) {
      this.loadError.set(
        `Could not load your last conversation: ${describeError(error).message} New messages start a new conversation.`,
      );
    } finally {
      this.loading.set(false);
    }
  }

  private async fetchEarlier(): Promise<void> {
    const id = this.conversationId();
    const cursor = this.earlierCursor();
    if (!id || !cursor) return;
    this.loadingEarlier.set(true);
    this.earlierError.set(null);
    try {
      const page = await this.api.conversationMessages(id, CHAT_PAGE_SIZE, cursor);
      if (this.conversationId() !== id) return; // switched conversations meanwhile
      const el = this.log()?.nativeElement;
      this.keepPosition = el ? { height: el.scrollHeight, top: el.scrollTop } : null;
      this.messages.update((m) => [...page.items.map(fromStored), ...m]);
      this.earlierCursor.set(page.nextCursor);
    } catch (error) {
      this.earlierError.set(`Could not load earlier messages: ${describeError(error).message}`);
    } finally {
      this.loadingEarlier.set(false);
    }
  }

  /** Scrolling near the top loads earlier messages, like any chat. */
  onScroll(): void {
    const el = this.log()?.nativeElement;
    if (el && el.scrollTop < NEAR_TOP_PX && this.earlierCursor() && !this.earlierError())
      void this.loadEarlier();
  }

  /** Starts over: the next message opens a new conversation (the old one stays stored). */
  newConversation(notice: string | null = null): void {
    this.conversationId.set(undefined);
    this.messages.set([]);
    this.earlierCursor.set(null);
    this.earlierError.set(null);
    this.loadError.set(null);
    this.unavailable.set(false);
    this.notice.set(notice);
    this.input()?.nativeElement.focus();
  }

  /** Deletes the current conversation after a confirmation. */
  async deleteConversation(): Promise<void> {
    const id = this.conversationId();
    if (!id || this.busy()) return;
    const confirmed = await firstValueFrom(
      this.dialog
        .open<ConfirmDialog, ConfirmData, boolean>(ConfirmDialog, {
          data: {
            title: 'Delete this conversation?',
            message:
              'Its messages are deleted and the assistant forgets what “it” referred to. Your tasks stay as they are.',
            confirm: 'Delete conversation',
          },
        })
        .afterClosed(),
    );
    if (!confirmed) return;
    this.busy.set(true);
    try {
      await this.api.deleteConversation(id);
      this.newConversation('Conversation deleted. Your next message starts a new one.');
    } catch (error) {
      if (error instanceof HttpErrorResponse && error.status === 404) {
        this.newConversation('That conversation was already deleted.');
      } else {
        this.addNote(`Could not delete the conversation: ${describeError(error).message}`);
      }
    } finally {
      this.busy.set(false);
    }
  }

  async send(): Promise<void> {
    const text = this.draft().trim();
    if (!text || this.busy()) return;
    this.draft.set('');
    this.notice.set(null);
    this.messages.update((m) => [...m, { key: localKey(), from: 'user', text }]);
    this.busy.set(true);
    try {
      const reply = await this.api.chat(text, this.conversationId());
      this.conversationId.set(reply.conversationId);
      this.unavailable.set(false);
      this.messages.update((m) => [
        ...m,
        { key: localKey(), from: 'assistant', text: reply.reply, actions: reply.actions ?? [] },
      ]);
    } catch (error) {
      if (isGoneConversation(error)) {
        // Deleted elsewhere (another tab): start over, keeping what was typed.
        this.newConversation(
          'This conversation was deleted, perhaps in another tab. Send your message again to start a new one.',
        );
        this.draft.set(text);
        return;
      }
      const unavailable =
        error instanceof HttpErrorResponse && [404, 501, 502, 503].includes(error.status);
      this.unavailable.set(unavailable);
      this.addNote(
        unavailable
          ? 'The chat assistant is unavailable right now. You can still manage everything from the task list.'
          : `The assistant could not answer: ${describeError(error).message}`,
      );
    } finally {
      this.busy.set(false);
    }
  }

  /** Message text with any raw timestamp (an LLM's reply may hold one) in the user's zone. */
  text(message: ChatMessage): string {
    return message.from === 'user' ? message.text : humanizeDates(message.text, this.zone.zone());
  }

  describe(action: ChatAction): string {
    return describeAction(
      action,
      (id) => this.tasks.tasks().find((t) => t.id === id)?.title ?? null,
    );
  }

  private addNote(text: string): void {
    this.messages.update((m) => [...m, { key: localKey(), from: 'system', text }]);
  }
}
