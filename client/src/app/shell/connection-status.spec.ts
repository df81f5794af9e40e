import { provideZonelessChangeDetection, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { RealtimeService, type ConnectionState } from '../core/realtime.service';
import { ConnectionStatus } from './connection-status';

describe('ConnectionStatus', () => {
  it('says the state in words, as a status for screen readers', async () => {
    const state = signal<ConnectionState>('connected');
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        { provide: RealtimeService, useValue: { state, lastError: signal(null) } },
      ],
    });
    const fixture = TestBed.createComponent(ConnectionStatus);
    await fixture.whenStable();
    const el = (fixture.nativeElement as HTMLElement).querySelector('[role="status"]')!;
    expect(el.textContent!.trim()).toBe('Live');
    expect(el.getAttribute('data-state')).toBe('connected');
    for (const [value, text] of [
      ['reconnecting', 'Reconnecting…'],
      ['offline', 'Offline'],
    ] as const) {
      state.set(value);
      await fixture.whenStable();
      expect(el.textContent!.trim()).toBe(text);
      expect(el.getAttribute('aria-label')).toBeTruthy();
    }
  });
});
