import { Injectable, inject, signal } from '@angular/core';
import { ApiService } from './api.service';
import type { ListMember } from './types';

/**
 * The members of the shared lists this tab shows (for the assignment picker, the assignee's
 * initials and "changed by Ada"). Read once per list when first needed, and again when a
 * member joins, leaves or changes role.
 */
@Injectable({ providedIn: 'root' })
export class MemberStore {
  private readonly api = inject(ApiService);
  private readonly byList = signal<ReadonlyMap<string, readonly ListMember[]>>(new Map());
  private readonly loading = new Map<string, Promise<readonly ListMember[]>>();

  /** The members known for a list (empty until read; `ensure` reads them). */
  of(listId: string): readonly ListMember[] {
    return this.byList().get(listId) ?? [];
  }

  /** One member of a list by user id, if known. */
  member(listId: string, userId: string | null | undefined): ListMember | undefined {
    return userId ? this.of(listId).find((m) => m.userId === userId) : undefined;
  }

  /** Reads a list's members unless already known (a failure leaves them unknown). */
  ensure(listId: string): Promise<readonly ListMember[]> {
    const known = this.byList().get(listId);
    if (known) return Promise.resolve(known);
    return this.reload(listId);
  }

  /** Reads a list's members again (someone joined, left or changed role). */
  reload(listId: string): Promise<readonly ListMember[]> {
    const running = this.loading.get(listId);
    if (running) return running;
    const read = this.api
      .members(listId)
      .then((page) => {
        this.set(listId, page.items);
        return page.items as readonly ListMember[];
      })
      .catch(() => [] as readonly ListMember[])
      .finally(() => this.loading.delete(listId));
    this.loading.set(listId, read);
    return read;
  }

  set(listId: string, members: readonly ListMember[]): void {
    const next = new Map(this.byList());
    next.set(listId, members);
    this.byList.set(next);
  }

  /** The list is gone for this user: its members are forgotten. */
  forget(listId: string): void {
    if (!this.byList().has(listId)) return;
    const next = new Map(this.byList());
    next.delete(listId);
    this.byList.set(next);
  }

  clear(): void {
    this.byList.set(new Map());
  }
}

/** Up to two initials of a name (or of the address when there is no name). */
export function initialsOf(member: Pick<ListMember, 'name' | 'email'>): string {
  const words = (member.name.trim() || member.email).split(/[\s@._-]+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words[words.length - 1]!] : words.slice(0, 1);
  return letters.map((w) => [...w][0]!.toUpperCase()).join('') || '?';
}
