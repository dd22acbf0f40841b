import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMail } from './parse-mail.js';
import type { ParsedMail } from './parsed-mail.js';

const crlf = (text: string) => Buffer.from(text.replace(/\r?\n/g, '\r\n'));

async function parsed(text: string | Buffer): Promise<ParsedMail> {
  const outcome = await parseMail(typeof text === 'string' ? crlf(text) : text);
  if (!outcome.ok) throw new Error(`quarantined: ${outcome.quarantine.code} ${outcome.quarantine.reason}`);
  return outcome.mail;
}

describe('parseMail refusals', () => {
  it('never throws: a non-buffer and an empty message are quarantined as unparseable', async () => {
    const notBuffer = await parseMail('From: a@example.com\r\n\r\nhi' as unknown as Buffer);
    expect(notBuffer).toEqual({ ok: false, quarantine: { code: 'mail.unparseable', reason: 'The message is not a byte buffer' } });
    expect(await parseMail(Buffer.alloc(0))).toEqual({
      ok: false,
      quarantine: { code: 'mail.unparseable', reason: 'The message is empty' },
    });
    expect((await parseMail(Buffer.from('\r\n \r\n'))).ok).toBe(false);
  });

  it('applies partial limits and ignores missing or invalid values', async () => {
    const raw = crlf('Subject: x\n\nbody\n');
    const tooSmall = await parseMail(raw, { maxBytes: 5 });
    expect(tooSmall.ok ? null : tooSmall.quarantine.code).toBe('mail.too_large');
    expect((await parseMail(raw, { maxBytes: undefined, maxParts: Number.NaN, maxMimeDepth: -1 })).ok).toBe(true);
  });

  it('quarantines a parse that runs out of time', async () => {
    const big = Buffer.concat([
      crlf(
        'Subject: big\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n',
      ),
      Buffer.from(`${'QUJD'.repeat(19)}\r\n`.repeat(40_000)),
      crlf('--b--\n'),
    ]);
    const outcome = await parseMail(big, {}, { timeoutMs: 1 });
    expect(outcome).toEqual({
      ok: false,
      quarantine: { code: 'mail.parse_timeout', reason: 'Parsing took longer than the limit of 1 ms' },
    });
  });

  it('quarantines HTML nested absurdly deep instead of feeding it to the sanitizer', async () => {
    const outcome = await parseMail(crlf(`Content-Type: text/html\n\n${'<div>'.repeat(1500)}x`));
    expect(outcome.ok ? null : outcome.quarantine).toEqual({
      code: 'mail.unparseable',
      reason: 'HTML part nests elements more than 1000 levels deep',
    });
  });
});

describe('parseMail headers', () => {
  it('reads message ids without brackets, splits and de-duplicates references', async () => {
    const mail = await parsed(`Message-ID:   <a1@example.com>  (comment)
In-Reply-To: <p1@example.com> (Support's message of Tue)
References: <r1@example.com>
 <r2@example.com> <r1@example.com>
References: <r3@example.com>

x
`);
    expect(mail.messageId).toBe('a1@example.com');
    expect(mail.inReplyTo).toEqual(['p1@example.com']);
    expect(mail.references).toEqual(['r1@example.com', 'r2@example.com', 'r3@example.com']);
  });

  it('takes ids without brackets from broken mailers', async () => {
    const mail = await parsed('Message-ID: 1234.5678@legacy.example\nIn-Reply-To: abc@legacy.example\n\nx\n');
    expect(mail.messageId).toBe('1234.5678@legacy.example');
    expect(mail.inReplyTo).toEqual(['abc@legacy.example']);
  });

  it('lower-cases addresses, keeps plus addressing, decodes and cleans names, flattens groups', async () => {
    const mail = await parsed(`From: =?UTF-8?B?${Buffer.from('Eve \u202egnp.exe\u0007').toString('base64')}?= <Eve+Tag@Example.COM>
To: undisclosed-recipients:;
Cc: Team: a@example.com, "B, Person" <B@Example.com>;, =?utf-8?q?x?=@evil.example, not-an-address
Reply-To: <replies@example.com>

x
`);
    expect(mail.from).toEqual({ address: 'eve+tag@example.com', name: 'Eve gnp.exe' });
    expect(mail.to).toEqual([]);
    expect(mail.cc).toEqual([
      { address: 'a@example.com', name: '' },
      { address: 'b@example.com', name: 'B, Person' },
    ]);
    expect(mail.replyTo).toEqual([{ address: 'replies@example.com', name: '' }]);
  });

  it('reads the date leniently and gives null when it does not parse', async () => {
    expect((await parsed('Date: Tue, 5 Mar 2024 10:00:00 +0100 (CET)\n\nx\n')).date?.toISOString()).toBe('2024-03-05T09:00:00.000Z');
    expect((await parsed('Date: yesterday-ish\n\nx\n')).date).toBeNull();
    expect((await parsed('Subject: no date\n\nx\n')).date).toBeNull();
  });

  it('gives the Return-Path, empty for the null sender', async () => {
    expect((await parsed('Return-Path: <>\n\nx\n')).returnPath).toBe('');
    expect((await parsed('Return-Path: <Bounce@Example.com>\n\nx\n')).returnPath).toBe('bounce@example.com');
    expect((await parsed('Subject: x\n\nx\n')).returnPath).toBeNull();
  });

  it('bounds the header map: 200 names, 2,000 characters each, first value wins', async () => {
    const many = Array.from({ length: 250 }, (_, i) => `X-H${i}: ${i}`).join('\n');
    const mail = await parsed(`Subject: first\nSubject: second\nX-Long: ${'y'.repeat(5000)}\n${many}\n\nx\n`);
    expect(Object.keys(mail.headers)).toHaveLength(200);
    expect(mail.headers.subject).toBe('first');
    expect(mail.headers['x-long']).toHaveLength(2000);
    expect(mail.subject).toBe('first');
  });

  it('limits the subject to 998 characters and removes control characters', async () => {
    const mail = await parsed(`Subject: a\tb${'c'.repeat(2000)}\n\nx\n`);
    expect(mail.subject).toHaveLength(998);
    expect(mail.subject.startsWith('a bccc')).toBe(true);
  });
});

describe('parseMail automatic-mail signals', () => {
  const auto = async (headers: string) => (await parsed(`${headers}\n\nx\n`)).auto;

  it('reads RFC 3834 and common-practice signals', async () => {
    expect((await auto('Auto-Submitted: no\nFrom: a@example.com')).autoSubmitted).toBe(false);
    expect((await auto('Auto-Submitted: auto-generated; owner-email="x@example.com"')).autoSubmitted).toBe(true);
    expect((await auto('Precedence: bulk')).bulkPrecedence).toBe(true);
    expect((await auto('Precedence: junk')).bulkPrecedence).toBe(true);
    expect((await auto('Precedence: normal')).bulkPrecedence).toBe(false);
    expect((await auto('List-Unsubscribe: <mailto:u@example.com>')).listHeaders).toBe(true);
    expect((await auto('X-Autoreply: yes')).vendorAutoReply).toBe(true);
    expect((await auto('X-Autorespond: yes')).vendorAutoReply).toBe(true);
    expect((await auto('X-Autogenerated: Reply')).vendorAutoReply).toBe(true);
    expect((await auto('X-Baton-Loop: support@baton.test')).ownLoop).toBe(true);
  });

  it('recognises null and daemon senders', async () => {
    expect((await auto('Return-Path: <>\nFrom: a@example.com')).nullOrDaemonSender).toBe(true);
    expect((await auto('From: Postmaster <POSTMASTER@example.com>')).nullOrDaemonSender).toBe(true);
    expect((await auto('From: noreply+news@example.com')).nullOrDaemonSender).toBe(true);
    expect((await auto('From: do-not-reply@example.com')).nullOrDaemonSender).toBe(true);
    expect((await auto('From: a@example.com\nReturn-Path: <mailer-daemon@example.com>')).nullOrDaemonSender).toBe(true);
    expect((await auto('From: replies@example.com\nReturn-Path: <a@example.com>')).nullOrDaemonSender).toBe(false);
  });
});

describe('parseMail forwards', () => {
  it('knows forward prefixes in several languages, not reply prefixes', async () => {
    for (const subject of ['Fwd: x', 'FW: x', 'WG: x', 'TR: x', '[list] Fwd: x']) {
      expect((await parsed(`Subject: ${subject}\n\nx\n`)).forwarded, subject).toBe(true);
    }
    for (const subject of ['Re: Fwd: x', 'AW: x', 'Forward planning']) {
      expect((await parsed(`Subject: ${subject}\n\nx\n`)).forwarded, subject).toBe(false);
    }
  });

  it("takes a forward marker in a reply's quoted history for what it is: a reply", async () => {
    const mail = await parsed(`Subject: Re: invoice

Thanks.

On Tue, Mar 5, 2024 at 10:00 AM Lisa <lisa@example.com> wrote:
> ---------- Forwarded message ---------
> old
`);
    expect(mail.forwarded).toBe(false);
    expect(mail.visibleText).toBe('Thanks.');
  });
});

describe('parseMail bodies', () => {
  it('converts HTML-only mail to text and splits its quoted history', async () => {
    const mail = await parsed(`Content-Type: text/html; charset=utf-8

<div>Works now, thanks!</div><div class="gmail_quote"><div class="gmail_attr">On Tue, Mar 5, 2024 at 10:00 AM Support &lt;s@example.com&gt; wrote:<br></div><blockquote class="gmail_quote">Please try again.</blockquote></div>
`);
    expect(mail.text).toBe('Works now, thanks!\nOn Tue, Mar 5, 2024 at 10:00 AM Support <s@example.com> wrote:\n\n> Please try again.');
    expect(mail.visibleText).toBe('Works now, thanks!');
    expect(mail.html).toContain('<blockquote class="gmail_quote">Please try again.</blockquote>');
  });

  it('marks an attachment inline only when the HTML shows it', async () => {
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    const mail = await parsed(`Content-Type: multipart/related; boundary=r

--r
Content-Type: text/html

<img src="cid:shown@x">
--r
Content-Type: image/png
Content-ID: <shown@x>
Content-Transfer-Encoding: base64

${png}
--r
Content-Type: image/png
Content-ID: <unused@x>
Content-Disposition: inline; filename=unused.png
Content-Transfer-Encoding: base64

${png}
--r--
`);
    expect(mail.attachments.map((a) => [a.filename, a.contentId, a.inline, a.bytes.length])).toEqual([
      ['attachment-1.png', 'shown@x', true, 70],
      ['unused.png', 'unused@x', false, 70],
    ]);
  });

  it('recovers 8-bit text whose declared charset is wrong', async () => {
    const raw = Buffer.concat([
      crlf('Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n'),
      Buffer.from('Gr\xfc\xdfe\r\n', 'latin1'),
    ]);
    expect((await parsed(raw)).text).toBe('Grüße\n');
  });

  it('parses a message without header fields', async () => {
    const mail = await parsed(Buffer.from('\r\njust a body after an empty header block'));
    expect(mail.from).toBeNull();
    expect(mail.messageId).toBeNull();
    expect(mail.subject).toBe('');
    expect(mail.text).toBe('just a body after an empty header block');
  });
});

describe('parseMail line endings', () => {
  const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures');
  const comparable = (mail: ParsedMail) => ({
    ...mail,
    // text attachments keep their own line endings
    attachments: mail.attachments.map(({ bytes: _bytes, ...rest }) => rest),
  });

  it.each(['nested-multipart', 'reply-gmail', 'reply-outlook', 'dsn-bounce', 'rfc2231-filename', 'encoded-word-subject'])(
    '%s parses the same with bare LF as with CRLF',
    async (name) => {
      const raw = fs.readFileSync(path.join(fixtures, `${name}.eml`));
      const lf = Buffer.from(raw.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
      expect(comparable(await parsed(lf))).toEqual(comparable(await parsed(raw)));
    },
  );
});
