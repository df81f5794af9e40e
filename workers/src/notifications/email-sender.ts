import { UnrecoverableError } from 'bullmq';
import { EMAIL_UNSUBSCRIBE_PATH, EMAIL_UNSUBSCRIBE_PURPOSE } from '@todo/contracts';
import { mailFailureOf, signLinkToken, type Mailer } from '@todo/platform';
import type { ChannelSender } from './channels.js';
import { composeMail } from './email-templates.js';

export interface EmailSenderOptions {
  mailer: Mailer;
  /** The app's public origin (no trailing slash). */
  publicUrl: string;
  unsubscribeSecret: string;
}

/**
 * Reminder mail: one message per notification (a batch is one digest) to the account's
 * address, with a one-click unsubscribe (RFC 8058: `List-Unsubscribe` with an https URL and
 * `List-Unsubscribe-Post`, so a mail client's "unsubscribe" button POSTs it). An address not
 * yet verified gets nothing (skipped, "address not verified"; ADR 260). A 5xx answer is final (UnrecoverableError: failed,
 * visible in Bull Board); anything else is thrown to be retried with backoff.
 */
export function emailSender({
  mailer,
  publicUrl,
  unsubscribeSecret,
}: EmailSenderOptions): ChannelSender {
  return {
    async send({ userId, kind, reminders, preferences }) {
      const to = preferences.email;
      if (!to) return { status: 'skipped', reason: 'no email address on the account' };
      // Unverified: the address may not be theirs (ADR 260). Absent = an older api's event: sent.
      if (preferences.emailVerified === false)
        return { status: 'skipped', reason: 'address not verified' };
      const token = signLinkToken(unsubscribeSecret, EMAIL_UNSUBSCRIBE_PURPOSE, userId);
      const unsubscribeUrl = `${publicUrl}${EMAIL_UNSUBSCRIBE_PATH}${token}`;
      const mail = composeMail({
        kind,
        reminders,
        timeZone: preferences.timezone,
        appUrl: `${publicUrl}/${kind === 'digest' ? 'inbox' : 'tasks'}`,
        unsubscribeUrl,
      });
      try {
        await mailer.send({
          to,
          ...mail,
          headers: {
            'List-Unsubscribe': `<${unsubscribeUrl}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
            // Reminders are sent by a machine; auto-responders should stay quiet.
            'Auto-Submitted': 'auto-generated',
          },
        });
      } catch (error) {
        if (mailFailureOf(error) === 'permanent')
          throw new UnrecoverableError(`the mail server refused the message: ${describe(error)}`);
        throw error;
      }
      return { status: 'sent' };
    },
  };
}

/** The server's reply (e.g. `550 5.1.1 no such user`), else the error's message. */
export function describe(error: unknown): string {
  const { response, message } = (error ?? {}) as { response?: unknown; message?: unknown };
  return String(typeof response === 'string' ? response : (message ?? error)).slice(0, 160);
}
