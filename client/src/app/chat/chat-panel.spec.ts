import { HttpErrorResponse } from '@angular/common/http';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ApiService } from '../core/api.service';
import { ChatPanel, describeAction } from './chat-panel';

describe('ChatPanel', () => {
  let api: jasmine.SpyObj<ApiService>;

  beforeEach(() => {
    api = jasmine.createSpyObj<ApiService>('ApiService', ['chat']);
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), { provide: ApiService, useValue: api }],
    });
  });

  async function send(text: string) {
    const fixture = TestBed.createComponent(ChatPanel);
    await fixture.whenStable();
    fixture.componentInstance.draft.set(text);
    await fixture.componentInstance.send();
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

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
