import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import type { ImportReport, ImportSource } from '@todo/contracts';

const ME = '/api/v1/users/me';

/** The REST calls of Settings → Import and export. */
@Injectable({ providedIn: 'root' })
export class ImportExportApi {
  private readonly http = inject(HttpClient);

  /** A download as bytes (the auth interceptor adds the bearer token, a plain link could not). */
  download(what: 'json' | 'csv'): Promise<Blob> {
    const url = what === 'json' ? `${ME}/export` : `${ME}/export/tasks.csv`;
    return firstValueFrom(this.http.get(url, { responseType: 'blob' }));
  }

  /** Posts the file itself; `key` (Idempotency-Key) makes a retried import happen once. */
  importFile(
    source: ImportSource,
    file: Blob,
    options: { dryRun: boolean; key?: string; listId?: string | null },
  ): Promise<ImportReport> {
    return firstValueFrom(
      this.http.post<ImportReport>(`${ME}/import`, file, {
        params: {
          source,
          dryRun: String(options.dryRun),
          ...(options.listId ? { listId: options.listId } : {}),
        },
        headers: {
          'Content-Type': source === 'ics' ? 'text/calendar' : 'text/csv',
          ...(options.key ? { 'Idempotency-Key': options.key } : {}),
        },
      }),
    );
  }
}
