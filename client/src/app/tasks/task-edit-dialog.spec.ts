import { HttpErrorResponse } from '@angular/common/http';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { MatSelectHarness } from '@angular/material/select/testing';
import { provideRouter } from '@angular/router';
import { makeTask } from '../../testing/fixtures';
import { ApiService } from '../core/api.service';
import { ListStore } from '../core/list-store';
import { TaskStore } from '../core/task-store';
import type { Task } from '../core/types';
import { UserZone } from '../core/user-zone';
import { TaskEditDialog, parseTags } from './task-edit-dialog';

describe('TaskEditDialog', () => {
  let api: jasmine.SpyObj<ApiService>;
  let store: jasmine.SpyObj<TaskStore>;
  let close: jasmine.Spy;

  function open(task: Task | null, zone = 'America/New_York'): ComponentFixture<TaskEditDialog> {
    api = jasmine.createSpyObj<ApiService>('ApiService', [
      'getPreferences',
      'updateReminder',
      'putRecurrence',
      'deleteRecurrence',
      'getTask',
      'lists',
      'members',
    ]);
    api.getPreferences.and.resolveTo({
      emailEnabled: true,
      pushEnabled: true,
      quietHoursStart: null,
      quietHoursEnd: null,
      timezone: 'UTC',
      timezoneChosen: false,
      defaultReminderOffset: 30,
    });
    store = jasmine.createSpyObj<TaskStore>('TaskStore', ['create', 'update', 'upsert']);
    close = jasmine.createSpy('close');
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: ApiService, useValue: api },
        { provide: TaskStore, useValue: store },
        { provide: MAT_DIALOG_DATA, useValue: { task } },
        { provide: MatDialogRef, useValue: { close } },
      ],
    });
    // The user's saved zone, unlike the browser's (Karma runs it in America/Los_Angeles).
    TestBed.inject(UserZone).zone.set(zone);
    return TestBed.createComponent(TaskEditDialog);
  }

  it('reads tags', () => {
    expect(parseTags('#Home, errands  home')).toEqual(['home', 'errands']);
  });

  it("shows and saves the due time in the user's zone, not the browser's", async () => {
    const task = makeTask({ title: 'Call mom', dueDate: '2026-12-07T12:30:00.000Z' });
    const fixture = open(task, 'Asia/Kolkata');
    await fixture.whenStable();
    const el: HTMLElement = fixture.nativeElement;
    const due = el.querySelector<HTMLInputElement>('input[name="due"]')!;
    expect(due.value).toBe('2026-12-07T18:00');
    expect(el.querySelector('[data-testid="due-zone"]')!.textContent).toContain(
      'Time in Asia/Kolkata',
    );
    fixture.componentInstance.due.set('2026-12-08T18:00');
    store.update.and.callFake(async (t, patch) => ({ ...t, ...patch, version: 2 }) as Task);
    await fixture.componentInstance.save();
    expect(store.update).toHaveBeenCalledWith(task, { dueDate: '2026-12-08T12:30:00.000Z' });
  });

  it('creates a task with reminder channels and recurrence, using the default offset', async () => {
    const fixture = open(null);
    await fixture.whenStable();
    const dialog = fixture.componentInstance;
    expect(dialog.reminderOffset()).toBe(30);
    dialog.title.set('Team sync');
    dialog.due.set('2026-12-07T09:00');
    dialog.tags.set('work');
    dialog.push.set(false);
    dialog.recurrence.set({ frequency: 'weekly', byWeekday: [0], maxOccurrences: 5 });
    store.create.and.resolveTo(makeTask());
    await dialog.save();
    expect(store.create).toHaveBeenCalledWith({
      title: 'Team sync',
      description: null,
      dueDate: '2026-12-07T14:00:00.000Z', // 09:00 in New York
      priority: 'medium',
      tags: ['work'],
      reminderOffset: 30,
      reminderChannels: ['email'],
      recurrence: { frequency: 'weekly', byWeekday: [0], maxOccurrences: 5 },
    });
    expect(close).toHaveBeenCalledWith(true);
  });

  it('repeats without end by default: "Never" sends neither end field', async () => {
    const fixture = open(null);
    await fixture.whenStable();
    const loader = TestbedHarnessEnvironment.loader(fixture);
    const repeat = await loader.getHarness(
      MatSelectHarness.with({ selector: '[data-testid="repeat"]' }),
    );
    await repeat.open();
    await repeat.clickOptions({ text: 'Weekly' });
    await fixture.whenStable();
    const el: HTMLElement = fixture.nativeElement;
    expect(el.querySelector<HTMLInputElement>('[data-testid="end-never"] input')!.checked).toBe(
      true,
    );
    fixture.componentInstance.title.set('Water the ferns');
    store.create.and.resolveTo(makeTask());
    await fixture.componentInstance.save();
    expect(store.create.calls.mostRecent().args[0].recurrence).toEqual({
      frequency: 'weekly',
      interval: 1,
      anchor: 'due',
    });
  });

  it('shows server validation messages next to their fields', async () => {
    const fixture = open(null);
    await fixture.whenStable();
    store.create.and.rejectWith(
      new HttpErrorResponse({
        status: 400,
        error: {
          error: 'VALIDATION_FAILED',
          message: 'invalid body',
          details: [
            { field: 'title', message: 'title is too long', type: 'string.max' },
            {
              field: 'recurrence.maxOccurrences',
              message: 'must be at least 1',
              type: 'number.min',
            },
          ],
          correlationId: 'c',
        },
      }),
    );
    fixture.componentInstance.title.set('x');
    fixture.componentInstance.reminderOffset.set(null);
    await fixture.componentInstance.save();
    await fixture.whenStable();
    const el: HTMLElement = fixture.nativeElement;
    expect(el.textContent).toContain('Please fix the fields marked below.');
    expect(el.textContent).toContain('Title is too long');
    expect(el.textContent).toContain('Must be at least 1');
    expect(close).not.toHaveBeenCalled();
  });

  it('says messages for fields the form does not show in the summary', async () => {
    const fixture = open(null);
    await fixture.whenStable();
    store.create.and.rejectWith(
      new HttpErrorResponse({
        status: 400,
        error: {
          error: 'VALIDATION_FAILED',
          message: 'invalid body',
          details: [
            {
              field: 'reminderChannels.0',
              message: 'channel must be email or push',
              type: 'any.only',
            },
          ],
          correlationId: 'c',
        },
      }),
    );
    fixture.componentInstance.title.set('x');
    await fixture.componentInstance.save();
    expect(fixture.componentInstance.error()).toBe('Channel must be email or push');
  });

  it('explains that a reminder needs a due date, without blocking the save', async () => {
    const fixture = open(null);
    await fixture.whenStable();
    fixture.componentInstance.title.set('No date');
    fixture.componentInstance.reminderOffset.set(5);
    await fixture.whenStable();
    expect((fixture.nativeElement as HTMLElement).textContent).toContain(
      'Reminders fire once the task has a due date.',
    );
  });

  it('moves the task to the list chosen in the list picker, and only that', async () => {
    const inbox = '00000000-0000-4000-9000-0000000000a1';
    const groceries = '00000000-0000-4000-9000-0000000000a2';
    const task = makeTask({ title: 'Eggs', listId: inbox });
    const fixture = open(task);
    const lists = TestBed.inject(ListStore);
    for (const [id, name, isInbox] of [
      [inbox, 'Inbox', true],
      [groceries, 'Groceries', false],
    ] as const)
      lists.applyChange({
        action: 'created',
        listId: id,
        list: {
          id,
          userId: 'user-1',
          name,
          color: null,
          position: 0,
          isInbox,
          archivedAt: null,
          version: 1,
          createdAt: '2026-11-01T00:00:00.000Z',
          updatedAt: '2026-11-01T00:00:00.000Z',
        },
        changedFields: [],
        seq: '1',
        timestamp: '2026-11-01T00:00:00.000Z',
      });
    await fixture.whenStable();
    const loader = TestbedHarnessEnvironment.loader(fixture);
    const picker = await loader.getHarness(
      MatSelectHarness.with({ selector: '[data-testid="task-list-picker"]' }),
    );
    expect(await picker.getValueText()).toBe('Inbox');
    await picker.open();
    await picker.clickOptions({ text: 'Groceries' });
    store.update.and.callFake(async (t, patch) => ({ ...t, ...patch, version: 2 }) as Task);
    await fixture.componentInstance.save();
    expect(store.update).toHaveBeenCalledWith(task, { listId: groceries });
  });

  describe('on a shared list', () => {
    const shared = '00000000-0000-4000-9000-0000000000c1';
    const viewed = '00000000-0000-4000-9000-0000000000c2';
    const summary = (id: string, name: string, role: 'editor' | 'viewer') => ({
      id,
      userId: 'ada',
      name,
      color: null,
      position: 1,
      isInbox: false,
      archivedAt: null,
      version: 1,
      createdAt: '2026-11-01T00:00:00.000Z',
      updatedAt: '2026-11-01T00:00:00.000Z',
      openTaskCount: 1,
      role,
      memberCount: 2,
    });
    async function openShared(task: Task) {
      const fixture = open(task);
      api.lists.and.resolveTo({
        items: [summary(shared, 'Groceries', 'editor'), summary(viewed, 'Plans', 'viewer')],
      });
      api.members.and.callFake((listId: string) =>
        Promise.resolve({
          items: ['ada', 'bo'].map((userId) => ({
            listId,
            userId,
            name: userId === 'ada' ? 'Ada Lovelace' : 'Bo Chen',
            email: `${userId}@example.com`,
            role: 'editor' as const,
            joinedAt: '2026-11-01T00:00:00.000Z',
            reminders: false,
          })),
        }),
      );
      await TestBed.inject(ListStore).load();
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setTimeout(r));
        await fixture.whenStable();
      }
      return fixture;
    }

    it('assigns to a member of the list, or to nobody', async () => {
      const task = makeTask({ title: 'Milk', listId: shared, assigneeId: null });
      const fixture = await openShared(task);
      const loader = TestbedHarnessEnvironment.loader(fixture);
      const picker = await loader.getHarness(
        MatSelectHarness.with({ selector: '[data-testid="assignee-picker"]' }),
      );
      expect(await picker.getValueText()).toBe('Unassigned');
      await picker.open();
      const options = await picker.getOptions();
      expect(await Promise.all(options.map((o) => o.getText()))).toEqual([
        'Unassigned',
        'Ada Lovelace',
        'Bo Chen',
      ]);
      await picker.clickOptions({ text: 'Bo Chen' });
      store.update.and.callFake(async (t, patch) => ({ ...t, ...patch, version: 2 }) as Task);
      await fixture.componentInstance.save();
      expect(store.update).toHaveBeenCalledWith(task, { assigneeId: 'bo' });
    });

    it('a viewer’s task opens read-only: no Save', async () => {
      const fixture = await openShared(makeTask({ title: 'Trip', listId: viewed }));
      const el: HTMLElement = fixture.nativeElement;
      expect(el.querySelector('[data-testid="read-only"]')!.textContent).toContain(
        'only editors of its list can change it',
      );
      const buttons = [...el.querySelectorAll('button')].map((b) => b.textContent!.trim());
      expect(buttons).not.toContain('Save');
      expect(buttons).toContain('Close');
    });
  });

  it('edits only what changed, with the version; on a 409 keeps their other fields and saves ours on top', async () => {
    const task = makeTask({ title: 'Old', description: null, version: 4 });
    const fixture = open(task);
    await fixture.whenStable();
    const dialog = fixture.componentInstance;
    dialog.title.set('New');
    const conflict = new HttpErrorResponse({
      status: 409,
      error: { error: 'CONFLICT', message: 'version mismatch', correlationId: 'c' },
    });
    store.update.and.returnValues(
      Promise.reject(conflict),
      Promise.resolve({ ...task, title: 'New', description: 'front and rear', version: 6 }),
    );
    // Tab B added a description meanwhile.
    api.getTask.and.resolveTo({ ...task, version: 5, description: 'front and rear' });
    await dialog.save();
    expect(store.update.calls.first().args).toEqual([task, { title: 'New' }]);
    // Saved again at once on their version, with only our field: their description survives.
    const [base, patch] = store.update.calls.mostRecent().args;
    expect(base.version).toBe(5);
    expect(patch).toEqual({ title: 'New' });
    expect(dialog.description()).toBe('front and rear');
    expect(dialog.conflicts()).toEqual([]);
    expect(close).toHaveBeenCalledWith(true);
    expect(api.updateReminder).not.toHaveBeenCalled();
    expect(api.putRecurrence).not.toHaveBeenCalled();
  });

  it('on a 409 where both changed the same field, shows both values and saves the one chosen', async () => {
    const task = makeTask({ title: 'Old', priority: 'low', version: 4 });
    const fixture = open(task);
    await fixture.whenStable();
    const dialog = fixture.componentInstance;
    dialog.title.set('Mine');
    dialog.priority.set('high');
    store.update.and.rejectWith(
      new HttpErrorResponse({
        status: 409,
        error: { error: 'CONFLICT', message: 'version mismatch', correlationId: 'c' },
      }),
    );
    api.getTask.and.resolveTo({ ...task, title: 'Theirs', version: 5 });
    await dialog.save();
    await fixture.whenStable();
    expect(store.update).toHaveBeenCalledTimes(1);
    expect(close).not.toHaveBeenCalled();
    const el = fixture.nativeElement as HTMLElement;
    const box = el.querySelector('[data-conflict="title"]')!;
    expect(box.textContent).toContain('Keep mine: Mine');
    expect(box.textContent).toContain('Use theirs: Theirs');
    // Only the field both changed is asked about.
    expect(el.querySelectorAll('[data-conflict]').length).toBe(1);

    // Saving without choosing asks to choose.
    await dialog.save();
    expect(dialog.error()).toContain('Choose which value to keep');
    expect(store.update).toHaveBeenCalledTimes(1);

    box.querySelectorAll<HTMLInputElement>('input[type="radio"]')[1]!.click();
    await fixture.whenStable();
    expect(dialog.title()).toBe('Theirs');
    store.update.and.callFake(async (t, p) => ({ ...t, ...p, version: 6 }) as never);
    await dialog.save();
    const [base, patch] = store.update.calls.mostRecent().args;
    expect(base.version).toBe(5);
    expect(patch).toEqual({ priority: 'high' });
    expect(close).toHaveBeenCalledWith(true);
  });
});
