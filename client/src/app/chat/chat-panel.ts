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
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { HttpErrorResponse } from '@angular/common/http';
import { ApiService } from '../core/api.service';
import { describeError } from '../core/errors';
import { Icon } from '../core/icons';
import { TaskStore } from '../core/task-store';
import type { ChatAction } from '../core/types';

export interface ChatMessage {
  from: 'user' | 'assistant' | 'system';
  text: string;
  actions?: ChatAction[];
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
  if (action.type === 'preferences.updated') return verb;
  if (!VERBS[action.type]) return title ? `${verb}: “${title}”` : verb;
  return title ? `${verb} “${title}”` : `${verb} a task`;
}

/** The conversation with the chatbot; it shows the actions it took on your tasks. */
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
  readonly closed = output<void>();

  readonly messages = signal<ChatMessage[]>([
    {
      from: 'assistant',
      text: 'Hi! Ask me to add, find, change or complete tasks — e.g. "remind me to call Sam tomorrow at 10".',
    },
  ]);
  readonly draft = signal('');
  readonly busy = signal(false);
  readonly unavailable = signal(false);
  private conversationId: string | undefined;
  private readonly log = viewChild<ElementRef<HTMLElement>>('log');

  constructor() {
    afterRenderEffect(() => {
      this.messages();
      const el = this.log()?.nativeElement;
      if (el) el.scrollTop = el.scrollHeight;
    });
  }

  async send(): Promise<void> {
    const text = this.draft().trim();
    if (!text || this.busy()) return;
    this.draft.set('');
    this.messages.update((m) => [...m, { from: 'user', text }]);
    this.busy.set(true);
    try {
      const reply = await this.api.chat(text, this.conversationId);
      this.conversationId = reply.conversationId;
      this.unavailable.set(false);
      this.messages.update((m) => [
        ...m,
        { from: 'assistant', text: reply.reply, actions: reply.actions ?? [] },
      ]);
    } catch (error) {
      const unavailable =
        error instanceof HttpErrorResponse && [404, 501, 502, 503].includes(error.status);
      this.unavailable.set(unavailable);
      this.messages.update((m) => [
        ...m,
        {
          from: 'system',
          text: unavailable
            ? 'The chat assistant is unavailable right now. You can still manage everything from the task list.'
            : `The assistant could not answer: ${describeError(error).message}`,
        },
      ]);
    } finally {
      this.busy.set(false);
    }
  }

  describe(action: ChatAction): string {
    return describeAction(
      action,
      (id) => this.tasks.tasks().find((t) => t.id === id)?.title ?? null,
    );
  }
}
