import { ErrorHandler, Injectable, inject } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import { SessionExpiredError } from './auth.service';
import { describeError } from './errors';

/** Unexpected errors become a message on screen (and the console), never a silent blank. */
@Injectable()
export class AppErrorHandler implements ErrorHandler {
  private readonly snackBar = inject(MatSnackBar);
  private lastShown = 0;

  handleError(error: unknown): void {
    const cause = (error as { rejection?: unknown })?.rejection ?? error;
    if (cause instanceof SessionExpiredError) return; // sign-in page says it already
    console.error(cause);
    if (Date.now() - this.lastShown < 3000) return;
    this.lastShown = Date.now();
    this.snackBar.open(`Something went wrong: ${describeError(cause).message}`, 'Dismiss', {
      duration: 8000,
      panelClass: 'toast-error',
    });
  }
}
