import { once } from 'node:events';
import { timingSafeEqual, createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message as the catcher received it. */
export interface CaughtMail {
  id: string;
  receivedAt: Date;
  /** The SMTP envelope (what the server was told), not the headers. */
  envelope: { from: string | null; to: string[] };
  parsed: ParsedMail;
}

/** An SMTP reply to give instead of accepting (tests: 451 greylisting, 550 no such user). */
export interface SmtpRefusal {
  code: number;
  message: string;
}

export interface MailCatcher {
  /** `smtp://127.0.0.1:<port>`: what a sender's SMTP_URL is set to. */
  smtpUrl: string;
  port: number;
  /** Newest last; at most `keep` are kept. */
  messages: CaughtMail[];
  /** Resolves with the first message (already here or yet to come) that `match` accepts. */
  next(match?: (mail: CaughtMail) => boolean, timeoutMs?: number): Promise<CaughtMail>;
  /** Decides per recipient whether to refuse it (null = accept). */
  refuse: ((recipient: string) => SmtpRefusal | null) | null;
  stop(): Promise<void>;
}

/**
 * A real SMTP server on loopback that keeps what it receives, parsed: the launcher's local
 * mail catcher (`npm start` without SMTP_URL) and the tests' receiving end. No TLS, no auth:
 * it listens on 127.0.0.1 only.
 */
export async function startMailCatcher(
  options: { port?: number; keep?: number } = {},
): Promise<MailCatcher> {
  const keep = options.keep ?? 500;
  const messages: CaughtMail[] = [];
  const waiters = new Set<(mail: CaughtMail) => void>();
  const catcher: MailCatcher = {
    smtpUrl: '',
    port: 0,
    messages,
    refuse: null,
    next(match = () => true, timeoutMs = 15_000) {
      const found = messages.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching mail within ${timeoutMs} ms (${messages.length} caught)`));
        }, timeoutMs);
        const waiter = (mail: CaughtMail) => {
          if (!match(mail)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(mail);
        };
        waiters.add(waiter);
      });
    },
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    banner: 'Todo Chatbot mail catcher',
    // Loopback only: a reverse DNS lookup per connection would only add latency.
    disableReverseLookup: true,
    size: 10 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      const refusal = catcher.refuse?.(address.address);
      if (!refusal) return callback();
      callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const mail: CaughtMail = {
            id: randomUUID(),
            receivedAt: new Date(),
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
              to: session.envelope.rcptTo.map((r) => r.address),
            },
            parsed,
          };
          messages.push(mail);
          if (messages.length > keep) messages.splice(0, messages.length - keep);
          for (const waiter of [...waiters]) waiter(mail);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server.server, 'listening');
  catcher.port = (server.server.address() as AddressInfo).port;
  catcher.smtpUrl = `smtp://127.0.0.1:${catcher.port}`;
  return catcher;
}

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const digest = (value: string) => createHash('sha256').update(value).digest();

/** HTTP Basic, compared in constant time (digests of equal length). */
function authorized(req: IncomingMessage, user: string, password: string): boolean {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return false;
  const given = Buffer.from(header.slice(6), 'base64').toString();
  return timingSafeEqual(digest(given), digest(`${user}:${password}`));
}

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title>
<style>body{font:15px/1.45 system-ui,sans-serif;margin:1.5rem;color:#1f1f1f}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #ddd}
iframe{width:100%;height:28rem;border:1px solid #ccc}pre{white-space:pre-wrap;background:#f6f6f6;padding:.6rem}</style>
</head><body>${body}</body></html>`;

/**
 * The catcher's pages at `/admin/mail` (list, newest first) and `/admin/mail/<id>` (both
 * bodies and the headers; the HTML in a sandboxed frame, scripts off), behind the same
 * HTTP Basic login as Bull Board.
 */
export function mailCatcherPages(
  catcher: MailCatcher,
  auth: { user: string; password: string },
): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    // The gateway's /health/ready asks every routed service; this one is ready when it answers.
    if (req.url === '/health/ready' || req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('{"status":"ready"}');
    }
    if (!authorized(req, auth.user, auth.password)) {
      res.writeHead(401, {
        'www-authenticate': 'Basic realm="admin"',
        'content-type': 'text/plain',
      });
      return void res.end('authentication required');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' });
      return void res.end('method not allowed');
    }
    const path = new URL(req.url ?? '/', 'http://catcher').pathname.replace(/\/+$/, '');
    const send = (status: number, html: string) => {
      res.writeHead(status, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        // The HTML of a mail is shown in a sandboxed srcdoc frame; nothing else runs.
        'content-security-policy':
          "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'",
      });
      res.end(req.method === 'HEAD' ? undefined : html);
    };
    if (path === '/admin/mail') {
      const rows = [...catcher.messages]
        .reverse()
        .map(
          (m) =>
            `<tr><td>${escapeHtml(m.receivedAt.toISOString().replace('T', ' ').slice(0, 19))} UTC</td><td>${escapeHtml(m.envelope.to.join(', '))}</td><td><a href="/admin/mail/${m.id}">${escapeHtml(m.parsed.subject ?? '(no subject)')}</a></td></tr>`,
        )
        .join('');
      return send(
        200,
        page(
          'Mail catcher',
          `<h1>Mail catcher</h1><p>Mail the local stack sent (${catcher.messages.length}; kept in memory until the launcher stops). SMTP: <code>${escapeHtml(catcher.smtpUrl)}</code></p>
<table><thead><tr><th>received</th><th>to</th><th>subject</th></tr></thead><tbody>${rows || '<tr><td colspan="3">No mail yet.</td></tr>'}</tbody></table>`,
        ),
      );
    }
    const id = /^\/admin\/mail\/([0-9a-f-]{36})$/.exec(path)?.[1];
    const mail = id ? catcher.messages.find((m) => m.id === id) : undefined;
    if (!mail)
      return send(
        404,
        page('Not found', '<p>No such mail. <a href="/admin/mail">All mail</a></p>'),
      );
    const headers = [...mail.parsed.headerLines].map((h) => escapeHtml(h.line)).join('\n');
    return send(
      200,
      page(
        mail.parsed.subject ?? 'Mail',
        `<p><a href="/admin/mail">&larr; All mail</a></p><h1>${escapeHtml(mail.parsed.subject ?? '(no subject)')}</h1>
<p>To ${escapeHtml(mail.envelope.to.join(', '))}, from ${escapeHtml(mail.envelope.from ?? '')}, ${escapeHtml(mail.receivedAt.toISOString())}</p>
<h2>HTML</h2><iframe sandbox title="HTML body" srcdoc="${escapeHtml(typeof mail.parsed.html === 'string' ? mail.parsed.html : '')}"></iframe>
<h2>Plain text</h2><pre>${escapeHtml(mail.parsed.text ?? '')}</pre>
<h2>Headers</h2><pre>${headers}</pre>`,
      ),
    );
  });
}
