import { HttpErrorResponse } from '@angular/common/http';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { of } from 'rxjs';
import { ApiService } from '../core/api.service';
import type { ChatMessagePage, ConversationPage, StoredChatMessage } from '../core/types';
import { CHAT_PAGE_SIZE, ChatPanel, describeAction } from './chat-panel';

const CONVERSATION = '0190f3c5-6c1e-7b7a-9a43-2f1d4c8e5a11';

function stored(n: number, role: 'user' | 'assistant', text: string): StoredChatMessage {
  return {
    id: `m${n}`,
    role,
    text,
    ...(role === 'assistant' ? { actions: [] } : {}),
    createdAt: new Date(Date.UTC(2026, 10, 27, 9, 0, n)).toISOString(),
  };
}

function conversationList(id = CONVERSATION): ConversationPage {
  const at = '2026-11-27T09:00:00.000Z';
  return {
    items: [{ id, title: 'add buy milk', createdAt: at, updatedAt: at, messageCount: 4 }],
    nextCursor: null,
  };
}

describe('ChatPanel', () => {
  let api: jasmine.SpyObj<ApiService>;
  let confirmAnswer: boolean;
  let dialog: { open: jasmine.Spy };

  beforeEach(() => {
    api = jasmine.createSpyObj<ApiService>('ApiService', [
      'chat',
      'conversations',
      'conversationMessages',
      'deleteConversation',
    ]);
    api.conversations.and.resolveTo({ items: [], nextCursor: null });
    confirmAnswer = true;
    dialog = {
      open: jasmine
        .createSpy('open')
        .and.callFake(() => ({ afterClosed: () => of(confirmAnswer) })),
    };
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        { provide: ApiService, useValue: api },
        { provide: MatDialog, useValue: dialog },
      ],
    });
  });

  async function open(): Promise<ComponentFixture<ChatPanel>> {
    const fixture = TestBed.createComponent(ChatPanel);
    await fixture.componentInstance.loaded;
    await fixture.whenStable();
    return fixture;
  }

  async function send(text: string, fixture?: ComponentFixture<ChatPanel>) {
    fixture ??= await open();
    fixture.componentInstance.draft.set(text);
    await fixture.componentInstance.send();
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  const texts = (el: HTMLElement) =>
    [...el.querySelectorAll('.message:not(.greeting) p')].map((p) => p.textContent!.trim());

  it('shows the reply and the actions the assistant took', async () => {
    api.chat.and.resolveTo({
      reply: 'Added it.',
      actions: [{ type: 'task.created', taskId: 't1', fields: { title: 'Buy milk' } }],
      conversationId: 'c1',
    });
    const el = await send('add buy milk');
    expect(api.chat).toHaveBeenCalledWith('add buy milk', undefined);
    expect(el.textContent).toContain('Added it.');
    expect(el.querySelector('[aria-label="Actions taken"]')!.textContent).toContain(
      'Created “Buy milk”',
    );
  });

  it('says "chat unavailable" in a friendly way while the endpoint is missing', async () => {
    api.chat.and.rejectWith(new HttpErrorResponse({ status: 404 }));
    const el = await send('hello');
    expect(el.textContent).toContain('Chat unavailable');
    expect(el.textContent).toContain('You can still manage everything from the task list.');
  });

  it('greets when there is no earlier conversation, in a log the keyboard can reach', async () => {
    const el = (await open()).nativeElement as HTMLElement;
    expect(el.textContent).toContain('Hi! Ask me to add');
    // The log scrolls, so it takes focus (axe: scrollable-region-focusable) and has a name.
    const log = el.querySelector<HTMLElement>('[role="log"]')!;
    expect([log.tabIndex, log.getAttribute('aria-label')]).toEqual([0, 'Conversation']);
    expect(el.querySelector('button[aria-label="Delete this conversation"]')).toBeNull();
    expect(api.conversationMessages).not.toHaveBeenCalled();
  });

  it('restores the most recent conversation with its action chips and continues it', async () => {
    api.conversations.and.resolveTo(conversationList());
    api.conversationMessages.and.resolveTo({
      items: [
        stored(1, 'user', 'add buy milk'),
        {
          ...stored(2, 'assistant', 'Added “buy milk”.'),
          actions: [{ type: 'task.created', taskId: 't1', fields: { title: 'buy milk' } }],
        },
      ],
      nextCursor: null,
    });
    api.chat.and.resolveTo({
      reply: 'It repeats every Friday.',
      actions: [],
      conversationId: CONVERSATION,
    });
    const fixture = await open();
    const el = fixture.nativeElement as HTMLElement;
    expect(api.conversations).toHaveBeenCalledWith(1);
    expect(api.conversationMessages).toHaveBeenCalledWith(CONVERSATION, CHAT_PAGE_SIZE);
    expect(texts(el)).toEqual(['add buy milk', 'Added “buy milk”.']);
    expect(el.querySelector('[aria-label="Actions taken"]')!.textContent).toContain(
      'Created “buy milk”',
    );
    expect(el.querySelector('.message.user')!.textContent).toContain('You said:');
    await send('make it every Friday', fixture);
    expect(api.chat).toHaveBeenCalledWith('make it every Friday', CONVERSATION);
    expect(texts(el).at(-1)).toBe('It repeats every Friday.');
  });

  it('says it is loading, and says in words when restoring failed, with a retry', async () => {
    let finish!: (page: ConversationPage) => void;
    api.conversations.and.returnValue(new Promise((resolve) => (finish = resolve)));
    const fixture = TestBed.createComponent(ChatPanel);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('[role="status"]')!.textContent).toContain(
      'Loading your last conversation…',
    );
    expect(el.querySelector('.log')!.getAttribute('aria-busy')).toBe('true');
    finish({ items: [], nextCursor: null });
    await fixture.componentInstance.loaded;
    await fixture.whenStable();
    expect(el.textContent).not.toContain('Loading your last conversation');

    api.conversations.and.rejectWith(new HttpErrorResponse({ status: 503 }));
    await fixture.componentInstance.restore();
    await fixture.whenStable();
    const alert = el.querySelector('[role="alert"]')!;
    expect(alert.textContent).toContain('Could not load your last conversation');
    expect(alert.textContent).toContain('temporarily unavailable');

    api.conversations.and.resolveTo(conversationList());
    api.conversationMessages.and.resolveTo({
      items: [stored(1, 'user', 'hello again')],
      nextCursor: null,
    });
    (alert.querySelector('button') as HTMLButtonElement).click();
    await fixture.componentInstance.loaded;
    await fixture.whenStable();
    expect(texts(el)).toEqual(['hello again']);
    expect(el.querySelector('[role="alert"]')).toBeNull();
  });

  it('loads earlier messages before the ones shown, until the start of the conversation', async () => {
    api.conversations.and.resolveTo(conversationList());
    const latest: ChatMessagePage = {
      items: [stored(3, 'user', 'third'), stored(4, 'assistant', 'fourth')],
      nextCursor: 'before-3',
    };
    const earlier: ChatMessagePage = {
      items: [stored(1, 'user', 'first'), stored(2, 'assistant', 'second')],
      nextCursor: null,
    };
    api.conversationMessages.and.callFake((_id, _limit, cursor) =>
      Promise.resolve(cursor === 'before-3' ? earlier : latest),
    );
    const fixture = await open();
    const el = fixture.nativeElement as HTMLElement;
    expect(texts(el)).toEqual(['third', 'fourth']);
    expect(el.textContent).not.toContain('Hi! Ask me', 'no greeting mid-conversation');
    const button = [...el.querySelectorAll('button')].find((b) =>
      b.textContent!.includes('Load earlier messages'),
    )!;
    expect(button).toBeTruthy();
    button.click();
    await fixture.componentInstance.loaded;
    await fixture.whenStable();
    expect(api.conversationMessages).toHaveBeenCalledWith(CONVERSATION, CHAT_PAGE_SIZE, 'before-3');
    expect(texts(el)).toEqual(['first', 'second', 'third', 'fourth']);
    expect(el.textContent).not.toContain('Load earlier messages');
    expect(el.textContent).toContain('Hi! Ask me', 'the greeting opens the conversation');
  });

  it('scrolling near the top loads earlier messages and keeps the reading position', async () => {
    api.conversations.and.resolveTo(conversationList());
    const many = (from: number, cursor: string | null): ChatMessagePage => ({
      items: Array.from({ length: 10 }, (_, i) =>
        stored(from + i, i % 2 ? 'assistant' : 'user', `message ${from + i}`),
      ),
      nextCursor: cursor,
    });
    api.conversationMessages.and.callFake((_id, _limit, cursor) =>
      Promise.resolve(cursor ? many(1, null) : many(11, 'before-11')),
    );
    const fixture = await open();
    const el = fixture.nativeElement as HTMLElement;
    const log = el.querySelector<HTMLElement>('.log')!;
    log.style.height = '120px';
    log.style.flex = 'none';
    log.scrollTop = 0;
    log.dispatchEvent(new Event('scroll'));
    await fixture.componentInstance.loaded;
    await fixture.whenStable();
    expect(api.conversationMessages).toHaveBeenCalledWith(
      CONVERSATION,
      CHAT_PAGE_SIZE,
      'before-11',
    );
    expect(texts(el)[0]).toBe('message 1');
    expect(texts(el).length).toBe(20);
    // Still looking at what was on top before ("message 11"), not jumped to either end.
    const top = log.getBoundingClientRect().top;
    const eleventh = [...log.querySelectorAll('.message p')].find(
      (p) => p.textContent === 'message 11',
    )!;
    expect(Math.abs(eleventh.getBoundingClientRect().top - top)).toBeLessThan(60);
  });

  it('starts a new conversation: empty log, next message without the old id', async () => {
    api.conversations.and.resolveTo(conversationList());
    api.conversationMessages.and.resolveTo({
      items: [stored(1, 'user', 'old talk')],
      nextCursor: null,
    });
    api.chat.and.resolveTo({ reply: 'Fresh.', actions: [], conversationId: 'c2' });
    const fixture = await open();
    const el = fixture.nativeElement as HTMLElement;
    (el.querySelector('button[aria-label="New conversation"]') as HTMLButtonElement).click();
    await fixture.whenStable();
    expect(texts(el)).toEqual([]);
    await send('hello', fixture);
    expect(api.chat).toHaveBeenCalledWith('hello', undefined);
  });

  it('deletes the current conversation only after confirming', async () => {
    api.conversations.and.resolveTo(conversationList());
    api.conversationMessages.and.resolveTo({
      items: [stored(1, 'user', 'secret')],
      nextCursor: null,
    });
    api.deleteConversation.and.resolveTo(null);
    const fixture = await open();
    const el = fixture.nativeElement as HTMLElement;

    confirmAnswer = false;
    await fixture.componentInstance.deleteConversation();
    await fixture.whenStable();
    expect(api.deleteConversation).not.toHaveBeenCalled();
    expect(texts(el)).toEqual(['secret']);

    confirmAnswer = true;
    await fixture.componentInstance.deleteConversation();
    await fixture.whenStable();
    expect(dialog.open.calls.mostRecent().args[1].data.confirm).toBe('Delete conversation');
    expect(api.deleteConversation).toHaveBeenCalledWith(CONVERSATION);
    expect(texts(el)).toEqual([]);
    expect(el.querySelector('.notice[role="status"]')!.textContent).toContain(
      'Conversation deleted.',
    );
    expect(el.querySelector('button[aria-label="Delete this conversation"]')).toBeNull();
  });

  it('starts over, keeping the draft, when the conversation was deleted elsewhere', async () => {
    api.conversations.and.resolveTo(conversationList());
    api.conversationMessages.and.resolveTo({
      items: [stored(1, 'user', 'before')],
      nextCursor: null,
    });
    api.chat.and.rejectWith(
      new HttpErrorResponse({
        status: 404,
        error: {
          error: 'NOT_FOUND',
          message: 'conversationId: conversation x was not found',
          details: [{ field: 'conversationId', message: 'gone', type: 'any.notFound' }],
          correlationId: 'c',
        },
      }),
    );
    const fixture = await open();
    const el = await send('make it every Friday', fixture);
    expect(el.textContent).not.toContain('Chat unavailable');
    expect(el.querySelector('.notice')!.textContent).toContain('This conversation was deleted');
    expect(fixture.componentInstance.draft()).toBe('make it every Friday');
    expect(fixture.componentInstance.conversationId()).toBeUndefined();
  });

  it('describes unknown actions readably', () => {
    expect(describeAction({ type: 'reminder.set', taskId: 't1' }, () => 'Call Sam')).toBe(
      'Set a reminder on “Call Sam”',
    );
    expect(describeAction({ type: 'task.completed' })).toBe('Completed a task');
    expect(describeAction({ type: 'tasks.listed', fields: { ids: ['a', 'b'] } })).toBe(
      'Looked up your tasks (2 found)',
    );
    expect(describeAction({ type: 'future.thing' as never })).toBe('future thing');
  });
});
