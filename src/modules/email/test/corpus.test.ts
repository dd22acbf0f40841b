import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMail } from '../parse/parse-mail.js';
import type { MailLimits, ParsedMail } from '../parse/parsed-mail.js';

/**
 * The fixture corpus (Zammad style): every fixtures/<name>.eml is parsed and compared with
 * fixtures/<name>.json, a subset of ParsedMail (only the keys it names are compared) plus a few
 * checks for long values (textIncludes, visibleTextStartsWith, htmlExcludes...), or the expected
 * quarantine code. A new case is a new pair of files.
 */

interface ExpectedAttachment {
  filename?: string;
  contentType?: string;
  size?: number;
  contentId?: string | null;
  inline?: boolean;
}

interface Expected {
  description: string;
  limits?: Partial<MailLimits>;
  quarantine?: string;
  reasonIncludes?: string;
  date?: string | null;
  html?: boolean;
  htmlIncludes?: string[];
  htmlExcludes?: string[];
  textIncludes?: string[];
  textExcludes?: string[];
  visibleTextStartsWith?: string;
  visibleTextIncludes?: string[];
  visibleTextExcludes?: string[];
  attachments?: ExpectedAttachment[];
  auto?: Partial<ParsedMail['auto']>;
  headers?: Record<string, string>;
  [key: string]: unknown;
}

const EXACT_KEYS = [
  'messageId',
  'inReplyTo',
  'references',
  'subject',
  'from',
  'replyTo',
  'to',
  'cc',
  'returnPath',
  'text',
  'visibleText',
  'bounce',
  'forwarded',
] as const;

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const names = fs
  .readdirSync(dir)
  .filter((file) => file.endsWith('.eml'))
  .map((file) => file.slice(0, -4))
  .sort();

/** Every string anywhere in the value (attachment bytes excluded). */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Buffer.isBuffer(value) || value instanceof Date || value === null) return out;
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (typeof value === 'object') {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      out.push(key);
      strings(item, out);
    }
  }
  return out;
}

describe('email fixture corpus', () => {
  it('has a pair of files for every fixture', () => {
    expect(names.length).toBeGreaterThanOrEqual(30);
    for (const name of names) expect(fs.existsSync(path.join(dir, `${name}.json`)), `${name}.json`).toBe(true);
  });

  it.each(names)('%s', async (name) => {
    const raw = fs.readFileSync(path.join(dir, `${name}.eml`));
    const expected = JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as Expected;
    const outcome = await parseMail(raw, expected.limits);

    if (expected.quarantine) {
      expect(outcome.ok, expected.description).toBe(false);
      if (outcome.ok) return;
      expect(outcome.quarantine.code).toBe(expected.quarantine);
      if (expected.reasonIncludes) expect(outcome.quarantine.reason).toContain(expected.reasonIncludes);
      return;
    }
    if (!outcome.ok) throw new Error(`${name} was quarantined: ${outcome.quarantine.code} ${outcome.quarantine.reason}`);
    const mail = outcome.mail;

    for (const key of EXACT_KEYS) {
      if (key in expected) expect(mail[key], `${name}: ${key}`).toEqual(expected[key]);
    }
    if ('date' in expected) expect(mail.date?.toISOString() ?? null, `${name}: date`).toBe(expected.date);
    if (expected.html !== undefined) expect(mail.html !== null, `${name}: html present`).toBe(expected.html);
    for (const part of expected.htmlIncludes ?? []) expect(mail.html, `${name}: html`).toContain(part);
    for (const part of expected.htmlExcludes ?? []) expect(mail.html ?? '', `${name}: html`).not.toContain(part);
    for (const part of expected.textIncludes ?? []) expect(mail.text, `${name}: text`).toContain(part);
    for (const part of expected.textExcludes ?? []) expect(mail.text, `${name}: text`).not.toContain(part);
    if (expected.visibleTextStartsWith !== undefined) {
      expect(mail.visibleText.startsWith(expected.visibleTextStartsWith), `${name}: visibleText starts with\n${mail.visibleText}`).toBe(
        true,
      );
    }
    for (const part of expected.visibleTextIncludes ?? []) expect(mail.visibleText, `${name}: visibleText`).toContain(part);
    for (const part of expected.visibleTextExcludes ?? []) expect(mail.visibleText, `${name}: visibleText`).not.toContain(part);
    if (expected.attachments) {
      const actual = mail.attachments.map((a, i) => {
        const want = expected.attachments![i] ?? {};
        return Object.fromEntries(Object.keys(want).map((key) => [key, key === 'size' ? a.bytes.length : a[key as keyof typeof a]]));
      });
      expect(actual, `${name}: attachments`).toEqual(expected.attachments);
    }
    if (expected.auto) expect(mail.auto, `${name}: auto`).toMatchObject(expected.auto);
    if (expected.headers) expect(mail.headers, `${name}: headers`).toMatchObject(expected.headers);

    // invariants of every parsed message
    for (const value of strings(mail))
      expect(value.includes('\u0000'), `${name}: NUL in ${JSON.stringify(value.slice(0, 80))}`).toBe(false);
    if (mail.text.trim() !== '') expect(mail.visibleText.trim()).not.toBe('');
  });
});
