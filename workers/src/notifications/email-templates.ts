import { truncateCodePoints } from '@todo/contracts';

/** One reminder as a mail shows it. */
export interface MailReminder {
  title: string;
  dueDate: string;
}

export interface MailInput {
  /** One reminder, a digest of several, or the Settings test. */
  kind: 'reminder' | 'digest' | 'test';
  reminders: MailReminder[];
  timeZone: string;
  /** 12-hour clock (3:05 PM) instead of 24-hour (15:05). */
  hour12?: boolean;
  /** Where the app shows the user's tasks. */
  appUrl: string;
  unsubscribeUrl: string;
}

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** "Fri 27 Nov, 13:32 (Europe/Berlin)" — the user's zone named, so a traveller is not misled. */
export function mailTime(iso: string, timeZone: string, hour12 = false): string {
  const text = new Intl.DateTimeFormat(hour12 ? 'en-US' : 'en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: hour12 ? 'numeric' : '2-digit',
    minute: '2-digit',
    hour12,
  }).format(new Date(iso));
  return `${text} (${timeZone})`;
}

const layout = (heading: string, inner: string, input: MailInput) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(heading)}</title></head>
<body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#1f1f1f;max-width:36rem;margin:0 auto;padding:1.5rem">
<h1 style="font-size:1.25rem;margin:0 0 1rem">${escapeHtml(heading)}</h1>
${inner}
<p style="margin:1.5rem 0"><a href="${escapeHtml(input.appUrl)}" style="background:#4a45b5;color:#fff;padding:.6rem 1rem;border-radius:.4rem;text-decoration:none">Open Todo Chatbot</a></p>
<p style="font-size:.8rem;color:#666">You get this because email reminders are on in Settings.
<a href="${escapeHtml(input.unsubscribeUrl)}" style="color:#666">Turn off reminder emails</a>.</p>
</body></html>`;

const footer = (input: MailInput) =>
  `\n\nOpen Todo Chatbot: ${input.appUrl}\n\n--\nYou get this because email reminders are on in Settings.\nTurn off reminder emails: ${input.unsubscribeUrl}\n`;

/**
 * The mail of one notification, HTML and plain text saying the same: the task title(s), the
 * due time in the user's zone, a link to the app and one to stop these mails.
 */
export function composeMail(input: MailInput): MailContent {
  const when = (r: MailReminder) => mailTime(r.dueDate, input.timeZone, input.hour12);
  if (input.kind === 'test') {
    const line =
      'This is the test notification you asked for in Settings: email reminders reach you.';
    return {
      subject: 'Test notification from Todo Chatbot',
      text: `${line}${footer(input)}`,
      html: layout('Test notification', `<p>${escapeHtml(line)}</p>`, input),
    };
  }
  const [first] = input.reminders;
  if (input.kind === 'reminder' && first) {
    return {
      subject: truncateCodePoints(`Reminder: ${first.title}`, 200),
      text: `Reminder: "${first.title}" is due ${when(first)}.${footer(input)}`,
      html: layout(
        `Reminder: ${first.title}`,
        `<p>&ldquo;${escapeHtml(first.title)}&rdquo; is due <strong>${escapeHtml(when(first))}</strong>.</p>`,
        input,
      ),
    };
  }
  const count = input.reminders.length;
  return {
    subject: `${count} reminders from Todo Chatbot`,
    text: `${count} tasks are due:\n${input.reminders.map((r) => `• ${r.title} — due ${when(r)}`).join('\n')}${footer(input)}`,
    html: layout(
      `${count} reminders`,
      `<ul style="padding-left:1.2rem">${input.reminders
        .map(
          (r) =>
            `<li style="margin:.3rem 0">${escapeHtml(r.title)} &mdash; due <strong>${escapeHtml(when(r))}</strong></li>`,
        )
        .join('')}</ul>`,
      input,
    ),
  };
}
