import { ReplaySubject, of, type Observable } from 'rxjs';

const requested = new ReplaySubject<void>(1);

/** Asks for the service worker now (the user turned push on). */
export function requestServiceWorker(): void {
  requested.next();
}

/**
 * When Angular registers the service worker: at once on a page a worker already controls
 * (this browser said yes before), otherwise only once the user turns push on. A visitor who
 * never does downloads no worker and keeps the plain compressed, cached serving of the app.
 * Its own file: the app's start imports it, and nothing else of push.
 */
export function serviceWorkerRegistration(): Observable<unknown> {
  return typeof navigator !== 'undefined' && navigator.serviceWorker?.controller
    ? of(true)
    : requested;
}
