import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ApiService } from './api.service';
import { ListStore } from './list-store';
import type { List, ListSummary } from './types';

let n = 0;
function makeList(overrides: Partial<ListSummary> = {}): ListSummary {
  n++;
  return {
    id: `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`,
    userId: 'user-1',
    name: `List ${n}`,
    color: null,
    position: n,
    isInbox: false,
    archivedAt: null,
    version: 1,
    createdAt: new Date(Date.UTC(2026, 10, 1, 0, 0, n)).toISOString(),
    updatedAt: new Date(Date.UTC(2026, 10, 1, 0, 0, n)).toISOString(),
    openTaskCount: 0,
    role: 'owner',
    memberCount: 1,
    ...overrides,
  };
}
const plain = ({
  openTaskCount: _,
  role: _role,
  memberCount: _members,
  ...list
}: ListSummary): List => list;

describe('ListStore', () => {
  let api: jasmine.SpyObj<ApiService>;
  let store: ListStore;

  beforeEach(() => {
    api = jasmine.createSpyObj<ApiService>('ApiService', [
      'lists',
      'createList',
      'updateList',
      'deleteList',
    ]);
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), { provide: ApiService, useValue: api }],
    });
    store = TestBed.inject(ListStore);
  });

  it('shows the Inbox first, then by position; archived lists apart', async () => {
    const work = makeList({ name: 'Work', position: 2 });
    const home = makeList({ name: 'Home', position: 1, openTaskCount: 3 });
    const old = makeList({ name: 'Old', archivedAt: '2026-11-02T00:00:00.000Z' });
    const inbox = makeList({ name: 'Inbox', isInbox: true, position: 9 });
    api.lists.and.resolveTo({ items: [work, home, old, inbox] });
    await store.load();
    expect(store.shown().map((l) => l.name)).toEqual(['Inbox', 'Home', 'Work']);
    expect(store.archived().map((l) => l.name)).toEqual(['Old']);
    expect(store.inbox()?.id).toBe(inbox.id);
    expect(store.get(home.id)?.openTaskCount).toBe(3);
  });

  it('applies live changes: a newer version replaces, an older one does not, deleted goes', async () => {
    const groceries = makeList({ name: 'Groceries', openTaskCount: 2 });
    api.lists.and.resolveTo({ items: [groceries] });
    await store.load();
    const renamed = { ...plain(groceries), name: 'Shopping', version: 2 };
    store.applyChange({
      action: 'updated',
      listId: groceries.id,
      list: renamed,
      changedFields: ['name'],
      seq: '5',
      timestamp: renamed.updatedAt,
    });
    expect(store.get(groceries.id)?.name).toBe('Shopping');
    expect(store.get(groceries.id)?.openTaskCount).toBe(2, 'the count is kept');
    store.applyChange({
      action: 'updated',
      listId: groceries.id,
      list: plain(groceries),
      changedFields: ['name'],
      seq: '4',
      timestamp: groceries.updatedAt,
    });
    expect(store.get(groceries.id)?.name).toBe('Shopping', 'a late older copy is ignored');
    store.applyChange({
      action: 'deleted',
      listId: groceries.id,
      list: { ...renamed, version: 3 },
      changedFields: [],
      seq: '6',
      timestamp: renamed.updatedAt,
    });
    expect(store.lists()).toEqual([]);
  });

  it('drops a list access ended for at once and says which, for the page showing it', async () => {
    const shared = makeList({ name: 'Groceries', memberCount: 2, role: 'editor' });
    api.lists.and.resolveTo({ items: [shared] });
    await store.load();
    store.applyChange({
      action: 'access_revoked',
      listId: shared.id,
      list: plain(shared),
      changedFields: [],
      seq: '5',
      timestamp: '2026-11-27T00:00:00.000Z',
    });
    expect(store.get(shared.id)).toBeUndefined();
    expect(store.shown()).toEqual([]);
    expect(store.revoked()).toEqual({ id: shared.id, name: 'Groceries' });
  });

  it('reads the counts again once a burst of task changes is over', async () => {
    jasmine.clock().install();
    try {
      api.lists.and.resolveTo({ items: [] });
      store.countsChanged();
      store.countsChanged();
      store.countsChanged();
      jasmine.clock().tick(399);
      expect(api.lists).not.toHaveBeenCalled();
      jasmine.clock().tick(1);
      expect(api.lists).toHaveBeenCalledTimes(1);
    } finally {
      jasmine.clock().uninstall();
    }
  });

  it('creates, renames and deletes through the api and shows the result at once', async () => {
    const made = plain(makeList({ name: 'Trip' }));
    api.createList.and.resolveTo(made);
    await store.create('Trip', '#1e88e5');
    expect(api.createList).toHaveBeenCalledWith({ name: 'Trip', color: '#1e88e5' });
    expect(store.shown().map((l) => l.name)).toEqual(['Trip']);
    api.updateList.and.resolveTo({ ...made, name: 'Holiday', version: 2 });
    await store.update(made, { name: 'Holiday' });
    expect(store.get(made.id)?.name).toBe('Holiday');
    api.deleteList.and.resolveTo(null);
    await store.remove(made);
    expect(api.deleteList).toHaveBeenCalledWith(made.id);
    expect(store.lists()).toEqual([]);
  });
});
