// The stack's mail catcher, for browser tests that follow a link someone was mailed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const decode = (html) =>
  html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** The link in the newest mail to `to` whose subject matches, as `stack`'s mail catcher shows it. */
export async function linkFromMail(stack, to, subject) {
  const { bullBoardPassword } = JSON.parse(
    readFileSync(join(stack.dataDir, 'dev-secrets.json'), 'utf8'),
  );
  const headers = {
    authorization: `Basic ${Buffer.from(`admin:${bullBoardPassword}`).toString('base64')}`,
  };
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const list = await (await fetch(`${stack.url}/admin/mail`, { headers })).text();
    // Rows are newest first: <td>to</td><td><a href="/admin/mail/<id>">subject</a></td>
    const row = [
      ...list.matchAll(/<td>([^<]*)<\/td><td><a href="(\/admin\/mail\/[0-9a-f-]+)">([^<]*)<\/a>/g),
    ].find(([, rcpt, , subj]) => decode(rcpt).includes(to) && subject.test(decode(subj)));
    if (row) {
      const mail = await (await fetch(`${stack.url}${row[2]}`, { headers })).text();
      const text = decode(/<h2>Plain text<\/h2><pre>([\s\S]*?)<\/pre>/.exec(mail)?.[1] ?? '');
      const link = /https?:\/\/\S+/.exec(text)?.[0];
      assert.ok(link, `a link in the mail: ${text}`);
      return link;
    }
    // The mail leaves after the answer (ADR 260): ask the catcher again shortly.
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no mail "${subject}" to ${to} within 15 s`);
}
