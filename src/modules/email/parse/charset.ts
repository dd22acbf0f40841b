import { TextDecoder } from 'node:util';

/**
 * Lenient decoding of mail bytes (CONVENTIONS.md: decode leniently with WHATWG labels, never throw
 * on bad bytes): charset labels go to TextDecoder; a label it does not know, and bytes that are not
 * the UTF-8 they claim to be, fall back to windows-1252, which maps every byte to a character.
 */

// Labels mail software writes that are not WHATWG labels but name a charset TextDecoder knows.
const ALIASES: Record<string, string> = {
  cp932: 'shift_jis',
  ms932: 'shift_jis',
  'windows-932': 'shift_jis',
  cp936: 'gbk',
  ms936: 'gbk',
  cp949: 'euc-kr',
  ms949: 'euc-kr',
  cp950: 'big5',
  ms950: 'big5',
  'iso-8859-8-e': 'iso-8859-8',
  'x-mac-roman': 'macintosh',
  utf8mb4: 'utf-8',
};

const ASCII_LABELS = new Set(['us-ascii', 'ascii', 'us_ascii', 'ansi_x3.4-1968', 'iso646-us', 'us']);

// UTF-7 can smuggle markup past a filter looking for "<" (+ADw-script+AD4-): never decoded as such.
const REFUSED = /^(?:x-)?(?:unicode-1-1-)?utf-?7(?:-imap)?$/;

const decoders = new Map<string, TextDecoder | null>();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

// Node 20's TextDecoder decodes windows-1252 (and the latin1 / us-ascii labels WHATWG maps to it)
// as ISO-8859-1: 0x80-0x9F come out as C1 controls instead of € ‚ ƒ „ … “ ” – — ™. The WHATWG
// table for that range, applied to a latin1 decode.
// prettier-ignore
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\x80-\x9f]/g, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80]!));
}

function normalizeLabel(label: string): string {
  // RFC 2231 / RFC 2184 language suffix: us-ascii*en
  const bare = label
    .split('*')[0]!
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  return ALIASES[bare] ?? bare;
}

/** A non-fatal decoder for the label, or null when TextDecoder does not know it (or it is refused). */
function decoderFor(label: string): TextDecoder | null {
  const name = normalizeLabel(label);
  if (name === '' || REFUSED.test(name)) return null;
  const cached = decoders.get(name);
  if (cached !== undefined) return cached;
  let decoder: TextDecoder | null;
  try {
    decoder = new TextDecoder(name);
  } catch {
    decoder = null;
  }
  if (decoders.size < 200) decoders.set(name, decoder);
  return decoder;
}

/** UTF-8 when the bytes are valid UTF-8, else windows-1252. */
function utf8OrLegacy(bytes: Uint8Array): string {
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return decodeWindows1252(bytes);
  }
}

/**
 * Bytes to text in the declared charset. UTF-8, US-ASCII, a missing label and an unknown label all
 * mean "UTF-8 if the bytes are UTF-8, else windows-1252" (8-bit mail that never declared its charset
 * is nearly always Latin-1 or windows-1252).
 */
export function decodeBytes(bytes: Uint8Array, label?: string | null): string {
  if (bytes.length === 0) return '';
  // WHATWG maps us-ascii to windows-1252; 8-bit bytes under an ASCII label are mostly UTF-8 though
  const decoder = label && !ASCII_LABELS.has(normalizeLabel(label)) ? decoderFor(label) : null;
  if (decoder === null || decoder.encoding === 'utf-8') return utf8OrLegacy(bytes);
  if (decoder.encoding === 'windows-1252') return decodeWindows1252(bytes);
  return decoder.decode(bytes);
}

/**
 * A raw header value (bytes held in a latin1 string, as read off the wire) as text: ASCII stays as
 * is, 8-bit bytes are UTF-8 (RFC 6532) when valid, else decoded with the fallback charset.
 */
export function decodeRawHeader(latin1: string, fallbackCharset?: string | null): string {
  let eightBit = false;
  for (let i = 0; i < latin1.length; i++) {
    if (latin1.charCodeAt(i) >= 0x80) {
      eightBit = true;
      break;
    }
  }
  if (!eightBit) return latin1;
  const bytes = Buffer.from(latin1, 'latin1');
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return decodeBytes(bytes, fallbackCharset && normalizeLabel(fallbackCharset) !== 'utf-8' ? fallbackCharset : 'windows-1252');
  }
}

// =?charset?B|Q?text?=  (some mailers put spaces in Q text: tolerated, bounded)
const ENCODED_WORD = /=\?([^?\s]{1,64})\?([bBqQ])\?([^?]{0,2000})\?=/g;

function wordBytes(encoding: string, text: string): Buffer {
  if (encoding === 'b' || encoding === 'B') return Buffer.from(text.replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5f) bytes.push(0x20);
    else if (c === 0x3d && i + 2 < text.length && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c & 0xff);
  }
  return Buffer.from(bytes);
}

/**
 * Decodes RFC 2047 encoded words in a header value. Whitespace between adjacent encoded words is
 * dropped, and adjacent words in the same charset are joined as bytes before decoding, so a
 * multi-byte character split across two words (common with UTF-8 and Q encoding) comes out whole.
 */
export function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  let out = '';
  let last = 0;
  let pending: { charset: string; chunks: Buffer[] } | null = null;
  const flush = (): void => {
    if (pending) out += decodeBytes(Buffer.concat(pending.chunks), pending.charset);
    pending = null;
  };
  ENCODED_WORD.lastIndex = 0;
  for (let m = ENCODED_WORD.exec(value); m !== null; m = ENCODED_WORD.exec(value)) {
    const between = value.slice(last, m.index);
    const charset = normalizeLabel(m[1]!);
    const bytes = wordBytes(m[2]!, m[3]!);
    const adjacent = pending !== null && /^\s*$/.test(between);
    if (adjacent && pending!.charset === charset) {
      pending!.chunks.push(bytes);
    } else {
      flush();
      if (!adjacent) out += between;
      pending = { charset, chunks: [bytes] };
    }
    last = m.index + m[0].length;
  }
  flush();
  return out + value.slice(last);
}

/** Content-Transfer-Encoding decoding; anything but base64 and quoted-printable is passed through. */
export function decodeTransfer(bytes: Uint8Array, encoding: string): Buffer {
  const enc = encoding.trim().toLowerCase();
  if (enc === 'base64') {
    // padding in the middle (concatenated encodings) ends one run; decode each run on its own
    const runs = Buffer.from(bytes)
      .toString('latin1')
      .replace(/[^A-Za-z0-9+/=]/g, '')
      .split(/=+/);
    return Buffer.concat(runs.filter((run) => run !== '').map((run) => Buffer.from(run, 'base64')));
  }
  if (enc === 'quoted-printable') return decodeQuotedPrintable(bytes);
  return Buffer.from(bytes);
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** RFC 2045 quoted-printable; malformed escapes are kept literally (RFC 7103 leniency). */
export function decodeQuotedPrintable(bytes: Uint8Array): Buffer {
  const out = Buffer.alloc(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c !== 0x3d) {
      out[n++] = c;
      continue;
    }
    // soft line break: "=" followed by optional whitespace and a line ending
    let j = i + 1;
    while (j < bytes.length && (bytes[j] === 0x20 || bytes[j] === 0x09)) j++;
    if (j < bytes.length && (bytes[j] === 0x0d || bytes[j] === 0x0a)) {
      i = bytes[j] === 0x0d && bytes[j + 1] === 0x0a ? j + 1 : j;
      continue;
    }
    if (j >= bytes.length) break;
    const hi = i + 1 < bytes.length ? hexValue(bytes[i + 1]!) : -1;
    const lo = i + 2 < bytes.length ? hexValue(bytes[i + 2]!) : -1;
    if (hi >= 0 && lo >= 0) {
      out[n++] = hi * 16 + lo;
      i += 2;
    } else {
      out[n++] = c;
    }
  }
  return out.subarray(0, n);
}
