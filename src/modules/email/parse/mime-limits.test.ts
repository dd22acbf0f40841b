import { describe, expect, it } from 'vitest';
import { scanMime, type MimeScanResult } from './mime-limits.js';
import { DEFAULT_MAIL_LIMITS, type MailLimits } from './parsed-mail.js';

const limits = (overrides: Partial<MailLimits> = {}): MailLimits => ({ ...DEFAULT_MAIL_LIMITS, ...overrides });
const crlf = (text: string) => Buffer.from(text.replace(/\r?\n/g, '\r\n'));

function violation(result: MimeScanResult): { code: string; reason: string } {
  if (result.ok) throw new Error('expected a limit violation');
  return { code: result.code, reason: result.reason };
}

/** A message whose text part sits inside `depth` nested multiparts. */
function nested(depth: number): Buffer {
  let head = 'From: a@example.com\nSubject: nested\n';
  let tail = '';
  for (let i = 0; i < depth; i++) {
    head += `Content-Type: multipart/mixed; boundary="d${i}"\n\n--d${i}\n`;
    tail = `\n--d${i}--${tail}`;
  }
  return crlf(`${head}Content-Type: text/plain\n\ninnermost${tail}\n`);
}

/** A multipart/mixed message with `count` text parts (count + 1 MIME entities with the root). */
function parts(count: number): Buffer {
  let body = '';
  for (let i = 0; i < count; i++) body += `--p\nContent-Type: text/plain\n\npart ${i}\n`;
  return crlf(`From: a@example.com\nContent-Type: multipart/mixed; boundary=p\n\n${body}--p--\n`);
}

describe('scanMime limits', () => {
  it('total size: at the limit passes, one byte over is refused', () => {
    const raw = crlf('Subject: size\n\nbody\n');
    expect(scanMime(raw, limits({ maxBytes: raw.length })).ok).toBe(true);
    expect(violation(scanMime(raw, limits({ maxBytes: raw.length - 1 })))).toEqual({
      code: 'mail.too_large',
      reason: `Message size ${raw.length} bytes exceeds the limit of ${raw.length - 1} bytes`,
    });
  });

  it('header block bytes: at the limit passes, one byte over is refused', () => {
    // "Subject: " (9) + value + CRLF (2)
    const header = (bytes: number) => crlf(`Subject: ${'x'.repeat(bytes - 11)}\n\nbody\n`);
    expect(scanMime(header(1000), limits({ maxHeaderBytes: 1000 })).ok).toBe(true);
    expect(violation(scanMime(header(1001), limits({ maxHeaderBytes: 1000 })))).toEqual({
      code: 'mail.header_too_large',
      reason: 'Header block of 1001 bytes exceeds the limit of 1000 bytes',
    });
  });

  it('header block without an end (no empty line) is measured to the end of the message', () => {
    const raw = crlf(`${'X-Filler: 0123456789\n'.repeat(100)}`);
    expect(violation(scanMime(raw, limits({ maxHeaderBytes: 1000 }))).code).toBe('mail.header_too_large');
  });

  it('header field count: at the limit passes, one more is refused (folded lines do not count)', () => {
    const raw = (count: number) => crlf(`${'X-Trace: a\n b\n'.repeat(count)}\nbody\n`);
    expect(scanMime(raw(10), limits({ maxHeaderCount: 10 })).ok).toBe(true);
    expect(violation(scanMime(raw(11), limits({ maxHeaderCount: 10 })))).toEqual({
      code: 'mail.too_many_headers',
      reason: 'Header field count 11 exceeds the limit of 10',
    });
  });

  it('MIME depth: at the limit passes, one level deeper is refused', () => {
    expect(scanMime(nested(5), limits({ maxMimeDepth: 5 })).ok).toBe(true);
    expect(violation(scanMime(nested(6), limits({ maxMimeDepth: 5 })))).toEqual({
      code: 'mail.mime_too_deep',
      reason: 'MIME nesting depth 6 exceeds the limit of 5',
    });
    expect(violation(scanMime(nested(31), DEFAULT_MAIL_LIMITS)).reason).toBe('MIME nesting depth 21 exceeds the limit of 20');
  });

  it('MIME depth counts embedded messages (message/rfc822) as a level', () => {
    const raw = crlf(`Content-Type: multipart/mixed; boundary=o

--o
Content-Type: message/rfc822

Subject: inner
Content-Type: multipart/mixed; boundary=i

--i
Content-Type: text/plain

inner text
--i--
--o--
`);
    const ok = scanMime(raw, limits({ maxMimeDepth: 3 }));
    expect(ok.ok).toBe(true);
    expect(violation(scanMime(raw, limits({ maxMimeDepth: 2 }))).code).toBe('mail.mime_too_deep');
  });

  it('part count: at the limit passes, one more part is refused', () => {
    expect(scanMime(parts(9), limits({ maxParts: 10 })).ok).toBe(true);
    expect(violation(scanMime(parts(10), limits({ maxParts: 10 })))).toEqual({
      code: 'mail.too_many_parts',
      reason: 'MIME part count 11 exceeds the limit of 10',
    });
  });

  it('parameter count per header: at the limit passes, one more is refused (top level and parts)', () => {
    const params = (n: number) => Array.from({ length: n }, (_, i) => `p${i}=v${i}`).join('; ');
    const top = (n: number) => crlf(`Content-Type: text/plain; ${params(n)}\n\nbody\n`);
    expect(scanMime(top(8), limits({ maxParameters: 8 })).ok).toBe(true);
    expect(violation(scanMime(top(9), limits({ maxParameters: 8 })))).toEqual({
      code: 'mail.too_many_parameters',
      reason: 'Content-Type header of the message has 9 parameters, over the limit of 8',
    });
    const part = crlf(`Content-Type: multipart/mixed; boundary=b

--b
Content-Type: application/pdf
Content-Disposition: attachment;
 ${params(9).replace(/; /g, ';\n ')}

x
--b--
`);
    expect(violation(scanMime(part, limits({ maxParameters: 8 })))).toEqual({
      code: 'mail.too_many_parameters',
      reason: 'Content-Disposition header of MIME part 1 has 9 parameters, over the limit of 8',
    });
    // semicolons inside quoted strings are not parameters
    expect(scanMime(crlf('Content-Type: text/plain; name="a;b;c;d;e;f;g;h;i;j"\n\nx\n'), limits({ maxParameters: 1 })).ok).toBe(true);
  });

  it('a part header block over the header limit is refused', () => {
    const raw = crlf(`Content-Type: multipart/mixed; boundary=b

--b
Content-Type: text/plain
X-Big: ${'y'.repeat(3000)}

x
--b--
`);
    expect(violation(scanMime(raw, limits({ maxHeaderBytes: 2000 })))).toEqual({
      code: 'mail.header_too_large',
      reason: 'Header block of MIME part 1 is larger than the limit of 2000 bytes',
    });
  });

  it('scans large messages linearly', () => {
    const line = `${'A'.repeat(76)}\r\n`;
    const raw = Buffer.concat([
      crlf(
        'Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n',
      ),
      Buffer.from(line.repeat(120_000)),
      crlf('--b--\n'),
    ]);
    const started = performance.now();
    expect(scanMime(raw, DEFAULT_MAIL_LIMITS).ok).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('scanMime outline', () => {
  it('gives the top-level fields and each part with its type, charset, encoding and byte range', () => {
    const raw = crlf(`From: a@example.com
Subject: =?utf-8?q?hi?=
Content-Type: multipart/alternative;
 boundary="outer b"

preamble
--outer b
Content-Type: text/plain; charset="ISO-8859-1"
Content-Transfer-Encoding: quoted-printable

plain
--outer b   
Content-Type: text/html; charset=utf-8

<p>html</p>
--outer b--
epilogue
`);
    const result = scanMime(raw, DEFAULT_MAIL_LIMITS);
    if (!result.ok) throw new Error(result.reason);
    const { headers, entities } = result.scan;
    expect(headers.map((h) => h.name)).toEqual(['from', 'subject', 'content-type']);
    expect(headers[2]!.value).toBe(' multipart/alternative; boundary="outer b"');
    expect(entities.map((e) => [e.contentType, e.charset, e.transferEncoding, e.depth, e.parent])).toEqual([
      ['multipart/alternative', null, '', 0, -1],
      ['text/plain', 'ISO-8859-1', 'quoted-printable', 1, 0],
      ['text/html', 'utf-8', '', 1, 0],
    ]);
    const body = (i: number) => raw.subarray(entities[i]!.bodyStart, entities[i]!.bodyEnd).toString();
    expect(body(1)).toBe('plain');
    expect(body(2)).toBe('<p>html</p>');
  });

  it('treats bare LF like CRLF and does not take a longer boundary for a shorter one', () => {
    const raw = Buffer.from(`Content-Type: multipart/mixed; boundary=ab

--ab
Content-Type: multipart/alternative; boundary=ab-1

--ab-1
Content-Type: text/plain

inner
--ab-1--
--ab
Content-Type: text/plain

second
--ab--
`);
    const result = scanMime(raw, DEFAULT_MAIL_LIMITS);
    if (!result.ok) throw new Error(result.reason);
    const { entities } = result.scan;
    expect(entities.map((e) => [e.contentType || 'text/plain', e.depth, e.parent])).toEqual([
      ['multipart/mixed', 0, -1],
      ['multipart/alternative', 1, 0],
      ['text/plain', 2, 1],
      ['text/plain', 1, 0],
    ]);
    expect(raw.subarray(entities[2]!.bodyStart, entities[2]!.bodyEnd).toString()).toBe('inner');
    expect(raw.subarray(entities[3]!.bodyStart, entities[3]!.bodyEnd).toString()).toBe('second');
  });

  it('follows an embedded message into its own header block', () => {
    const raw = crlf(`Content-Type: multipart/report; report-type=delivery-status; boundary=r

--r
Content-Type: message/rfc822

Message-ID: <orig@example.com>
Subject: original

original body
--r--
`);
    const result = scanMime(raw, DEFAULT_MAIL_LIMITS);
    if (!result.ok) throw new Error(result.reason);
    const [root, message, inner] = result.scan.entities;
    expect(root!.reportType).toBe('delivery-status');
    expect(message!.contentType).toBe('message/rfc822');
    expect(inner!.parent).toBe(1);
    expect(raw.subarray(message!.bodyStart, message!.bodyEnd).toString()).toMatch(/^Message-ID: <orig@example.com>\r\n/);
  });
});
