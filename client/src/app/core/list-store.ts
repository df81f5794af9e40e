import { Injectable, computed, inject, signal } from '@angular/core';
import { ApiService } from './api.service';
import { describeError } from './errors';
import type { List, ListChange, ListSummary, ListUpdateMessage } from './types';

/** The Inbox first, then by position, then oldest first: the api's order. */
const byPlace = (a: ListSummary, b: ListSummary) =>
  Number(b.isInbox) - Number(a.isInbox) ||
  a.position - b.position ||
  a.createdAt.localeCompare(b.createdAt) ||
  a.id.localeCompare(b.id);

/** A list this user lost access to (removed, left, or deleted by another owner). */
export interface RevokedList {
  id: string;
  name: string;
}

/** How long task changes gather before the open-task counts are read again (ms). */
const COUNT_REFRESH_MS = 400;

/**
 * The user's lists with their open-task counts, kept live: REST for the start, then every
 * `list_update` (socket) and list change of the feed goes through `applyChange`, which keeps
 * the newer version. Counts are the server's, read again shortly after tasks change.
 */
@Injectable({ providedIn: 'root' })
export class ListStore {
  private readonly api = inject(ApiService);
  private readonly byId = signal<ReadonlyMap<string, ListSummary>>(new Map());
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;

  readonly error = signal<string | null>(null);
  readonly lists = computed(() => [...this.byId().values()].sort(byPlace));
  /** The lists shown in the sidebar (not archived). */
  readonly shown = computed(() => this.lists().filter((l) => !l.archivedAt));
  readonly archived = computed(() => this.lists().filter((l) => l.archivedAt));
  readonly inbox = computed(() => this.lists().find((l) => l.isInbox) ?? null);
  /** The last list access ended for while this tab was open (the page showing it leaves it). */
  readonly revoked = signal<RevokedList | null>(null);

  async load(): Promise<void> {
    try {
      const page = await this.api.lists();
      this.byId.set(new Map(page.items.map((l) => [l.id, l])));
      this.error.set(null);
    } catch (error) {
      this.error.set(describeError(error).message);
    }
  }

  get(id: string): ListSummary | undefined {
    return this.byId().get(id);
  }

  /** A list change from the socket or the change feed. */
  applyChange(change: ListUpdateMessage | ListChange): void {
    if (change.action === 'access_revoked') return this.lose(change.listId, change.list.name);
    if (change.action === 'deleted') {
      this.mutate((map) => map.delete(change.listId));
      return;
    }
    this.put(change.list);
    // Someone joined or left: the member count (and, for us, the role) is read again.
    if (change.changedFields.includes('members')) this.countsChanged();
  }

  /**
   * This user can no longer see the list (an access_revoked change, or a 404 for it): it leaves
   * the sidebar at once and `revoked` says so, so a page showing it can move away.
   */
  lose(id: string, name = this.byId().get(id)?.name ?? 'that list'): void {
    this.mutate((map) => map.delete(id));
    this.revoked.set({ id, name });
  }

  /** Joined a list (an invite accepted): shown at once, with the role the invite gave. */
  joined(list: List, role: ListSummary['role']): void {
    this.mutate((map) => map.set(list.id, { ...list, openTaskCount: 0, role, memberCount: 2 }));
    this.countsChanged();
  }

  /** Tasks changed somewhere: the counts are read again once the burst is over. */
  countsChanged(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void this.load();
    }, COUNT_REFRESH_MS);
  }

  async create(name: string, color: string | null = null): Promise<List> {
    const list = await this.api.createList({ name, color });
    this.put(list);
    return list;
  }

  async update(list: List, patch: { name?: string; color?: string | null; archived?: boolean }) {
    const saved = await this.api.updateList(list.id, patch);
    this.put(saved);
    return saved;
  }

  /** Deletes the list and its tasks (the server's rule); the sidebar drops it at once. */
  async remove(list: List): Promise<void> {
    await this.api.deleteList(list.id);
    this.mutate((map) => map.delete(list.id));
    this.countsChanged();
  }

  clear(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
    this.byId.set(new Map());
  }

  /** Keeps the newer copy of a list, with the count already known. */
  private put(list: List): void {
    const current = this.byId().get(list.id);
    if (current && current.version > list.version) return;
    this.mutate((map) =>
      map.set(list.id, {
        ...list,
        openTaskCount: current?.openTaskCount ?? 0,
        // Until the list page says otherwise: a list this tab learns of is its own.
        role: current?.role ?? 'owner',
        memberCount: current?.memberCount ?? 1,
      }),
    );
  }

  private mutate(fn: (map: Map<string, ListSummary>) => void): void {
    const next = new Map(this.byId());
    fn(next);
    this.byId.set(next);
  }
}
