import { HttpErrorResponse } from '@angular/common/http';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { Router, provideRouter } from '@angular/router';
import { makeTask } from '../../testing/fixtures';
import { ApiService } from '../core/api.service';
import { TaskStore } from '../core/task-store';
import { UserZone } from '../core/user-zone';
import { TaskList } from './task-list';

describe('TaskList', () => {
  let api: jasmine.SpyObj<ApiService>;
  let fixture: ComponentFixture<TaskList>;
  let el: HTMLElement;

  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r));
      await fixture.whenStable();
    }
  };

  beforeEach(async () => {
    api = jasmine.createSpyObj<ApiService>('ApiService', [
      'listTasks',
      'changes',
      'createTask',
      'completeTask',
      'updateTask',
      'deleteTask',
      'reopenTask',
      'restoreTask',
    ]);
    api.changes.and.callFake((since: string) =>
      Promise.resolve({ changes: [], listChanges: [], nextCursor: since, hasMore: false }),
    );
    api.listTasks.and.resolveTo({
      items: [
        makeTask({
          title: 'Team sync',
          priority: 'high',
          tags: ['work'],
          dueDate: '2026-12-07T09:00:00Z',
          recurrence: {
            frequency: 'weekly',
            interval: 1,
            byWeekday: [0],
            maxOccurrences: 5,
            anchor: 'due',
          },
        }),
      ],
      nextCursor: null,
      changesCursor: '3',
    });
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: ApiService, useValue: api },
      ],
    });
    fixture = TestBed.createComponent(TaskList);
    el = fixture.nativeElement;
    await settle();
  });

  it('lists tasks with priority, tags and the recurrence in words', () => {
    const row = el.querySelector('li.task')!;
    expect(row.textContent).toContain('Team sync');
    expect(row.textContent).toContain('high');
    expect(row.textContent).toContain('#work');
    expect(row.textContent).toContain('Every Monday, 5 times');
    expect(row.querySelector('mat-checkbox input')!.getAttribute('aria-label')).toBe(
      'Complete: Team sync',
    );
  });

  it("shows due and reminder times in the user's zone, not the browser's", async () => {
    // Karma's browser runs in America/Los_Angeles; the user's saved zone is Asia/Kolkata.
    const task = TestBed.inject(TaskStore).tasks()[0]!;
    TestBed.inject(TaskStore).upsert({
      ...task,
      version: 2,
      dueDate: '2026-12-07T12:30:00.000Z',
      reminderAt: '2026-12-07T12:15:00.000Z',
      recurrence: { frequency: 'weekly', interval: 1, byWeekday: [0], anchor: 'due' },
    });
    TestBed.inject(UserZone).zone.set('Asia/Kolkata');
    await settle();
    const meta = el.querySelector('li.task .meta')!.textContent!;
    expect(meta).toContain('Mon 7 Dec, 18:00');
    expect(meta).toContain('Mon 17:45');
    expect(meta).toContain('Every Monday');
    expect(meta).not.toContain('until');
    TestBed.inject(UserZone).zone.set('America/New_York');
    await settle();
    expect(el.querySelector('li.task .meta')!.textContent).toContain('Mon 7 Dec, 07:30');
  });

  it('quick-adds a task and shows a field error from the server', async () => {
    const created = makeTask({ title: 'Buy milk' });
    api.createTask.and.resolveTo(created);
    fixture.componentInstance.quickTitle.set('Buy milk');
    await fixture.componentInstance.quickAdd();
    await settle();
    expect(api.createTask).toHaveBeenCalledWith(
      { id: jasmine.any(String), title: 'Buy milk' },
      jasmine.any(String),
    );
    expect(el.textContent).toContain('Buy milk');
    expect(fixture.componentInstance.quickTitle()).toBe('');

    api.createTask.and.rejectWith(
      new HttpErrorResponse({
        status: 400,
        error: {
          error: 'VALIDATION_FAILED',
          message: 'invalid body: title',
          details: [
            { field: 'title', message: 'title must be at most 255 characters', type: 'string.max' },
          ],
          correlationId: 'c',
        },
      }),
    );
    fixture.componentInstance.quickTitle.set('Buy bread');
    await fixture.componentInstance.quickAdd();
    await settle();
    expect(el.querySelector('.quick-add [role="alert"]')!.textContent).toContain(
      'Title must be at most 255 characters',
    );
  });

  it('counts title characters as the api does and refuses a title over the limit', async () => {
    const page = fixture.componentInstance;
    // 250 emoji are 250 characters (500 UTF-16 code units): near the limit, still fine.
    page.quickTitle.set('\u{1F600}'.repeat(250));
    await settle();
    expect(el.querySelector('[data-testid="title-counter"]')!.textContent).toContain(
      'Title 250 / 255 characters',
    );
    page.quickTitle.set('x'.repeat(341));
    await page.quickAdd();
    await settle();
    expect(api.createTask).not.toHaveBeenCalled();
    expect(el.querySelector('.quick-add [role="alert"]')!.textContent).toContain(
      'A title can be at most 255 characters; this one has 341',
    );
  });

  it('writes user text in its own direction and shows no bell for a past reminder', async () => {
    const store = TestBed.inject(TaskStore);
    const task = store.tasks()[0]!;
    store.upsert({
      ...task,
      version: 3,
      title: 'שלום עולם',
      description: 'مرحبا',
      reminderAt: new Date(Date.now() - 60_000).toISOString(),
    });
    await settle();
    expect(el.querySelector('li.task .title')!.getAttribute('dir')).toBe('auto');
    expect(el.querySelector('li.task .description')!.getAttribute('dir')).toBe('auto');
    expect(el.querySelector('li.task .meta app-icon[name="bell"]')).toBeNull();
    store.upsert({
      ...task,
      version: 4,
      reminderAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await settle();
    expect(el.querySelector('li.task .meta app-icon[name="bell"]')).not.toBeNull();
  });

  it('opens the task an inbox link names (?task=id), then drops the parameter', async () => {
    api.getTask = jasmine.createSpy('getTask').and.resolveTo(makeTask({ title: 'From the inbox' }));
    const router = TestBed.inject(Router);
    await router.navigateByUrl('/?task=t1&status=all');
    await settle();
    expect(api.getTask).toHaveBeenCalledWith('t1');
    expect(document.querySelector('mat-dialog-container input[name="title"]')).not.toBeNull();
    expect(router.url).toBe('/?status=all');
  });

  it('keeps the filters in the URL and loads the list the URL says', async () => {
    const router = TestBed.inject(Router);
    fixture.componentInstance.setFilter('status', 'completed');
    await settle();
    expect(router.url).toBe('/?status=completed');
    expect(api.listTasks.calls.mostRecent().args[0].status).toBe('completed');
    fixture.componentInstance.setFilter('due', 'overdue');
    await settle();
    // Overdue lists tasks still to do: Done is not kept beside it, and the rule is shown.
    expect(router.url).toBe('/?due=overdue');
    expect(el.querySelector('[data-testid="filter-rule"]')!.textContent).toContain(
      'Overdue lists tasks still to do',
    );
    await router.navigateByUrl('/?tag=work&sort=title');
    await settle();
    const query = api.listTasks.calls.mostRecent().args[0];
    expect([query.tag, query.sort, query.status, query.due]).toEqual([
      'work',
      'title',
      'pending',
      undefined,
    ]);
  });

  it('shows a task pushed by another tab without reloading', async () => {
    const store = TestBed.inject(TaskStore);
    const task = makeTask({ title: 'From tab A' });
    store.applyChange(
      { action: 'created', taskId: task.id, task, changedFields: [], seq: '4', timestamp: '' },
      true,
    );
    await settle();
    expect(el.textContent).toContain('From tab A');
    expect(api.listTasks).toHaveBeenCalledTimes(1);
  });

  it('completes inline', async () => {
    const task = TestBed.inject(TaskStore).tasks()[0]!;
    api.completeTask.and.resolveTo({
      task: { ...task, status: 'completed', version: 2 },
      nextInstance: null,
    });
    el.querySelector<HTMLInputElement>('li.task mat-checkbox input')!.click();
    await settle();
    expect(api.completeTask).toHaveBeenCalledWith(task.id, jasmine.any(String));
    expect(el.querySelectorAll('li.task').length).toBe(0);
  });

  it('asks before deleting a recurring task, since that ends its series', async () => {
    api.deleteTask.and.resolveTo(null);
    el.querySelector<HTMLButtonElement>('button[aria-label="Delete Team sync"]')!.click();
    await settle();
    const dialog = document.querySelector('mat-dialog-container')!;
    expect(dialog.textContent).toContain('ends its series');
    expect(api.deleteTask).not.toHaveBeenCalled();
    [...dialog.querySelectorAll('button')]
      .find((b) => b.textContent!.includes('Delete and end the series'))!
      .click();
    await settle();
    expect(api.deleteTask).toHaveBeenCalled();
    expect(el.querySelectorAll('li.task').length).toBe(0);
  });

  it('deletes with Undo for 10 seconds: Undo brings the same task back', async () => {
    const task = TestBed.inject(TaskStore).tasks()[0]!;
    api.deleteTask.and.resolveTo(null);
    api.restoreTask.and.resolveTo({ ...task, version: task.version + 2 });
    el.querySelector<HTMLButtonElement>('button[aria-label="Delete Team sync"]')!.click();
    await settle();
    [...document.querySelectorAll<HTMLButtonElement>('mat-dialog-container button')]
      .find((b) => b.textContent!.includes('Delete and end the series'))!
      .click();
    await settle();
    expect(el.querySelectorAll('li.task').length).toBe(0);
    const bar = document.querySelector('mat-snack-bar-container')!;
    expect(bar.textContent).toContain('Deleted “Team sync”.');
    [...bar.querySelectorAll('button')].find((b) => b.textContent!.includes('Undo'))!.click();
    await settle();
    expect(api.restoreTask).toHaveBeenCalledWith(task.id, jasmine.any(String));
    expect(el.querySelectorAll('li.task').length).toBe(1);
  });

  it('after a delete the live region says how to undo, and Ctrl+Z brings the task back', async () => {
    const task = TestBed.inject(TaskStore).tasks()[0]!;
    api.deleteTask.and.resolveTo(null);
    api.restoreTask.and.resolveTo({ ...task, version: task.version + 2 });
    el.querySelector<HTMLButtonElement>('button[aria-label="Delete Team sync"]')!.click();
    await settle();
    [...document.querySelectorAll<HTMLButtonElement>('mat-dialog-container button')]
      .find((b) => b.textContent!.includes('Delete and end the series'))!
      .click();
    await settle();
    const live = el.querySelector('[data-testid="list-announcer"]')!;
    expect(live.textContent).toContain('Deleted “Team sync”. Press Ctrl+Z to undo.');
    document.body.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'z', ctrlKey: true, bubbles: true }),
    );
    await settle();
    expect(api.restoreTask).toHaveBeenCalledWith(task.id, jasmine.any(String));
    expect(el.querySelectorAll('li.task').length).toBe(1);
    expect(live.textContent).toContain('Restored “Team sync”.');
  });

  it('Undo after completing a repeating task reopens it through the server’s undo', async () => {
    const task = TestBed.inject(TaskStore).tasks()[0]!;
    api.completeTask.and.resolveTo({
      task: { ...task, status: 'completed', version: 2 },
      nextInstance: { scheduledFor: '2026-12-14T09:00:00Z' },
    });
    api.reopenTask.and.resolveTo({
      task: { ...task, version: 3 },
      removedInstanceId: null,
    });
    el.querySelector<HTMLInputElement>('li.task mat-checkbox input')!.click();
    await settle();
    const bar = document.querySelector('mat-snack-bar-container')!;
    [...bar.querySelectorAll('button')].find((b) => b.textContent!.includes('Undo'))!.click();
    await settle();
    expect(api.reopenTask).toHaveBeenCalledWith(task.id, jasmine.any(String));
    expect(el.querySelectorAll('li.task').length).toBe(1);
  });

  it('shows a change waiting for the connection as pending sync, and a refused one with Fix and Discard', async () => {
    api.createTask.and.rejectWith(new HttpErrorResponse({ status: 0 }));
    fixture.componentInstance.quickTitle.set('Offline errand');
    await fixture.componentInstance.quickAdd();
    await settle();
    const row = [...el.querySelectorAll('li.task')].find((li) =>
      li.textContent!.includes('Offline errand'),
    )!;
    expect(row.querySelector('[data-testid="pending-sync"]')!.textContent).toContain(
      'Pending sync',
    );
    expect(document.querySelector('mat-snack-bar-container')!.textContent).toContain(
      'it will be sent when the connection is back',
    );

    api.createTask.and.rejectWith(
      new HttpErrorResponse({
        status: 400,
        error: { error: 'VALIDATION_FAILED', message: 'invalid body: title', correlationId: 'c' },
      }),
    );
    await TestBed.inject(TaskStore).catchUp();
    await settle();
    const refused = el.querySelector('[data-testid="refused"]')!;
    expect(refused.textContent).toContain('Not saved: Offline errand — Invalid body: title');
    [...refused.querySelectorAll('button')]
      .find((b) => b.textContent!.includes('Discard'))!
      .click();
    await settle();
    expect(el.querySelector('[data-testid="refused"]')).toBeNull();
    expect(el.textContent).not.toContain('Offline errand');
  });

  it('says what went wrong when the list cannot load, with a retry', async () => {
    api.listTasks.and.rejectWith(new HttpErrorResponse({ status: 0 }));
    await TestBed.inject(TaskStore).load();
    await settle();
    const alert = el.querySelector('.load-error')!;
    expect(alert.textContent).toContain('Cannot reach the server');
    expect(alert.querySelector('button')!.textContent).toContain('Try again');
  });
});
