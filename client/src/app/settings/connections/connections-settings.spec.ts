import { Clipboard } from '@angular/cdk/clipboard';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import type { CalendarFeed, PersonalAccessToken } from '@todo/contracts';
import { ConnectionsSettings } from './connections-settings';

const TOKENS = '/api/v1/users/me/tokens';
const FEED = '/api/v1/users/me/calendar-feed';

describe('ConnectionsSettings', () => {
  let http: HttpTestingController;
  let copied: string[];
  let fixture: ComponentFixture<ConnectionsSettings>;

  const laptop: PersonalAccessToken = {
    id: '0b9f5a7e-3c1d-4f7e-9a51-6f0c2d1e8a11',
    name: 'Laptop script',
    scope: 'write',
    hint: 'todo_pat_AbCd',
    createdAt: '2026-11-01T12:00:00.000Z',
    lastUsedAt: '2026-11-28T12:30:00.000Z',
  };
  const inactive: CalendarFeed = { active: false, createdAt: null, lastUsedAt: null };

  const page = () => fixture.nativeElement as HTMLElement;
  const text = () => page().textContent ?? '';
  const button = (label: string) => {
    const found = [...page().querySelectorAll('button')].find((b) =>
      b.textContent?.trim().startsWith(label),
    );
    if (!found) throw new Error(`no button "${label}" in: ${text()}`);
    return found;
  };
  /** Answers the one pending request to `url` and lets the page render the result. */
  async function answer(method: string, url: string, body: object | null, status = 200) {
    const request = http.expectOne({ method, url });
    request.flush(body, { status, statusText: status < 300 ? 'OK' : 'Error' });
    await fixture.whenStable();
    return request.request;
  }

  async function open(tokens: PersonalAccessToken[], feed: CalendarFeed) {
    copied = [];
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: Clipboard, useValue: { copy: (value: string) => copied.push(value) > 0 } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ConnectionsSettings);
    fixture.detectChanges();
    await answer('GET', TOKENS, { items: tokens });
    await answer('GET', FEED, feed);
  }

  afterEach(() => http.verify());

  it('lists tokens with their access, first characters and last use', async () => {
    await open(
      [laptop, { ...laptop, id: 'x', name: 'Dashboard', scope: 'read', lastUsedAt: null }],
      inactive,
    );
    const items = [...page().querySelectorAll('.tokens li')].map((li) => li.textContent ?? '');
    expect(items.length).toBe(2);
    expect(items[0]).toContain('Laptop script');
    expect(items[0]).toContain('Read and write');
    expect(items[0]).toContain('todo_pat_AbCd…');
    expect(items[0]).toContain('last used 28 Nov 2026');
    expect(items[1]).toContain('Read only');
    expect(items[1]).toContain('never used');
  });

  it('creates a token with a name and scope, shows it once with a copy button', async () => {
    await open([], inactive);
    expect(text()).toContain('No tokens yet.');
    button('Create token').click();
    await fixture.whenStable();
    expect(text()).toContain('Give the token a name');
    http.expectNone(TOKENS);

    const component = fixture.componentInstance;
    component.name.set('  CLI ');
    component.scope.set('write');
    const created = component.createToken();
    const request = http.expectOne({ method: 'POST', url: TOKENS });
    expect(request.request.body).toEqual({ name: 'CLI', scope: 'write' });
    request.flush(
      { ...laptop, name: 'CLI', token: 'todo_pat_secret123' },
      { status: 201, statusText: 'Created' },
    );
    await created;
    await fixture.whenStable();

    const secret = page().querySelector<HTMLInputElement>('[data-testid="new-token"] input')!;
    expect(secret.value).toBe('todo_pat_secret123');
    expect(text()).toContain('It is shown only once');
    expect(page().querySelector('.tokens')!.textContent).toContain('CLI');
    expect(page().querySelector('.tokens')!.textContent).not.toContain('todo_pat_secret123');
    button('Copy').click();
    await fixture.whenStable();
    expect(copied).toEqual(['todo_pat_secret123']);
    expect(page().querySelector('[role="status"]')!.textContent).toContain('token copied');

    button('Done').click();
    await fixture.whenStable();
    expect(page().querySelector('[data-testid="new-token"]')).toBeNull();
    expect(text()).not.toContain('todo_pat_secret123');
  });

  it('says what the server refused, beside the field', async () => {
    await open([], inactive);
    fixture.componentInstance.name.set('x');
    const created = fixture.componentInstance.createToken();
    http.expectOne(TOKENS).flush(
      {
        error: 'CONFLICT',
        message: 'at most 50 tokens: revoke one you no longer use first',
        correlationId: 'c',
      },
      { status: 409, statusText: 'Conflict' },
    );
    await created;
    await fixture.whenStable();
    expect(page().querySelector('[role="alert"]')!.textContent).toContain(
      'Could not create the token',
    );
  });

  it('revokes a token only on the second click', async () => {
    await open([laptop], inactive);
    button('Revoke').click();
    await fixture.whenStable();
    http.expectNone(`${TOKENS}/${laptop.id}`);
    expect(button('Really revoke?').getAttribute('aria-label')).toBe(
      'Confirm: revoke Laptop script',
    );
    button('Really revoke?').click();
    await answer('DELETE', `${TOKENS}/${laptop.id}`, null, 204);
    expect(page().querySelector('.tokens')).toBeNull();
    expect(text()).toContain('Token “Laptop script” revoked.');
  });

  it('makes the calendar feed, shows its URL once with copy buttons, regenerates and revokes it', async () => {
    await open([], inactive);
    button('Create calendar feed').click();
    const url = 'http://localhost:8080/cal/todo_cal_abc.ics';
    const made = { active: true, createdAt: '2026-11-29T10:00:00.000Z', lastUsedAt: null };
    await answer('POST', FEED, { ...made, url }, 201);
    expect(page().querySelector<HTMLInputElement>('[data-testid="feed-url"] input')!.value).toBe(
      url,
    );
    expect(text()).toContain('not fetched yet');
    button('Copy as events').click();
    button('Copy').click();
    expect(copied).toEqual([`${url}?format=event`, url]);

    button('Regenerate URL').click();
    const next = 'http://localhost:8080/cal/todo_cal_def.ics';
    await answer('POST', FEED, { ...made, url: next }, 201);
    expect(page().querySelector<HTMLInputElement>('[data-testid="feed-url"] input')!.value).toBe(
      next,
    );

    button('Revoke feed').click();
    await fixture.whenStable();
    http.expectNone(FEED);
    button('Really revoke?').click();
    await answer('DELETE', FEED, null, 204);
    expect(page().querySelector('[data-testid="feed-url"]')).toBeNull();
    expect(button('Create calendar feed')).toBeTruthy();
    expect(text()).toContain('its URL no longer works');
  });

  it('an active feed whose URL was shown before offers to regenerate it', async () => {
    await open([], {
      active: true,
      createdAt: '2026-11-01T12:00:00.000Z',
      lastUsedAt: '2026-11-29T12:15:00.000Z',
    });
    expect(page().querySelector('[data-testid="feed-url"]')).toBeNull();
    expect(text()).toContain('Active since 1 Nov 2026');
    expect(text()).toContain('last fetched 29 Nov 2026');
    expect(text()).toContain('Lost the URL? Regenerate it');
  });
});
