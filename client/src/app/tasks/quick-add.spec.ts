import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import { makeTask } from '../../testing/fixtures';
import { ApiService } from '../core/api.service';
import { UserZone } from '../core/user-zone';
import {
  QUICK_ADD_PARSER,
  type QuickAddEntity,
  type QuickAddParse,
  type QuickAddParser,
} from './quick-add';
import { TaskList } from './task-list';

/**
 * A stand-in for the task-language parser with its contract: entities by span, fields, the
 * remaining title, and `keepLiteral` spans left unparsed. It knows three phrases.
 */
const fakeParser: QuickAddParser = (text, ctx, options) => {
  const literal = options?.keepLiteral ?? [];
  const result: QuickAddParse = { title: text, fields: {}, entities: [] };
  const rules: Array<[RegExp, QuickAddEntity['kind'], (r: QuickAddParse) => void]> = [
    [
      /every sunday/,
      'recurrence',
      (r) => (r.fields.recurrence = { frequency: 'weekly', interval: 1, byWeekday: [6] }),
    ],
    [/at 6pm/, 'date', (r) => (r.fields.dueDate = '2026-12-06T12:30:00.000Z')],
    [/#\w+/, 'tag', (r) => (r.fields.tags = ['family'])],
  ];
  const cut: Array<[number, number]> = [];
  for (const [pattern, kind, apply] of rules) {
    const match = pattern.exec(text);
    if (!match) continue;
    const start = match.index;
    const end = start + match[0].length;
    if (literal.some((l) => l.start <= start && end <= l.end)) continue;
    result.entities.push({ kind, start, end, text: match[0] });
    apply(result);
    cut.push([start, end]);
  }
  let title = text;
  for (const [start, end] of cut.sort((a, b) => b[0] - a[0]))
    title = title.slice(0, start) + title.slice(end);
  result.title = title.replace(/\s+/g, ' ').trim();
  expect(ctx.timeZone).toBe('Asia/Kolkata');
  return result;
};

describe('TaskList quick add with chips', () => {
  let api: jasmine.SpyObj<ApiService>;
  let fixture: ComponentFixture<TaskList>;
  let el: HTMLElement;
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r));
      await fixture.whenStable();
    }
  };
  const chips = () =>
    [...el.querySelectorAll('[data-testid="quick-add-chips"] .chip')].map((c) =>
      c.textContent!.trim(),
    );
  const type = async (text: string) => {
    const input = el.querySelector<HTMLInputElement>('[data-testid="quick-add"]')!;
    input.value = text;
    input.dispatchEvent(new Event('input'));
    await settle();
  };

  beforeEach(async () => {
    api = jasmine.createSpyObj<ApiService>('ApiService', ['listTasks', 'changes', 'createTask']);
    api.listTasks.and.resolveTo({ items: [], nextCursor: null, changesCursor: '1' });
    api.changes.and.callFake((since: string) =>
      Promise.resolve({ changes: [], listChanges: [], nextCursor: since, hasMore: false }),
    );
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: ApiService, useValue: api },
        { provide: QUICK_ADD_PARSER, useValue: fakeParser },
      ],
    });
    TestBed.inject(UserZone).zone.set('Asia/Kolkata');
    fixture = TestBed.createComponent(TaskList);
    el = fixture.nativeElement;
    await settle();
  });

  it('shows what it understood as chips, in the user zone, with the remaining title', async () => {
    await type('Call mom every sunday at 6pm #family');
    expect(chips()).toEqual(['Every Sunday', 'Due Sun 6 Dec, 18:00', '#family']);
    expect(el.querySelector('.title-preview')!.textContent).toContain('Title: Call mom');
  });

  it('Enter creates the task with the fields of the chips', async () => {
    await type('Call mom every sunday at 6pm');
    api.createTask.and.resolveTo(makeTask({ title: 'Call mom' }));
    el.querySelector<HTMLFormElement>('form.quick-add')!.dispatchEvent(new Event('submit'));
    await settle();
    // With the client-chosen id and the Idempotency-Key of the outbox.
    expect(api.createTask).toHaveBeenCalledOnceWith(
      {
        id: jasmine.any(String),
        title: 'Call mom',
        recurrence: { frequency: 'weekly', interval: 1, byWeekday: [6] },
        dueDate: '2026-12-06T12:30:00.000Z',
      },
      jasmine.any(String),
    );
    expect(fixture.componentInstance.quickTitle()).toBe('');
    expect(chips()).toEqual([]);
  });

  it('removing a chip keeps its words in the title, unparsed', async () => {
    await type('Call mom every sunday at 6pm');
    const remove = el.querySelector<HTMLButtonElement>(
      'button[aria-label="Keep “every sunday” as text"]',
    )!;
    remove.click();
    await settle();
    expect(chips()).toEqual(['Due Sun 6 Dec, 18:00']);
    expect(el.querySelector('.title-preview')!.textContent).toContain('Call mom every sunday');

    // Typing on keeps it literal while those words stay where they were.
    await type('Call mom every sunday at 6pm #family');
    expect(chips()).toEqual(['Due Sun 6 Dec, 18:00', '#family']);
    api.createTask.and.resolveTo(makeTask());
    await fixture.componentInstance.quickAdd();
    expect(api.createTask.calls.mostRecent().args[0]).toEqual({
      id: jasmine.any(String),
      title: 'Call mom every sunday',
      dueDate: '2026-12-06T12:30:00.000Z',
      tags: ['family'],
    });
  });

  it('asks for a title when the text is only a date', async () => {
    await type('at 6pm');
    await fixture.componentInstance.quickAdd();
    await settle();
    expect(api.createTask).not.toHaveBeenCalled();
    expect(el.querySelector('.quick-add [role="alert"]')!.textContent).toContain(
      'Type what the task is',
    );
  });
});

describe('TaskList quick add with the task-language parser', () => {
  it('reads "Call mom every sunday at 6pm" as a title, a repeat and a time in the user zone', async () => {
    const api = jasmine.createSpyObj<ApiService>('ApiService', [
      'listTasks',
      'changes',
      'createTask',
    ]);
    api.listTasks.and.resolveTo({ items: [], nextCursor: null, changesCursor: '1' });
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: ApiService, useValue: api },
      ],
    });
    TestBed.inject(UserZone).zone.set('Asia/Kolkata');
    const fixture = TestBed.createComponent(TaskList);
    await fixture.whenStable();
    fixture.componentInstance.quickTitle.set('Call mom every sunday at 6pm');
    await fixture.whenStable();
    const el: HTMLElement = fixture.nativeElement;
    const chips = [...el.querySelectorAll('[data-testid="quick-add-chips"] .chip')].map((c) =>
      c.textContent!.trim(),
    );
    expect(chips).toContain('Every Sunday');
    expect(chips.some((c) => /^Due Sun \d+ \w+, 18:00$/.test(c))).toBeTrue();
    expect(el.querySelector('.title-preview')!.textContent).toContain('Title: Call mom');

    api.createTask.and.resolveTo(makeTask({ title: 'Call mom' }));
    await fixture.componentInstance.quickAdd();
    const draft = api.createTask.calls.mostRecent().args[0];
    expect(draft.title).toBe('Call mom');
    expect(draft.recurrence).toEqual(
      jasmine.objectContaining({ frequency: 'weekly', byWeekday: [6] }),
    );
    expect(draft.recurrence?.endDate).toBeUndefined();
    expect(draft.recurrence?.maxOccurrences).toBeUndefined();
  });
});
