import { Component, provideZonelessChangeDetection, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { makeTask } from '../../testing/fixtures';
import { ApiService } from '../core/api.service';
import { AuthService } from '../core/auth.service';
import { ListStore } from '../core/list-store';
import { TaskStore } from '../core/task-store';
import type { AuthUser, ListMember, ListSummary, Task } from '../core/types';
import { TaskList } from './task-list';

const SHARED = '00000000-0000-4000-9000-0000000000b1';
const VIEWED = '00000000-0000-4000-9000-0000000000b2';

@Component({ template: '' })
class Empty {}

const summary = (id: string, name: string, role: ListSummary['role']): ListSummary => ({
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
const member = (listId: string, userId: string, name: string): ListMember => ({
  listId,
  userId,
  name,
  email: `${userId}@example.com`,
  role: 'editor',
  joinedAt: '2026-11-01T00:00:00.000Z',
  reminders: false,
});

/** The task page on shared lists, signed in as Bo. */
describe('TaskList on shared lists', () => {
  let api: jasmine.SpyObj<ApiService>;
  let harness: RouterTestingHarness;
  let tasks: Task[];

  const settle = async () => {
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r));
      await harness.fixture.whenStable();
    }
  };
  const page = () => harness.routeNativeElement as HTMLElement;
  /** Lets the page render until `ready` holds (the first run in a cold browser is slower). */
  const until = async (ready: () => boolean) => {
    for (let i = 0; i < 50 && !ready(); i++) await settle();
    expect(ready()).toBeTrue();
  };
  const row = (title: string) =>
    [...page().querySelectorAll<HTMLElement>('li.task')].find((li) =>
      li.textContent!.includes(title),
    )!;

  beforeEach(async () => {
    const now = new Date().toISOString();
    tasks = [
      makeTask({
        title: 'Buy milk',
        listId: SHARED,
        assigneeId: 'bo',
        changedBy: 'ada',
        updatedAt: now,
      }),
      makeTask({ title: 'Read only', listId: VIEWED, changedBy: 'bo', updatedAt: now }),
    ];
    api = jasmine.createSpyObj<ApiService>('ApiService', [
      'listTasks',
      'changes',
      'lists',
      'members',
    ]);
    api.changes.and.callFake((since: string) =>
      Promise.resolve({ changes: [], listChanges: [], nextCursor: since, hasMore: false }),
    );
    api.listTasks.and.callFake((query) =>
      Promise.resolve({
        items: tasks.filter(
          (t) =>
            (!query.listId || t.listId === query.listId) &&
            (!query.assignee || t.assigneeId === 'bo'),
        ),
        nextCursor: null,
        changesCursor: '3',
      }),
    );
    api.lists.and.resolveTo({
      items: [summary(SHARED, 'Groceries', 'editor'), summary(VIEWED, 'Plans', 'viewer')],
    });
    api.members.and.callFake((listId: string) =>
      Promise.resolve({
        items: [member(listId, 'ada', 'Ada Lovelace'), member(listId, 'bo', 'Bo Chen')],
      }),
    );
    const user = signal<AuthUser | null>({ id: 'bo', email: 'bo@example.com', name: 'Bo' });
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([
          { path: 'tasks', component: TaskList },
          { path: '**', component: Empty },
        ]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: ApiService, useValue: api },
        {
          provide: AuthService,
          useValue: { user, token: () => Promise.resolve('t'), onTokenRefreshed: () => () => {} },
        },
      ],
    });
    await TestBed.inject(ListStore).load();
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/tasks?status=all');
    await until(() => page().querySelectorAll('li.task').length === 2);
  });

  it('shows the assignee’s initials and who else changed a task, by name and when', () => {
    const milk = row('Buy milk');
    const avatar = milk.querySelector('[data-testid="assignee"]')!;
    expect(avatar.textContent!.trim()).toBe('BC');
    expect(avatar.getAttribute('aria-label')).toBe('Assigned to Bo Chen');
    expect(milk.querySelector('[data-testid="changed-by"]')!.textContent).toContain(
      'Ada Lovelace · just now',
    );
    // Changed by the signed-in user: nothing to say.
    expect(row('Read only').querySelector('[data-testid="changed-by"]')).toBeNull();
  });

  it('a viewer’s task has no edit, delete or complete controls', () => {
    const viewed = row('Read only');
    expect(viewed.querySelector('[aria-label="Edit Read only"]')).toBeNull();
    expect(viewed.querySelector('[aria-label="Delete Read only"]')).toBeNull();
    expect(viewed.querySelector<HTMLInputElement>('input[type="checkbox"]')!.disabled).toBeTrue();
    const editable = row('Buy milk');
    expect(editable.querySelector('[aria-label="Edit Buy milk"]')).not.toBeNull();
  });

  it('a list one only views offers no quick add, and says why', async () => {
    await harness.navigateByUrl(`/tasks?list=${VIEWED}`);
    await settle();
    expect(page().querySelector('[data-testid="quick-add"]')).toBeNull();
    expect(page().querySelector('[data-testid="view-only"]')!.textContent).toContain(
      'only its editors and owners add or change tasks',
    );
    await harness.navigateByUrl(`/tasks?list=${SHARED}`);
    await settle();
    expect(page().querySelector('[data-testid="quick-add"]')).not.toBeNull();
  });

  it('without changedBy from the server, a row shows no "changed by" at all', async () => {
    tasks = [makeTask({ title: 'Old task', listId: SHARED })];
    await harness.navigateByUrl('/tasks?status=all&q=old');
    await settle();
    expect(row('Old task').querySelector('[data-testid="changed-by"]')).toBeNull();
  });

  it('"Assigned to me" round-trips through the URL and the query', async () => {
    await harness.navigateByUrl('/tasks?assignee=me');
    await settle();
    expect(api.listTasks.calls.mostRecent().args[0].assignee).toBe('me');
    expect(TestBed.inject(TaskStore).filters().assignee).toBe('me');
    expect(page().querySelectorAll('li.task').length).toBe(1);
  });

  it('access revoked while viewing the list: its tasks go, and the page leaves it and says why', async () => {
    await harness.navigateByUrl(`/tasks?list=${SHARED}`);
    await settle();
    expect(row('Buy milk')).toBeDefined();
    tasks = tasks.filter((t) => t.listId !== SHARED);
    TestBed.inject(TaskStore).applyListChange({
      action: 'access_revoked',
      listId: SHARED,
      list: summary(SHARED, 'Groceries', 'editor'),
      changedFields: [],
      seq: '9',
      timestamp: new Date().toISOString(),
    });
    await settle();
    expect(TestBed.inject(ListStore).get(SHARED)).toBeUndefined();
    expect(TestBed.inject(Router).url).toBe('/tasks');
    expect(row('Buy milk')).toBeUndefined();
    expect(page().querySelector('[data-testid="list-announcer"]')!.textContent).toContain(
      'You no longer have access to Groceries',
    );
    expect(document.body.textContent).toContain('You no longer have access to Groceries');
  });
});
