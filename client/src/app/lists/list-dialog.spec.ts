import { HttpErrorResponse } from '@angular/common/http';
import { provideZonelessChangeDetection, signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { MAT_DIALOG_DATA, MatDialog, MatDialogRef } from '@angular/material/dialog';
import { MatSelectHarness } from '@angular/material/select/testing';
import { provideRouter } from '@angular/router';
import { of } from 'rxjs';
import { ApiService } from '../core/api.service';
import { AuthService } from '../core/auth.service';
import type { AuthUser, ListInvite, ListMember, ListSummary } from '../core/types';
import { ListDialog } from './list-dialog';

const LIST_ID = '00000000-0000-4000-9000-000000000001';

const list = (overrides: Partial<ListSummary> = {}): ListSummary => ({
  id: LIST_ID,
  userId: 'ada',
  name: 'Groceries',
  color: null,
  position: 1,
  isInbox: false,
  archivedAt: null,
  version: 1,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  openTaskCount: 2,
  role: 'owner',
  memberCount: 2,
  ...overrides,
});

const member = (userId: string, name: string, role: ListMember['role']): ListMember => ({
  listId: LIST_ID,
  userId,
  name,
  email: `${userId}@example.com`,
  role,
  joinedAt: '2026-11-01T00:00:00.000Z',
  reminders: false,
});

const waiting = (overrides: Partial<ListInvite> = {}): ListInvite => ({
  id: 'i1',
  listId: LIST_ID,
  email: 'cy@example.com',
  role: 'editor',
  invitedBy: 'ada',
  expiresAt: '2026-12-08T00:00:00.000Z',
  createdAt: '2026-12-01T00:00:00.000Z',
  ...overrides,
});

const refused = (status: number, message: string) =>
  new HttpErrorResponse({
    status,
    error: { error: status === 409 ? 'CONFLICT' : 'FORBIDDEN', message, correlationId: 'c' },
  });

describe('ListDialog (settings of a shared list)', () => {
  let api: jasmine.SpyObj<ApiService>;
  let close: jasmine.Spy;
  let confirmAnswer: boolean;
  let fixture: ComponentFixture<ListDialog>;
  let el: HTMLElement;

  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r));
      await fixture.whenStable();
    }
  };
  const button = (text: string) =>
    [...el.querySelectorAll('button')].find((b) => b.textContent!.trim() === text);

  async function open(me: string, summary: ListSummary, invites: ListInvite[] = []) {
    api = jasmine.createSpyObj<ApiService>('ApiService', [
      'members',
      'invites',
      'createInvite',
      'revokeInvite',
      'resendInvite',
      'removeMember',
      'updateMember',
      'transferList',
      'lists',
    ]);
    api.members.and.resolveTo({
      items: [member('ada', 'Ada', 'owner'), member('bo', 'Bo', 'editor')],
    });
    api.invites.and.resolveTo({ items: invites });
    api.lists.and.resolveTo({ items: [] });
    close = jasmine.createSpy('close');
    confirmAnswer = true;
    const user = signal<AuthUser | null>({ id: me, email: `${me}@example.com`, name: me });
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: ApiService, useValue: api },
        { provide: AuthService, useValue: { user } },
        { provide: MAT_DIALOG_DATA, useValue: { list: summary } },
        { provide: MatDialogRef, useValue: { close } },
      ],
    });
    // The confirmation's answer (the dialog service is the standalone component's own).
    spyOn(MatDialog.prototype, 'open').and.callFake(
      () => ({ afterClosed: () => of(confirmAnswer) }) as unknown as MatDialogRef<unknown>,
    );
    fixture = TestBed.createComponent(ListDialog);
    el = fixture.nativeElement;
    await settle();
  }

  it('an owner sees everyone with their role, invites by email and sees the invite waiting', async () => {
    await open('ada', list());
    const rows = [...el.querySelectorAll('[data-testid="members"] li')];
    expect(rows.map((r) => r.getAttribute('data-member'))).toEqual([
      'ada@example.com',
      'bo@example.com',
    ]);
    expect(rows[0]!.textContent).toContain('(you)');
    expect(el.querySelector('[aria-label="Role of Bo"]')).not.toBeNull();
    expect(button('Delete list')).toBeDefined();
    expect(button('Leave this list')).toBeUndefined();

    api.createInvite.and.resolveTo({ ...waiting(), acceptUrl: 'http://localhost/invites/abc' });
    api.invites.and.resolveTo({ items: [waiting()] });
    const input = el.querySelector<HTMLInputElement>('[data-testid="invite-email"]')!;
    input.value = 'cy@example.com';
    input.dispatchEvent(new Event('input'));
    button('Invite')!.click();
    await settle();
    expect(api.createInvite).toHaveBeenCalledWith(LIST_ID, {
      email: 'cy@example.com',
      role: 'editor',
    });
    expect(el.querySelector<HTMLInputElement>('[aria-label="Invite link"]')!.value).toBe(
      'http://localhost/invites/abc',
    );
    expect(el.querySelector('[data-testid="invites"]')!.textContent).toContain('cy@example.com');

    api.revokeInvite.and.resolveTo(null);
    el.querySelector<HTMLButtonElement>(
      '[aria-label="Withdraw the invite to cy@example.com"]',
    )!.click();
    await settle();
    expect(api.revokeInvite).toHaveBeenCalledWith(LIST_ID, 'i1');
    expect(el.querySelector('[data-testid="invites"]')).toBeNull();
  });

  it('a member turns reminders of the list’s unassigned tasks on for themselves', async () => {
    await open('bo', list({ role: 'editor' }));
    const box = el.querySelector<HTMLInputElement>('[data-testid="my-reminders"] input')!;
    expect(box.checked).toBeFalse();
    api.updateMember.and.resolveTo({ ...member('bo', 'Bo', 'editor'), reminders: true });
    api.members.and.resolveTo({
      items: [member('ada', 'Ada', 'owner'), { ...member('bo', 'Bo', 'editor'), reminders: true }],
    });
    box.click();
    await settle();
    expect(api.updateMember).toHaveBeenCalledWith(LIST_ID, 'me', { reminders: true });
    expect(box.checked).toBeTrue();
  });

  it('an owner removes a member after confirming, and the row goes', async () => {
    await open('ada', list());
    api.removeMember.and.resolveTo(null);
    confirmAnswer = false;
    el.querySelector<HTMLButtonElement>('[aria-label="Remove Bo"]')!.click();
    await settle();
    expect(api.removeMember).not.toHaveBeenCalled();
    confirmAnswer = true;
    el.querySelector<HTMLButtonElement>('[aria-label="Remove Bo"]')!.click();
    await settle();
    expect(api.removeMember).toHaveBeenCalledWith(LIST_ID, 'bo');
    expect(el.querySelector('[data-member="bo@example.com"]')).toBeNull();
  });

  it('an editor sees the people but cannot manage them or the list, and can leave', async () => {
    await open('bo', list({ role: 'editor' }));
    expect(el.querySelector('[data-testid="not-owner"]')!.textContent).toContain('an editor');
    expect(el.querySelector<HTMLInputElement>('[data-testid="list-name"]')!.disabled).toBeTrue();
    expect(el.querySelector('[data-testid="invite-email"]')).toBeNull();
    expect(el.querySelector('[aria-label="Remove Ada"]')).toBeNull();
    expect(button('Delete list')).toBeUndefined();
    expect(button('Save')).toBeUndefined();
    expect(api.invites).not.toHaveBeenCalled();

    api.removeMember.and.resolveTo(null);
    button('Leave this list')!.click();
    await settle();
    expect(api.removeMember).toHaveBeenCalledWith(LIST_ID, 'me');
    expect(close).toHaveBeenCalledWith(null);
  });

  it('says why the server refused (the last owner cannot be demoted)', async () => {
    await open('ada', list());
    api.removeMember.and.rejectWith(
      new HttpErrorResponse({
        status: 409,
        error: { error: 'CONFLICT', message: 'a list needs at least one owner' },
      }),
    );
    el.querySelector<HTMLButtonElement>('[aria-label="Remove Bo"]')!.click();
    await settle();
    expect(el.querySelector('[role="alert"]')!.textContent).toContain(
      'A list needs at least one owner',
    );
  });

  const roleSelect = (name: string) =>
    TestbedHarnessEnvironment.loader(fixture).getHarness(
      MatSelectHarness.with({ selector: `[aria-label="Role of ${name}"]` }),
    );
  const heirPicker = () =>
    TestbedHarnessEnvironment.loader(fixture).getHarness(
      MatSelectHarness.with({ selector: '[data-testid="heir-picker"]' }),
    );
  const alertText = () => el.querySelector('[role="alert"]')?.textContent?.trim() ?? '';

  it('an owner re-sends a waiting invite: a new link is mailed and shown, the old one said to be dead', async () => {
    await open('ada', list(), [waiting()]);
    api.resendInvite.and.resolveTo({
      ...waiting({ expiresAt: '2026-12-10T00:00:00.000Z' }),
      acceptUrl: 'http://localhost/invites/fresh',
    });
    const resend = el.querySelector<HTMLButtonElement>(
      '[aria-label="Resend the invite to cy@example.com"]',
    )!;
    expect(resend.textContent!.trim()).toBe('Resend');
    resend.click();
    await settle();
    expect(api.resendInvite).toHaveBeenCalledOnceWith(LIST_ID, 'i1');
    const sent = el.querySelector('[data-testid="invite-sent"]')!;
    expect(sent.textContent).toContain('New link mailed to cy@example.com');
    expect(sent.textContent).toContain('no longer works');
    expect(el.querySelector<HTMLInputElement>('[aria-label="Invite link"]')!.value).toBe(
      'http://localhost/invites/fresh',
    );
    // Still waiting for an answer.
    expect(el.querySelector('[data-testid="invites"]')!.textContent).toContain('cy@example.com');
  });

  it('says why a resend was refused and drops an invite accepted meanwhile', async () => {
    await open('ada', list(), [waiting()]);
    api.resendInvite.and.rejectWith(
      refused(409, 'this invite was accepted already: there is nothing to resend'),
    );
    api.invites.and.resolveTo({ items: [] });
    el.querySelector<HTMLButtonElement>(
      '[aria-label="Resend the invite to cy@example.com"]',
    )!.click();
    await settle();
    expect(alertText()).toContain('This invite was accepted already');
    expect(el.querySelector('[data-testid="invite-sent"]')).toBeNull();
    expect(el.querySelector('[data-testid="invites"]')).toBeNull();
  });

  it('an owner changes a member’s role: the PATCH carries it and the row shows the new role', async () => {
    await open('ada', list());
    const select = await roleSelect('Bo');
    expect(await select.getValueText()).toBe('Editor (can change tasks)');
    api.updateMember.and.resolveTo(member('bo', 'Bo', 'viewer'));
    await select.open();
    await select.clickOptions({ text: 'Viewer (can see)' });
    await settle();
    expect(api.updateMember).toHaveBeenCalledOnceWith(LIST_ID, 'bo', { role: 'viewer' });
    expect(await (await roleSelect('Bo')).getValueText()).toBe('Viewer (can see)');
    expect(alertText()).toBe('');
  });

  it('a refused role change says the server’s reason and shows the role unchanged', async () => {
    await open('ada', list());
    api.updateMember.and.rejectWith(
      refused(403, 'your role in this list is editor: only its owners manage it'),
    );
    const select = await roleSelect('Bo');
    await select.open();
    await select.clickOptions({ text: 'Owner (also manages the list)' });
    await settle();
    expect(api.updateMember).toHaveBeenCalledOnceWith(LIST_ID, 'bo', { role: 'owner' });
    expect(alertText()).toContain('Your role in this list is editor: only its owners manage it');
    expect(await (await roleSelect('Bo')).getValueText()).toBe('Editor (can change tasks)');
  });

  it('the owner of record hands the list over after confirming; the dialog then offers what an owner who may leave has', async () => {
    await open('ada', list());
    expect(button('Leave this list')).toBeUndefined();
    const transfer = button('Transfer')!;
    expect(transfer.disabled).toBeTrue();
    const heir = await heirPicker();
    await heir.open();
    await heir.clickOptions({ text: 'Bo' });
    await settle();
    expect(transfer.disabled).toBeFalse();

    // Cancelled: nothing is sent.
    confirmAnswer = false;
    transfer.click();
    await settle();
    expect(MatDialog.prototype.open).toHaveBeenCalledWith(
      jasmine.anything(),
      jasmine.objectContaining({
        data: jasmine.objectContaining({ title: 'Hand “Groceries” over to Bo?' }),
      }),
    );
    expect(api.transferList).not.toHaveBeenCalled();

    confirmAnswer = true;
    api.transferList.and.resolveTo({
      items: [member('ada', 'Ada', 'owner'), member('bo', 'Bo', 'owner')],
    });
    transfer.click();
    await settle();
    expect(api.transferList).toHaveBeenCalledOnceWith(LIST_ID, 'bo');
    // Bo holds the list now: Ada, still an owner, may leave, and no longer hands it over.
    expect(button('Transfer')).toBeUndefined();
    expect(button('Leave this list')).toBeDefined();
    const bo = el.querySelector('[data-member="bo@example.com"]')!;
    expect(bo.textContent).toContain('Owner');
    expect(el.querySelector('[aria-label="Remove Bo"]')).toBeNull();
    expect(el.querySelector('[aria-label="Role of Bo"]')).toBeNull();
    // Still an owner: the list's settings and invites stay hers to manage.
    expect(el.querySelector('[data-testid="invite-email"]')).not.toBeNull();
    expect(button('Delete list')).toBeDefined();
  });

  it('a refused transfer says why and leaves the controls as they were', async () => {
    await open('ada', list());
    api.transferList.and.rejectWith(
      refused(403, 'your role in this list is editor: only its owners manage it'),
    );
    const heir = await heirPicker();
    await heir.open();
    await heir.clickOptions({ text: 'Bo' });
    await settle();
    button('Transfer')!.click();
    await settle();
    expect(api.transferList).toHaveBeenCalledOnceWith(LIST_ID, 'bo');
    expect(alertText()).toContain('Your role in this list is editor');
    expect(button('Transfer')).toBeDefined();
    expect(button('Leave this list')).toBeUndefined();
  });
});
