import { mailFailureOf, type Logger, type Mailer } from '@todo/platform';

/** The account mails: each tells the address something only its owner should learn. */
export type AccountMailKind =
  'verify-email' | 'change-email' | 'reset-password' | 'existing-account' | 'list-invite';

interface Content {
  subject: string;
  lines: string[];
  /** The one button (and link in the text body); absent when there is nothing to click. */
  action?: { label: string; url: string };
  footer: string;
}

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const minutes = (seconds: number) =>
  seconds % 3600 === 0
    ? `${seconds / 3600} hour${seconds === 3600 ? '' : 's'}`
    : `${Math.round(seconds / 60)} minutes`;

export interface AccountMailInput {
  kind: AccountMailKind;
  /** The link to click (verify, reset), or the app's sign-in page for notices. */
  url: string;
  /** How long the link works, in seconds (verify, reset). */
  ttlSeconds?: number;
  /** list-invite: the list's name and the role offered. */
  listName?: string;
  role?: string;
}

function content({ kind, url, ttlSeconds = 0, listName, role }: AccountMailInput): Content {
  const ignore = 'If this was not you, ignore this mail: nothing changes.';
  switch (kind) {
    case 'verify-email':
      return {
        subject: 'Confirm your email address for Todo Chatbot',
        lines: [
          'Confirm that this address is yours, so Todo Chatbot can send your reminders here.',
          `The link works once, for ${minutes(ttlSeconds)}.`,
        ],
        action: { label: 'Confirm my address', url },
        footer: ignore,
      };
    case 'change-email':
      return {
        subject: 'Confirm your new email address for Todo Chatbot',
        lines: [
          'You asked to use this address for your Todo Chatbot account.',
          `Confirm it to switch; until then the old address stays in use. The link works once, for ${minutes(ttlSeconds)}.`,
        ],
        action: { label: 'Use this address', url },
        footer: ignore,
      };
    case 'reset-password':
      return {
        subject: 'Reset your Todo Chatbot password',
        lines: [
          'Someone (hopefully you) asked to reset the password of the account with this address.',
          `The link works once, for ${minutes(ttlSeconds)}. Setting a new password signs out every device.`,
        ],
        action: { label: 'Choose a new password', url },
        footer: 'If you did not ask for this, ignore this mail: your password stays as it is.',
      };
    case 'list-invite':
      return {
        subject: `You are invited to the list “${listName ?? ''}” on Todo Chatbot`,
        lines: [
          `Someone invited this address to their list “${listName ?? ''}” as ${role === 'viewer' ? 'a viewer' : `an ${role ?? 'editor'}`}.`,
          'Open the link signed in with the account of this address (sign up first if you have none). It works once, for 7 days.',
        ],
        action: { label: 'Join the list', url },
        footer: 'If you do not know who sent this, ignore this mail: nothing changes.',
      };
    case 'existing-account':
      return {
        subject: 'You already have a Todo Chatbot account',
        lines: [
          'Someone tried to create a Todo Chatbot account with this address, which already has one.',
          'If it was you: sign in instead, or reset your password from the sign-in page.',
        ],
        action: { label: 'Sign in', url },
        footer: ignore,
      };
  }
}

/** Subject, text and HTML of one account mail, saying the same in both bodies. */
export function composeAccountMail(input: AccountMailInput) {
  const c = content(input);
  const text = [
    ...c.lines,
    ...(c.action ? ['', `${c.action.label}: ${c.action.url}`] : []),
    '',
    '--',
    c.footer,
    '',
  ].join('\n');
  const button = c.action
    ? `<p style="margin:1.5rem 0"><a href="${escapeHtml(c.action.url)}" style="background:#4a45b5;color:#fff;padding:.6rem 1rem;border-radius:.4rem;text-decoration:none">${escapeHtml(c.action.label)}</a></p>
<p style="font-size:.85rem;color:#444">Or paste this link into your browser: ${escapeHtml(c.action.url)}</p>`
    : '';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(c.subject)}</title></head>
<body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#1f1f1f;max-width:36rem;margin:0 auto;padding:1.5rem">
<h1 style="font-size:1.25rem;margin:0 0 1rem">${escapeHtml(c.subject)}</h1>
${c.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
${button}
<p style="font-size:.8rem;color:#666">${escapeHtml(c.footer)}</p>
</body></html>`;
  return { subject: c.subject, text, html };
}

/**
 * Sends account mail without making the caller wait for SMTP: the answer a person (or a
 * prober) gets must not depend on whether a mail went out, nor on how long it took
 * (ADR 260). A failed send is logged; the person can ask again ("Resend", "Forgot password?").
 */
export class AccountMailer {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly mailer: Mailer,
    private readonly logger: Logger,
  ) {}

  send(to: string, input: AccountMailInput): void {
    const sending = this.mailer
      .send({
        to,
        ...composeAccountMail(input),
        // Sent by a machine on the account's behalf; auto-responders should stay quiet.
        headers: { 'Auto-Submitted': 'auto-generated' },
      })
      .then(
        ({ messageId }) => this.logger.info({ kind: input.kind, messageId }, 'account mail sent'),
        (error: unknown) => {
          // A 5xx refusal is about this address (no such mailbox, bad syntax): a warning. No
          // answer or a 4xx means the transport is in trouble: an error someone should see.
          const permanent = mailFailureOf(error) === 'permanent';
          this.logger[permanent ? 'warn' : 'error'](
            { err: error, kind: input.kind },
            permanent ? 'account mail refused for this address' : 'account mail could not be sent',
          );
        },
      )
      .finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }

  /** Waits for mails already handed over (shutdown), then closes the transport. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    this.mailer.close();
  }
}
