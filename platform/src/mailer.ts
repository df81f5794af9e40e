import nodemailer from 'nodemailer';
import type { Logger } from './logger.js';

/** One message to send; both bodies, so every mail client has something it can show. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers (List-Unsubscribe …); names as they are to appear. */
  headers?: Record<string, string>;
}

export interface SentMail {
  messageId: string;
}

/** Sends mail; `smtp` talks to a real server, `log` writes one line instead (development). */
export interface Mailer {
  readonly transport: 'smtp' | 'log';
  send(message: MailMessage): Promise<SentMail>;
  close(): void;
}

/** How a failed send should be handled: again later, or never (the address or message is refused). */
export type MailFailure = 'transient' | 'permanent';

/**
 * SMTP's own answer decides: a 5xx reply is permanent (no such mailbox, policy refusal) and
 * sending it again cannot help; a 4xx reply (greylisting, a full mailbox, rate limits) and
 * every failure without a reply (connection refused, timeout, TLS) are worth retrying.
 */
export function mailFailureOf(error: unknown): MailFailure {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600 ? 'permanent' : 'transient';
}

export interface MailerOptions {
  /**
   * `smtp://user:pass@host:587` (STARTTLS when the server offers it; `?requireTLS=true`
   * refuses to send without it) or `smtps://user:pass@host:465` (TLS from the first byte).
   * Credentials in the URL are percent-encoded. Unset = the `log` transport.
   */
  smtpUrl?: string | undefined;
  /** `"Todo Chatbot" <reminders@example.com>` */
  from: string;
  logger: Logger;
  /** Longest a connection, greeting or socket inactivity may take (ms). */
  timeoutMs?: number;
}

/**
 * The SMTP transport every service shares (the workers' reminder mail now, the api's account
 * mail later): nodemailer configured from one URL, so TLS and credentials travel as one
 * secret. Without a URL, mail is one structured log line: for development only.
 */
export function createMailer({ smtpUrl, from, logger, timeoutMs = 15_000 }: MailerOptions): Mailer {
  if (!smtpUrl) {
    return {
      transport: 'log',
      async send(message) {
        const messageId = `<log-${Date.now()}-${Math.random().toString(36).slice(2)}@localhost>`;
        logger.info(
          { to: message.to, subject: message.subject, messageId },
          'mail (log transport)',
        );
        return { messageId };
      },
      close() {},
    };
  }
  const url = new URL(smtpUrl);
  const transporter = nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    requireTLS: url.searchParams.get('requireTLS') === 'true',
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    // A self-signed catcher or a private relay: opt out per URL, never by default.
    tls: { rejectUnauthorized: url.searchParams.get('tlsRejectUnauthorized') !== 'false' },
  });
  return {
    transport: 'smtp',
    async send(message) {
      const info = (await transporter.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        ...(message.headers ? { headers: message.headers } : {}),
      })) as { messageId: string };
      return { messageId: info.messageId };
    },
    close: () => transporter.close(),
  };
}
