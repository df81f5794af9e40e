import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import type { ImportReport } from '@todo/contracts';
import { ListStore } from '../../core/list-store';
import { ImportExportSettings } from './import-export-settings';

const IMPORT = '/api/v1/users/me/import';
const TODOIST_CSV =
  'TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE\r\n' +
  'task,Water the plants,,1,1,,,every monday,en,Europe/Berlin\r\n' +
  'task,,,1,1,,,,,\r\n';

describe('ImportExportSettings', () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<ImportExportSettings>;

  const report = (dryRun: boolean): ImportReport => ({
    source: 'todoist',
    dryRun,
    created: [
      {
        row: 2,
        title: 'Water the plants',
        description: null,
        priority: 'high',
        tags: ['garden'],
        dueDate: '2026-11-30T08:00:00.000Z',
        recurrence: { frequency: 'weekly', interval: 1, byWeekday: [0], anchor: 'due' },
        reminderOffset: null,
        id: dryRun ? null : '0b9f5a7e-3c1d-4f7e-9a51-6f0c2d1e8a11',
      },
    ],
    skipped: [{ row: 3, reason: 'CONTENT (the task’s title) is empty' }],
  });

  const page = () => fixture.nativeElement as HTMLElement;
  const text = () => page().textContent ?? '';
  const button = (label: string) => {
    const found = [...page().querySelectorAll('button')].find((b) =>
      b.textContent?.trim().startsWith(label),
    );
    if (!found) throw new Error(`no button "${label}" in: ${text()}`);
    return found;
  };

  /**
   * Picks `file` in the file input, as a person would. The page is stable again only once the
   * preview's request is answered, so this does not wait for it.
   */
  function pick(file: File) {
    const input = page().querySelector<HTMLInputElement>('[data-testid="import-file"]')!;
    const list = new DataTransfer();
    list.items.add(file);
    input.files = list.files;
    input.dispatchEvent(new Event('change'));
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ImportExportSettings);
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  it('previews a picked file: what will be created and every skipped row with why', async () => {
    const file = new File([TODOIST_CSV], 'Home.csv', { type: 'text/csv' });
    pick(file);
    const preview = http.expectOne((r) => r.url === IMPORT);
    expect(preview.request.method).toBe('POST');
    expect(preview.request.params.get('source')).toBe('todoist');
    expect(preview.request.params.get('dryRun')).toBe('true');
    expect(preview.request.body).toBe(file);
    expect(preview.request.headers.has('Idempotency-Key')).toBeFalse();
    preview.flush(report(true));
    await fixture.whenStable();

    expect(text()).toContain('1 task will be created in Inbox');
    const created = page().querySelector('[aria-label="Tasks to create"]')?.textContent ?? '';
    expect(created).toContain('Water the plants');
    expect(created).toContain('repeats');
    expect(created).toContain('high priority');
    const skipped = page().querySelector('[aria-label="Rows to skip"]')?.textContent ?? '';
    expect(skipped).toContain('Row 3:');
    expect(skipped).toContain('CONTENT (the task’s title) is empty');
  });

  it('imports after the preview with an Idempotency-Key, the same one on a retry, into the list chosen', async () => {
    const garden = {
      id: '5d0c8a52-7b0e-4c8e-9a9f-1c2b3d4e5f60',
      userId: 'u1',
      name: 'Garden',
      color: null,
      position: 1,
      isInbox: false,
      archivedAt: null,
      version: 1,
      createdAt: '2026-11-01T00:00:00.000Z',
      updatedAt: '2026-11-01T00:00:00.000Z',
    };
    TestBed.inject(ListStore).applyChange({
      seq: '1',
      action: 'created',
      listId: garden.id,
      list: garden,
      changedFields: [],
      timestamp: garden.createdAt,
    });
    fixture.componentInstance.listId.set(garden.id);
    pick(new File([TODOIST_CSV], 'Home.csv', { type: 'text/csv' }));
    const preview = http.expectOne((r) => r.url === IMPORT);
    expect(preview.request.params.get('listId')).toBe(garden.id);
    preview.flush(report(true));
    await fixture.whenStable();
    expect(text()).toContain('1 task will be created in Garden');

    button('Import 1 task').click();
    const first = http.expectOne((r) => r.url === IMPORT);
    expect(first.request.params.get('dryRun')).toBe('false');
    expect(first.request.params.get('listId')).toBe(garden.id);
    const key = first.request.headers.get('Idempotency-Key');
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    // The answer is lost: the person presses Import again; the server must see the same key.
    first.error(new ProgressEvent('error'));
    await fixture.whenStable();
    expect(text()).toContain('Could not import');
    button('Import 1 task').click();
    const retry = http.expectOne((r) => r.url === IMPORT);
    expect(retry.request.headers.get('Idempotency-Key')).toBe(key);
    retry.flush(report(false));
    await fixture.whenStable();

    expect(text()).toContain('Imported 1 task; 1 skipped.');
    expect(page().querySelector('[data-testid="import-preview"]')).toBeNull();
  });

  it('says what is wrong with a file the server refuses, and refuses a file over 5 MB before sending', async () => {
    pick(new File(['{"not":"csv"}'], 'notes.json', { type: 'application/json' }));
    http
      .expectOne((r) => r.url === IMPORT)
      .flush(
        {
          error: 'UNPROCESSABLE',
          message:
            'the file is not a Todoist CSV export: its first row must name the columns TYPE, CONTENT',
          details: [
            { field: 'file', message: 'not a Todoist CSV export', type: 'any.unprocessable' },
          ],
          correlationId: 'c',
        },
        { status: 422, statusText: 'Unprocessable Entity' },
      );
    await fixture.whenStable();
    expect(page().querySelector('[role="alert"]')?.textContent).toContain(
      'The file is not a Todoist CSV export',
    );
    expect(page().querySelector('[data-testid="import-preview"]')).toBeNull();

    pick(new File([new Uint8Array(5 * 1024 * 1024 + 1)], 'huge.csv', { type: 'text/csv' }));
    http.expectNone((r) => r.url === IMPORT);
    await fixture.whenStable();
    expect(page().querySelector('[role="alert"]')?.textContent).toContain('larger than 5 MB');
  });

  it('downloads all data as JSON and the tasks as CSV', async () => {
    const clicked: string[] = [];
    spyOn(HTMLAnchorElement.prototype, 'click').and.callFake(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    button('Download all my data').click();
    http.expectOne('/api/v1/users/me/export').flush(new Blob(['{}']));
    await fixture.whenStable();
    button('Download my tasks').click();
    http.expectOne('/api/v1/users/me/export/tasks.csv').flush(new Blob(['id\r\n']));
    await fixture.whenStable();
    expect(clicked.length).toBe(2);
    expect(clicked[0]).toMatch(/^todo-export-\d{4}-\d{2}-\d{2}\.json$/);
    expect(clicked[1]).toMatch(/^todo-tasks-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(text()).toContain('Your tasks downloaded.');
  });
});
