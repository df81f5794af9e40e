import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  ErrorHandler,
  isDevMode,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
  type ApplicationConfig,
} from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { provideServiceWorker } from '@angular/service-worker';
import { routes } from './app.routes';
import { authInterceptor } from './core/auth.interceptor';
import { AppErrorHandler } from './core/error-handler';
import { serviceWorkerRegistration } from './core/sw-registration';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideRouter(routes, withComponentInputBinding()),
    provideHttpClient(withInterceptors([authInterceptor])),
    { provide: ErrorHandler, useClass: AppErrorHandler },
    // Web Push (Settings → "Notify me on this device"), production builds only: registered
    // once the user turns push on, and caching nothing (ngsw-config.json), so the compressed,
    // cached serving of the app stays as it is (ADR 220).
    provideServiceWorker('ngsw-worker.js', {
      enabled: !isDevMode(),
      registrationStrategy: serviceWorkerRegistration,
    }),
  ],
};
