import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { RecurrenceEditor, toPattern } from './recurrence-editor';

describe('RecurrenceEditor', () => {
  beforeEach(() =>
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] }),
  );

  it('shows an existing pattern in words and ticks its days', async () => {
    const fixture = TestBed.createComponent(RecurrenceEditor);
    fixture.componentRef.setInput('value', {
      frequency: 'weekly',
      interval: 1,
      byWeekday: [0],
      maxOccurrences: 5,
      anchor: 'due',
    });
    await fixture.whenStable();
    const el: HTMLElement = fixture.nativeElement;
    expect(el.querySelector('[data-testid="recurrence-preview"]')!.textContent!.trim()).toBe(
      'Every Monday, 5 times',
    );
    const monday = el.querySelector<HTMLInputElement>('input[aria-label="Monday"]')!;
    expect(monday.checked).toBeTrue();
  });

  it('updates its value and preview when a day is ticked', async () => {
    const fixture = TestBed.createComponent(RecurrenceEditor);
    fixture.componentRef.setInput('value', {
      frequency: 'weekly',
      byWeekday: [0],
      maxOccurrences: 5,
    });
    await fixture.whenStable();
    const el: HTMLElement = fixture.nativeElement;
    const friday = el.querySelector<HTMLInputElement>('input[aria-label="Friday"]')!;
    friday.click();
    await fixture.whenStable();
    expect(fixture.componentInstance.value()?.byWeekday).toEqual([0, 4]);
    expect(el.querySelector('[data-testid="recurrence-preview"]')!.textContent).toContain(
      'Every Monday and Friday, 5 times',
    );
  });

  it('says "Does not repeat" and shows server messages for recurrence fields', async () => {
    const fixture = TestBed.createComponent(RecurrenceEditor);
    fixture.componentRef.setInput('errors', {
      'recurrence.maxOccurrences': 'maxOccurrences must be at least 1',
      title: 'not mine',
    });
    await fixture.whenStable();
    const text = (fixture.nativeElement as HTMLElement).textContent!;
    expect(text).toContain('Does not repeat');
    expect(text).toContain('maxOccurrences must be at least 1');
    expect(text).not.toContain('not mine');
  });

  it('builds exactly one end condition', () => {
    const base = {
      repeat: 'daily' as const,
      interval: 2,
      byWeekday: [3],
      byMonthday: null,
      maxOccurrences: 4,
      endDate: '2026-12-31',
      rrule: '',
      anchor: 'due' as const,
    };
    expect(toPattern({ ...base, end: 'count' })).toEqual({
      frequency: 'daily',
      interval: 2,
      anchor: 'due',
      maxOccurrences: 4,
    });
    const byDate = toPattern({ ...base, end: 'date' })!;
    expect(byDate.maxOccurrences).toBeUndefined();
    expect(byDate.endDate).toBe(new Date('2026-12-31T23:59:59').toISOString());
  });
});
