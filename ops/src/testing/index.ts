export * from './env.js';
export * from './users.js';
export * from './api-process.js';
export * from './sharing.js';
export { freePort, waitForPort } from '../infra/ports.js';
export { waitUntilReady } from '../launcher/child.js';
export {
  startMailCatcher,
  type CaughtMail,
  type MailCatcher,
  type SmtpRefusal,
} from '../infra/mail-catcher.js';
