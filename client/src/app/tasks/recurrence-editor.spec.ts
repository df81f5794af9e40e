import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { MatSelectHarness } from '@angular/material/select/testing';
import { RecurrenceEditor, toPattern } from './recurrence-editor';

describe('RecurrenceEditor', () => {
  beforeEach(() =>
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    }),
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

  it('starts a new repeat with the end "Never" and sends no end', async () => {
    const fixture = TestBed.createComponent(RecurrenceEditor);
    await fixture.whenStable();
    const el: HTMLElement = fixture.nativeElement;
    const select = await TestbedHarnessEnvironment.loader(fixture).getHarness(
      MatSelectHarness.with({ selector: '[data-testid="repeat"]' }),
    );
    await select.open();
    await select.clickOptions({ text: 'Weekly' });
    await fixture.whenStable();
    const never = el.querySelector<HTMLInputElement>('[data-testid="end-never"] input')!;
    expect(never.checked).toBeTrue();
    const value = fixture.componentInstance.value()!;
    expect(value.frequency).toBe('weekly');
    expect('maxOccurrences' in value).toBeFalse();
    expect('endDate' in value).toBeFalse();
    expect(el.querySelector('[data-testid="recurrence-preview"]')!.textContent!.trim()).toBe(
      'Every week',
    );
  });

  it('shows an open-ended pattern with "Never" ticked and no end in words', async () => {
    const fixture = TestBed.createComponent(RecurrenceEditor);
    fixture.componentRef.setInput('value', { frequency: 'weekly', byWeekday: [0] });
    await fixture.whenStable();
    const el: HTMLElement = fixture.nativeElement;
    expect(el.querySelector<HTMLInputElement>('[data-testid="end-never"] input')!.checked).toBe(
      true,
    );
    expect(el.querySelector('[data-testid="recurrence-preview"]')!.textContent!.trim()).toBe(
      'Every Monday',
    );
  });

  it('offers the last day of the month', async () => {
    const fixture = TestBed.createComponent(RecurrenceEditor);
    fixture.componentRef.setInput('value', { frequency: 'monthly', byMonthday: 15 });
    await fixture.whenStable();
    const loader = TestbedHarnessEnvironment.loader(fixture);
    const day = await loader.getHarness(
      MatSelectHarness.with({ selector: '[data-testid="monthday"]' }),
    );
    await day.open();
    await day.clickOptions({ text: 'Last day of the month' });
    await fixture.whenStable();
    expect(fixture.componentInstance.value()).toEqual({
      frequency: 'monthly',
      interval: 1,
      anchor: 'due',
      byMonthday: -1,
    });
    expect(
      (fixture.nativeElement as HTMLElement).querySelector('[data-testid="recurrence-preview"]')!
        .textContent,
    ).toContain('Every month on the last day');
  });

  it('builds at most one end condition', () => {
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
    expect(toPattern({ ...base, end: 'never' }, 'UTC')).toEqual({
      frequency: 'daily',
      interval: 2,
      anchor: 'due',
    });
    expect(toPattern({ ...base, end: 'count' }, 'UTC')).toEqual({
      frequency: 'daily',
      interval: 2,
      anchor: 'due',
      maxOccurrences: 4,
    });
    const byDate = toPattern({ ...base, end: 'date' }, 'Asia/Kolkata')!;
    expect(byDate.maxOccurrences).toBeUndefined();
    // The end of 31 Dec in the user's zone, not the browser's.
    expect(byDate.endDate).toBe('2026-12-31T18:29:59.000Z');
  });
});
