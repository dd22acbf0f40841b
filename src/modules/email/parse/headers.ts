import addressparser from 'nodemailer/lib/addressparser';
import { decodeEncodedWords, decodeRawHeader } from './charset.js';
import type { HeaderField } from './mime-limits.js';
import type { MailAddress } from './parsed-mail.js';
import { cleanLine, cleanName, cleanText, truncate } from './text-clean.js';

/**
 * Reading the top-level header fields the pre-scan collected: Message-IDs, addresses, subject,
 * date, Return-Path, and the bounded header map. Values arrive as raw bytes (latin1 strings);
 * 8-bit bytes are decoded as UTF-8 (RFC 6532) or, failing that, in the message's charset.
 */

const MAX_IDS = 200;
const MAX_ID_LENGTH = 995;
const MAX_ADDRESSES = 500;
const MAX_NAME = 256;
const MAX_HEADER_NAMES = 200;
const MAX_HEADER_VALUE = 2000;
export const MAX_SUBJECT = 998;

/** Header fields by lower-cased name, all values in order. */
export class HeaderIndex {
  private readonly byName = new Map<string, string[]>();

  constructor(
    readonly fields: HeaderField[],
    private readonly charset: string | null,
  ) {
    for (const field of fields) {
      const list = this.byName.get(field.name);
      if (list) list.push(field.value);
      else this.byName.set(field.name, [field.value]);
    }
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  names(): IterableIterator<string> {
    return this.byName.keys();
  }

  /** The first value as text (8-bit bytes decoded), trimmed; null when absent. */
  first(name: string): string | null {
    const raw = this.byName.get(name)?.[0];
    return raw === undefined ? null : decodeRawHeader(raw, this.charset).trim();
  }

  /** Every value as text, in header order. */
  all(name: string): string[] {
    return (this.byName.get(name) ?? []).map((raw) => decodeRawHeader(raw, this.charset).trim());
  }
}

function cleanId(id: string): string {
  // eslint-disable-next-line no-control-regex
  return truncate(cleanText(id).replace(/[\s\u0000-\u001f\u007f<>]+/g, ''), MAX_ID_LENGTH);
}

/**
 * Message-IDs in a header value, without angle brackets, de-duplicated, in order. Ids without
 * brackets (broken mailers) are taken from whitespace-separated tokens that contain an `@`.
 */
export function messageIdsOf(value: string | null): string[] {
  if (!value) return [];
  const found: string[] = [];
  const bracketed = value.match(/<[^<>]{1,1000}>/g);
  if (bracketed) for (const token of bracketed) found.push(cleanId(token));
  else for (const token of value.split(/[\s,]+/)) if (token.includes('@')) found.push(cleanId(token));
  const ids = [...new Set(found.filter((id) => id.length > 0))];
  // keep the root and the nearest ancestors when a References header is absurdly long
  return ids.length > MAX_IDS ? [ids[0]!, ...ids.slice(ids.length - MAX_IDS + 1)] : ids;
}

/** The Message-ID of a header value: the first bracketed id, else the first token; null when empty. */
export function messageIdOf(value: string | null): string | null {
  if (!value) return null;
  const ids = messageIdsOf(value);
  if (ids.length > 0) return ids[0]!;
  const token = cleanId(value.trim().split(/\s+/)[0] ?? '');
  return token.length > 0 ? token : null;
}

// eslint-disable-next-line no-control-regex
const SPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f]+/g;
const VALID_ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/;

function mailAddress(address: string | undefined, name: string | undefined): MailAddress | null {
  const clean = cleanText(address ?? '')
    .trim()
    .toLowerCase();
  // RFC 2047 keeps encoded words out of addresses: one there is a spoofing attempt, not an address.
  if (clean.length > 254 || clean.includes('=?') || !VALID_ADDRESS.test(clean)) return null;
  return { address: clean, name: cleanName(decodeEncodedWords(name ?? ''), MAX_NAME) };
}

/** Addresses of every value of an address header (groups flattened), lower-cased, names decoded. */
export function addressesOf(values: string[]): MailAddress[] {
  const out: MailAddress[] = [];
  for (const value of values) {
    for (const entry of addressparser(value, { flatten: true })) {
      const parsed = mailAddress(entry.address, entry.name);
      if (parsed) out.push(parsed);
      if (out.length >= MAX_ADDRESSES) return out;
    }
  }
  return out;
}

export function subjectOf(value: string | null): string {
  return value === null ? '' : cleanLine(decodeEncodedWords(value), MAX_SUBJECT);
}

export function dateOf(value: string | null): Date | null {
  if (!value) return null;
  // comments such as "(CET)" are legal in dates but not understood by Date
  const date = new Date(value.replace(/\([^()]*\)/g, ' ').trim());
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Return-Path: '' for the null sender `<>`, the lower-cased address otherwise, null when absent. */
export function returnPathOf(value: string | null): string | null {
  if (value === null) return null;
  const inner = /<([^<>]*)>/.exec(value)?.[1] ?? value;
  return truncate(cleanText(inner).replace(SPACE_OR_CONTROL, '').toLowerCase(), 254);
}

/** First value per lower-cased field name, bounded (200 names, 2,000 characters each). */
export function headerMap(headers: HeaderIndex): Record<string, string> {
  const map: Record<string, string> = {};
  let count = 0;
  for (const name of headers.names()) {
    if (count >= MAX_HEADER_NAMES) break;
    if (name.length > 100 || name === '__proto__') continue;
    // eslint-disable-next-line no-control-regex
    const value = cleanText(headers.first(name) ?? '').replace(/[\u0000-\u0008\u000b-\u001f\u007f]+/g, ' ');
    map[name] = truncate(value, MAX_HEADER_VALUE);
    count++;
  }
  return map;
}

/** Header fields of a header block given as bytes (an attached message, text/rfc822-headers). */
export function readHeaderBlock(bytes: Uint8Array, maxBytes: number): HeaderField[] {
  const text = Buffer.from(bytes.subarray(0, maxBytes)).toString('latin1');
  const fields: HeaderField[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break;
    if (line.startsWith(' ') || line.startsWith('\t')) {
      const last = fields[fields.length - 1];
      if (last) last.value += line;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    fields.push({ name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1) });
  }
  return fields;
}
