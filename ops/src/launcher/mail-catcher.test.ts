import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createLogger, createMailer } from '@todo/platform';
import { mailCatcherPages, startMailCatcher, type MailCatcher } from '../infra/mail-catcher.js';

describe('the local mail catcher (npm start without SMTP_URL)', () => {
  let catcher: MailCatcher;
  let pages: ReturnType<typeof mailCatcherPages>;
  let base: string;
  const login = `Basic ${Buffer.from('admin:board-password').toString('base64')}`;

  before(async () => {
    catcher = await startMailCatcher();
    pages = mailCatcherPages(catcher, { user: 'admin', password: 'board-password' });
    pages.listen(0, '127.0.0.1');
    await once(pages, 'listening');
    base = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
  });

  after(async () => {
    pages?.close();
    await catcher?.stop();
  });

  it('keeps what the shared mailer sends and shows it at /admin/mail behind the admin login', async () => {
    const mailer = createMailer({
      smtpUrl: catcher.smtpUrl,
      from: '"Todo" <todo@example.test>',
      logger: createLogger({ service: 'test', level: 'warn' }),
    });
    await mailer.send({
      to: 'ada@example.test',
      subject: 'Reminder: <Team sync>',
      text: 'Team sync is due.',
      html: '<p>Team sync is due.<script>alert(1)</script></p>',
    });
    mailer.close();
    const mail = await catcher.next((m) => m.envelope.to.includes('ada@example.test'));
    assert.equal(mail.parsed.subject, 'Reminder: <Team sync>');

    assert.equal((await fetch(`${base}/admin/mail`)).status, 401);
    assert.equal((await fetch(`${base}/health/ready`)).status, 200);
    const list = await fetch(`${base}/admin/mail`, { headers: { authorization: login } });
    assert.equal(list.status, 200);
    const html = await list.text();
    assert.ok(html.includes('Reminder: &lt;Team sync&gt;'), 'the subject, escaped');
    assert.ok(html.includes(`/admin/mail/${mail.id}`));
    const detail = await fetch(`${base}/admin/mail/${mail.id}`, {
      headers: { authorization: login },
    });
    const page = await detail.text();
    assert.match(page, /<pre>Team sync is due\.\n?<\/pre>/);
    // The mail's HTML only inside a sandboxed frame, escaped into srcdoc: its script never runs here.
    assert.match(page, /<iframe sandbox [^>]*srcdoc="[^"]*&lt;script&gt;/);
    assert.match(detail.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  });

  it('answers SMTP refusals it is told to give (the tests of retries use this)', async () => {
    catcher.refuse = () => ({ code: 550, message: '5.1.1 no such user' });
    const mailer = createMailer({
      smtpUrl: catcher.smtpUrl,
      from: 'todo@example.test',
      logger: createLogger({ service: 'test', level: 'warn' }),
    });
    await assert.rejects(
      mailer.send({ to: 'x@example.test', subject: 's', text: 't', html: '<p>t</p>' }),
      (error: { responseCode?: number }) => error.responseCode === 550,
    );
    mailer.close();
    catcher.refuse = null;
  });
});
