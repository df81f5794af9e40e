import { HttpErrorResponse } from '@angular/common/http';
import { Component, provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ApiService } from '../core/api.service';
import { AuthService } from '../core/auth.service';
import { ListStore } from '../core/list-store';
import type { AcceptInviteResult, AuthUser } from '../core/types';
import { InvitePage } from './invite-page';

@Component({ template: 'tasks page' })
class Tasks {}

const TOKEN = 'q3YhM1d5xY0cVQ2n8d8f2k9l0p7Tz';
const LIST_ID = '00000000-0000-4000-9000-000000000001';

describe('InvitePage', () => {
  let api: jasmine.SpyObj<ApiService>;
  let auth: jasmine.SpyObj<AuthService>;
  let harness: RouterTestingHarness;

  async function open(user: AuthUser | null) {
    api = jasmine.createSpyObj<ApiService>('ApiService', ['acceptInvite', 'lists']);
    api.lists.and.resolveTo({ items: [] });
    auth = jasmine.createSpyObj<AuthService>('AuthService', [
      'restore',
      'signOut',
      'resendVerification',
    ]);
    auth.restore.and.resolveTo(user);
    auth.signOut.and.resolveTo();
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([
          { path: 'invites/:token', component: InvitePage },
          { path: 'tasks', component: Tasks },
          { path: 'sign-in', component: Tasks },
          { path: 'sign-up', component: Tasks },
        ]),
        { provide: ApiService, useValue: api },
        { provide: AuthService, useValue: auth },
      ],
    });
    harness = await RouterTestingHarness.create();
  }

  const go = async () => {
    await harness.navigateByUrl(`/invites/${TOKEN}`);
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r));
      await harness.fixture.whenStable();
    }
    return harness.routeNativeElement as HTMLElement;
  };
  const refuse = (status: number, message: string) =>
    api.acceptInvite.and.rejectWith(
      new HttpErrorResponse({ status, error: { error: 'X', message } }),
    );

  afterEach(() => localStorage.removeItem('todo.pendingInvite'));

  it('signed out: asks to sign in or sign up, and both come back to the invite', async () => {
    await open(null);
    const el = await go();
    expect(el.textContent).toContain('Someone shared a list with you');
    const links = [...el.querySelectorAll<HTMLAnchorElement>('a')].map((a) => a.href);
    const next = encodeURIComponent(`/invites/${TOKEN}`);
    expect(links).toContain(jasmine.stringContaining(`/sign-in?next=${next}`));
    expect(links).toContain(jasmine.stringContaining(`/sign-up?next=${next}`));
    expect(api.acceptInvite).not.toHaveBeenCalled();
    // Remembered for after confirming the address in another tab.
    expect(localStorage.getItem('todo.pendingInvite')).toBe(TOKEN);
  });

  it('signed in: accepts and opens the list, which the sidebar shows at once', async () => {
    await open({ id: 'u2', email: 'bo@example.com', name: 'Bo' });
    const result = {
      list: { id: LIST_ID, name: 'Groceries', version: 3 },
      member: { role: 'editor' },
    } as AcceptInviteResult;
    api.acceptInvite.and.resolveTo(result);
    await go();
    expect(api.acceptInvite).toHaveBeenCalledWith(TOKEN);
    expect(TestBed.inject(Router).url).toBe(`/tasks?list=${LIST_ID}`);
    const list = TestBed.inject(ListStore).get(LIST_ID);
    expect(list?.name).toBe('Groceries');
    expect(list?.role).toBe('editor');
  });

  it('a used, withdrawn or expired link says so in words', async () => {
    await open({ id: 'u2', email: 'bo@example.com', name: 'Bo' });
    refuse(404, 'this invite link not found');
    const el = await go();
    expect(el.querySelector('h1')!.textContent).toContain('That invite did not work');
    expect(el.querySelector('[role="alert"]')!.textContent).toContain(
      'already used, withdrawn, or it expired',
    );
  });

  it('a link cut short says it is incomplete, not "Invalid body: token"', async () => {
    await open({ id: 'u2', email: 'bo@example.com', name: 'Bo' });
    refuse(400, 'Invalid body: token');
    const el = await go();
    const alert = el.querySelector('[role="alert"]')!.textContent!;
    expect(alert).toContain('This invite link is incomplete');
    expect(alert).not.toContain('Invalid body');
    expect(localStorage.getItem('todo.pendingInvite')).toBeNull();
  });

  it('an invite to another address says so and offers to switch account', async () => {
    await open({ id: 'u3', email: 'cy@example.com', name: 'Cy' });
    refuse(403, 'this invite was sent to another address: sign in with the account it was sent to');
    const el = await go();
    expect(el.textContent).toContain('This invite was sent to another address');
    expect(el.textContent).toContain('You are signed in as cy@example.com.');
    const button = [...el.querySelectorAll('button')].find((b) =>
      b.textContent!.includes('Sign in with another account'),
    )!;
    button.click();
    await harness.fixture.whenStable();
    await new Promise((r) => setTimeout(r));
    expect(auth.signOut).toHaveBeenCalled();
    expect(TestBed.inject(Router).url).toBe(
      `/sign-in?next=${encodeURIComponent(`/invites/${TOKEN}`)}`,
    );
  });

  it('an unconfirmed address is asked to confirm first, and can get the mail again', async () => {
    await open({ id: 'u2', email: 'bo@example.com', name: 'Bo' });
    refuse(403, 'confirm your email address first, then open the link again');
    auth.resendVerification.and.resolveTo();
    const el = await go();
    expect(el.textContent).toContain('Confirm your email address first');
    const button = [...el.querySelectorAll('button')].find((b) =>
      b.textContent!.includes('Send the confirmation again'),
    )!;
    button.click();
    await new Promise((r) => setTimeout(r));
    await harness.fixture.whenStable();
    expect(auth.resendVerification).toHaveBeenCalledWith('bo@example.com');
    expect(el.textContent).toContain('Sent: check your mail');
  });
});
