import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitizeEmailHtml } from './html.js';
import { parseMail } from './parse-mail.js';
import type { ParseOutcome } from './parsed-mail.js';

/**
 * Whatever bytes arrive, parseMail resolves (never throws, never hangs) and everything it hands
 * out is storable text: no NUL, no lone surrogate.
 */

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures');
const seeds = ['nested-multipart', 'reply-gmail', 'dsn-bounce', 'rfc2231-filename', 'html-only-script'].map((name) =>
  fs.readFileSync(path.join(fixtures, `${name}.eml`)),
);
const BOUND_MS = 5000;
const CODES = new Set([
  'mail.too_large',
  'mail.header_too_large',
  'mail.too_many_headers',
  'mail.mime_too_deep',
  'mail.too_many_parts',
  'mail.too_many_parameters',
  'mail.unparseable',
  'mail.parse_timeout',
]);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value) && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      out.push(key);
      strings(item, out);
    }
  }
  return out;
}

async function parseWithinBound(raw: Buffer): Promise<ParseOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`parseMail did not resolve within ${BOUND_MS} ms`)), BOUND_MS);
  });
  try {
    return await Promise.race([parseMail(raw), hang]);
  } finally {
    clearTimeout(timer);
  }
}

function checkOutcome(outcome: ParseOutcome): void {
  for (const value of strings(outcome)) {
    expect(value.includes('\u0000')).toBe(false);
    expect(LONE_SURROGATE.test(value)).toBe(false);
  }
  if (outcome.ok) {
    if (outcome.mail.text.trim() !== '') expect(outcome.mail.visibleText.trim()).not.toBe('');
    expect(outcome.mail.subject.length).toBeLessThanOrEqual(998);
    expect(Object.keys(outcome.mail.headers).length).toBeLessThanOrEqual(200);
  } else {
    expect(CODES.has(outcome.quarantine.code)).toBe(true);
    expect(outcome.quarantine.reason).not.toBe('');
  }
}

/** A mutation of a real message: cut, spliced with random lines, boundaries or bytes. */
const mutated = fc
  .record({
    seed: fc.constantFrom(...seeds),
    cut: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
    inserts: fc.array(
      fc.record({
        at: fc.double({ min: 0, max: 1, noNaN: true }),
        text: fc.oneof(
          fc.string({ maxLength: 80 }).map((s) => `${s}\r\n`),
          fc.constantFrom(
            '--',
            '\r\n\r\n',
            '\u0000',
            '=?utf-8?q?=C3?=',
            'Content-Type: multipart/mixed; boundary=x\r\n',
            '--x\r\n',
            '--x--\r\n',
          ),
          fc.string({ unit: 'binary', maxLength: 40 }),
          fc.stringMatching(/^[A-Za-z-]{1,20}: [ -~]{0,60}\r\n$/),
        ),
      }),
      { maxLength: 8 },
    ),
    flips: fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), byte: fc.integer({ min: 0, max: 255 }) }), {
      maxLength: 8,
    }),
  })
  .map(({ seed, cut, inserts, flips }) => {
    let raw = Buffer.from(seed);
    for (const { at, byte } of flips) if (raw.length > 0) raw[Math.floor(at * (raw.length - 1))] = byte;
    for (const { at, text } of inserts) {
      const pos = Math.floor(at * raw.length);
      raw = Buffer.concat([raw.subarray(0, pos), Buffer.from(text, 'utf8'), raw.subarray(pos)]);
    }
    return cut === null ? raw : raw.subarray(0, Math.floor(cut * raw.length));
  });

/** A random MIME tree: multiparts, embedded messages and leaves, nested up to 30 deep. */
const tree: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc
      .record({ type: fc.constantFrom('text/plain', 'text/html', 'image/png', 'application/pdf'), body: fc.string({ maxLength: 40 }) })
      .map(({ type, body }) => `Content-Type: ${type}\r\n\r\n${body}`),
    fc
      .record({
        sub: fc.constantFrom('mixed', 'alternative', 'related', 'report'),
        boundary: fc.stringMatching(/^[A-Za-z0-9'()+_,-./:=?]{1,30}$/),
        children: fc.array(tie('node'), { maxLength: 3 }),
      })
      .map(({ sub, boundary, children }) => {
        const parts = children.map((child) => `--${boundary}\r\n${child}\r\n`).join('');
        return `Content-Type: multipart/${sub}; boundary="${boundary}"\r\n\r\n${parts}--${boundary}--`;
      }),
    tie('node').map((inner) => `Content-Type: message/rfc822\r\n\r\nSubject: inner\r\n${inner}`),
  ),
})).node;

const deep = fc.integer({ min: 0, max: 40 }).map((depth) => {
  let head = 'From: a@example.com\r\n';
  let tail = '';
  for (let i = 0; i < depth; i++) {
    head += `Content-Type: multipart/mixed; boundary="n${i}"\r\n\r\n--n${i}\r\n`;
    tail = `\r\n--n${i}--${tail}`;
  }
  return { depth, raw: Buffer.from(`${head}Content-Type: text/plain\r\n\r\nx${tail}\r\n`) };
});

describe('parseMail properties', () => {
  it('arbitrary bytes: resolves within the bound, output storable', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), async (bytes) => {
        checkOutcome(await parseWithinBound(Buffer.from(bytes)));
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary text that looks like mail: resolves, output storable', async () => {
    const line = fc.oneof(
      fc.stringMatching(/^[A-Za-z-]{1,15}: [^\r\n]{0,60}$/),
      fc.string({ maxLength: 60 }),
      fc.constantFrom('', '--b', '--b--', 'Content-Type: multipart/mixed; boundary=b', '> quoted', 'On Mon, X <x@y.z> wrote:', '-- '),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 40 }), fc.constantFrom('\r\n', '\n'), async (lines, eol) => {
        checkOutcome(await parseWithinBound(Buffer.from(lines.join(eol))));
      }),
      { numRuns: 300 },
    );
  });

  it('mutations of real messages: resolves, output storable', async () => {
    await fc.assert(
      fc.asyncProperty(mutated, async (raw) => {
        checkOutcome(await parseWithinBound(raw));
      }),
      { numRuns: 250 },
    );
  });

  it('random MIME trees: parsed or quarantined for a limit, never anything else', async () => {
    await fc.assert(
      fc.asyncProperty(tree, async (node) => {
        const outcome = await parseWithinBound(Buffer.from(`From: a@example.com\r\nMessage-ID: <t@example.com>\r\n${node}\r\n`));
        checkOutcome(outcome);
        if (!outcome.ok) expect(['mail.mime_too_deep', 'mail.too_many_parts']).toContain(outcome.quarantine.code);
      }),
      { numRuns: 200 },
    );
  });

  it('nesting depth: parsed up to the limit, quarantined past it', async () => {
    await fc.assert(
      fc.asyncProperty(deep, async ({ depth, raw }) => {
        const outcome = await parseWithinBound(raw);
        checkOutcome(outcome);
        if (depth <= 20) expect(outcome.ok).toBe(true);
        else expect(outcome.ok ? null : outcome.quarantine.code).toBe('mail.mime_too_deep');
      }),
      { numRuns: 100 },
    );
  });

  it('sanitized HTML never carries scripts, handlers or javascript: URLs', () => {
    const piece = fc.constantFrom(
      '<script>alert(1)</script>',
      '<scr<script>ipt>',
      '<img src=x onerror=alert(1)>',
      '<a href="javascript:alert(1)">',
      '<a href="jav&#x61;script:x">',
      '<svg onload=alert(1)>',
      '<iframe src=//e>',
      '<style>*{}</style>',
      '<p style="background:url(javascript:x)">',
      '<!--',
      '-->',
      '<',
      '>',
      '"',
      "'",
      '=',
      ' on',
      'click',
      '<b>',
      '</b>',
      'text',
      '&lt;',
      '<math><mi xlink:href="javascript:x">',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const html = sanitizeEmailHtml(pieces.join(''));
        expect(html).not.toMatch(/<\/?(?:script|iframe|svg|style|math)\b/i);
        // text may say anything (it is escaped); tags may not carry handlers or script URLs
        for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) {
          expect(tag).not.toMatch(/\son[a-z]+\s*=|(?:href|src)="\s*javascript:/i);
        }
      }),
      { numRuns: 500 },
    );
  });
});
