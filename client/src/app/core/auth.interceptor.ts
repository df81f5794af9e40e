import type { HttpInterceptorFn, HttpRequest } from '@angular/common/http';
import { HttpErrorResponse } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, from, switchMap, throwError } from 'rxjs';
import { AuthService } from './auth.service';

/**
 * Adds `Authorization: Bearer <jwt>` to `/api/v1` calls; on a 401 it refreshes the JWT once
 * and retries. If the refresh itself is refused, AuthService sends the user to sign-in.
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  if (!req.url.startsWith('/api/v1/')) return next(req);
  const auth = inject(AuthService);
  const send = (force: boolean) =>
    from(auth.token(force)).pipe(switchMap((token) => next(withToken(req, token))));
  return send(false).pipe(
    catchError((error: unknown) =>
      error instanceof HttpErrorResponse && error.status === 401
        ? send(true)
        : throwError(() => error),
    ),
  );
};

function withToken(req: HttpRequest<unknown>, token: string) {
  return req.clone({ setHeaders: { Authorization: `Bearer ${token}` } });
}
