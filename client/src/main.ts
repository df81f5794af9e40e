import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';
import { appConfig } from './app/app.config';

bootstrapApplication(App, appConfig).catch((error: unknown) => {
  // Never a blank page: say what happened where the app would have been.
  const root = document.querySelector('app-root');
  if (root) {
    root.textContent = `Todo Chatbot could not start: ${error instanceof Error ? error.message : String(error)}. Reload the page to try again.`;
  }
});
