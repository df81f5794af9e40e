import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { authInterceptor } from './auth.interceptor';
import { AuthService, SessionExpiredError, jwtExpiry } from './auth.service';

function jwt(expSeconds: number): string {
  const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '');
  return `${b64({ alg: 'EdDSA' })}.${b64({ sub: 'u1', exp: expSeconds })}.sig`;
}

describe('AuthService and the auth interceptor', () => {
  let http: HttpTestingController;
  let auth: AuthService;
  let client: HttpClient;
  let router: Router;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([]),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    auth = TestBed.inject(AuthService);
    client = TestBed.inject(HttpClient);
    router = TestBed.inject(Router);
    spyOn(router, 'navigate').and.resolveTo(true);
  });

  afterEach(() => http.verify());

  const flushMicrotasks = () => new Promise((r) => setTimeout(r));

  it('reads exp from a JWT', () => {
    expect(jwtExpiry(jwt(2_000_000_000))).toBe(2_000_000_000_000);
    expect(jwtExpiry('garbage')).toBeGreaterThan(Date.now());
  });

  it('signs in, then sends the JWT as a bearer token and reuses it', async () => {
    const signIn = auth.signIn('ada@example.com', 'correct-horse-9');
    const req = http.expectOne('/api/auth/sign-in/email');
    expect(req.request.body).toEqual({ email: 'ada@example.com', password: 'correct-horse-9' });
    req.flush({
      token: 'session',
      user: { id: 'u1', email: 'ada@example.com', name: 'Ada', extra: 1 },
    });
    expect(await signIn).toEqual({ id: 'u1', email: 'ada@example.com', name: 'Ada' });
    expect(auth.signedIn()).toBeTrue();

    const token = jwt(Math.floor(Date.now() / 1000) + 900);
    const first = firstValueFrom(client.get('/api/v1/tasks'));
    http.expectOne('/api/auth/token').flush({ token });
    await flushMicrotasks();
    const call = http.expectOne('/api/v1/tasks');
    expect(call.request.headers.get('Authorization')).toBe(`Bearer ${token}`);
    call.flush({ items: [] });
    await first;

    const second = firstValueFrom(client.get('/api/v1/notifications'));
    await flushMicrotasks();
    http.expectNone('/api/auth/token');
    http.expectOne('/api/v1/notifications').flush({});
    await second;
  });

  it('tells listeners about every JWT it fetches, until they unsubscribe', async () => {
    const seen: string[] = [];
    const unsubscribe = auth.onTokenRefreshed((token) => seen.push(token));
    const first = jwt(Math.floor(Date.now() / 1000) + 900);
    const pending = auth.token();
    http.expectOne('/api/auth/token').flush({ token: first });
    expect(await pending).toBe(first);
    expect(await auth.token()).toBe(first);
    const second = jwt(Math.floor(Date.now() / 1000) + 901);
    const forced = auth.token(true);
    http.expectOne('/api/auth/token').flush({ token: second });
    await forced;
    expect(seen).toEqual([first, second]);
    unsubscribe();
    const third = auth.token(true);
    http.expectOne('/api/auth/token').flush({ token: jwt(Math.floor(Date.now() / 1000) + 902) });
    await third;
    expect(seen).toEqual([first, second]);
  });

  it('refreshes the JWT once and retries when the API answers 401', async () => {
    const stale = jwt(Math.floor(Date.now() / 1000) + 900);
    const fresh = jwt(Math.floor(Date.now() / 1000) + 901);
    const result = firstValueFrom(client.get<{ ok: boolean }>('/api/v1/tasks'));
    http.expectOne('/api/auth/token').flush({ token: stale });
    await flushMicrotasks();
    http
      .expectOne('/api/v1/tasks')
      .flush({ error: 'UNAUTHENTICATED' }, { status: 401, statusText: 'Unauthorized' });
    await flushMicrotasks();
    http.expectOne('/api/auth/token').flush({ token: fresh });
    await flushMicrotasks();
    const retry = http.expectOne('/api/v1/tasks');
    expect(retry.request.headers.get('Authorization')).toBe(`Bearer ${fresh}`);
    retry.flush({ ok: true });
    expect(await result).toEqual({ ok: true });
  });

  it('sends the user back to sign-in with a message when the session is gone', async () => {
    const signIn = auth.signIn('ada@example.com', 'correct-horse-9');
    http
      .expectOne('/api/auth/sign-in/email')
      .flush({ token: 's', user: { id: 'u1', email: 'a@b.c', name: 'A' } });
    await signIn;
    const token = auth.token();
    http
      .expectOne('/api/auth/token')
      .flush({ message: 'no session' }, { status: 401, statusText: 'Unauthorized' });
    await expectAsync(token).toBeRejectedWithError(SessionExpiredError);
    expect(auth.signedIn()).toBeFalse();
    expect(auth.signOutReason()).toContain('session has expired');
    expect(router.navigate).toHaveBeenCalledWith(['/sign-in']);
  });

  it('restores a session from the cookie once', async () => {
    const first = auth.restore();
    const second = auth.restore();
    http
      .expectOne('/api/auth/get-session')
      .flush({ session: {}, user: { id: 'u1', email: 'a@b.c', name: 'A' } });
    expect(await first).toEqual({ id: 'u1', email: 'a@b.c', name: 'A' });
    expect(await second).toEqual(await first);
  });

  it('says so when the server cannot be reached at start, and asks again next time', async () => {
    const first = auth.restore();
    http.expectOne('/api/auth/get-session').error(new ProgressEvent('error'), { status: 0 });
    expect(await first).toBeNull();
    expect(auth.signOutReason()).toContain('Cannot reach the server');
    const second = auth.restore();
    http.expectOne('/api/auth/get-session').flush(null);
    expect(await second).toBeNull();
  });

  it('follows a sign-out in another tab', async () => {
    const signIn = auth.signIn('ada@example.com', 'correct-horse-9');
    http
      .expectOne('/api/auth/sign-in/email')
      .flush({ token: 's', user: { id: 'u1', email: 'a@b.c', name: 'A' } });
    await signIn;
    const otherTab = new BroadcastChannel('todo-auth');
    otherTab.postMessage({ type: 'signed-out' });
    otherTab.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(auth.signedIn()).toBeFalse();
    expect(auth.signOutReason()).toBe('You signed out in another tab.');
    expect(router.navigate).toHaveBeenCalledWith(['/sign-in']);
  });
});
