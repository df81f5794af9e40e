import {
  ChangeDetectionStrategy,
  Component,
  PendingTasks,
  computed,
  inject,
  signal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import type { ImportReport, ImportSource } from '@todo/contracts';
import { describeError } from '../../core/errors';
import { ListStore } from '../../core/list-store';
import { UserZone } from '../../core/user-zone';
import { ZonedDatePipe } from '../../core/zoned-date.pipe';
import { ImportExportApi } from './import-export-api';

/** The largest file the server takes (contracts' IMPORT_MAX_BYTES): said before uploading. */
const MAX_BYTES = 5 * 1024 * 1024;

/**
 * Settings → Import and export: download all of one's data (JSON) or the tasks (CSV); pick a
 * Todoist CSV export or a calendar file, see what will be created and every row that will be
 * skipped (a dry run), then import it in one go.
 */
@Component({
  selector: 'app-import-export-settings',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatFormFieldModule, MatSelectModule, ZonedDatePipe],
  templateUrl: './import-export-settings.html',
  styleUrl: './import-export-settings.scss',
})
export class ImportExportSettings {
  private readonly api = inject(ImportExportApi);
  /** Keeps the app "unstable" while a call and what follows it run (tests await it). */
  private readonly pending = inject(PendingTasks);
  readonly zone = inject(UserZone);

  readonly source = signal<ImportSource>('todoist');
  /** The lists an import can go into (the sidebar's); null is the Inbox, as for a new task. */
  readonly lists = inject(ListStore).shown;
  readonly listId = signal<string | null>(null);
  readonly listName = computed(
    () => this.lists().find((list) => list.id === this.listId())?.name ?? 'Inbox',
  );
  readonly file = signal<File | null>(null);
  readonly preview = signal<ImportReport | null>(null);
  readonly busy = signal(false);
  readonly error = signal<string | null>(null);
  readonly status = signal('');
  /** One key per picked file: a retried import after a lost answer happens once. */
  private key: string | null = null;

  readonly accept = computed(() =>
    this.source() === 'ics' ? '.ics,text/calendar' : '.csv,text/csv',
  );

  async download(what: 'json' | 'csv'): Promise<void> {
    await this.run('Could not export your data', async () => {
      const blob = await this.api.download(what);
      const day = new Date().toISOString().slice(0, 10);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = what === 'json' ? `todo-export-${day}.json` : `todo-tasks-${day}.csv`;
      link.click();
      URL.revokeObjectURL(link.href);
      this.status.set(what === 'json' ? 'All your data downloaded.' : 'Your tasks downloaded.');
    });
  }

  setSource(source: ImportSource): void {
    this.source.set(source);
    this.reset();
  }

  async pick(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0] ?? null;
    this.reset();
    if (!file) return;
    if (file.size > MAX_BYTES) {
      this.error.set(`“${file.name}” is larger than 5 MB, the most one import takes: split it.`);
      input.value = '';
      return;
    }
    this.file.set(file);
    this.key = crypto.randomUUID();
    await this.run('Could not read the file', async () => {
      this.preview.set(
        await this.api.importFile(this.source(), file, { dryRun: true, listId: this.listId() }),
      );
    });
  }

  async import(): Promise<void> {
    const file = this.file();
    const preview = this.preview();
    if (!file || !preview || !this.key) return;
    const key = this.key;
    await this.run('Could not import', async () => {
      const done = await this.api.importFile(this.source(), file, {
        dryRun: false,
        key,
        listId: this.listId(),
      });
      const count = done.created.length;
      this.reset();
      this.status.set(
        `Imported ${count} ${count === 1 ? 'task' : 'tasks'}` +
          (done.skipped.length ? `; ${done.skipped.length} skipped.` : '.'),
      );
    });
  }

  cancel(): void {
    this.reset();
    this.status.set('Import cancelled: nothing was changed.');
  }

  private reset(): void {
    this.file.set(null);
    this.preview.set(null);
    this.error.set(null);
    this.key = null;
  }

  private async run(failure: string, work: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    this.status.set('');
    await this.pending.run(async () => {
      try {
        await work();
      } catch (error) {
        this.error.set(`${failure}: ${describeError(error).message}`);
      } finally {
        this.busy.set(false);
      }
    });
  }
}
