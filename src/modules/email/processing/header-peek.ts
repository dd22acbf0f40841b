/**
 * A cheap look at the header block of a raw message that was not (or could not be) parsed: the
 * problem-mail list and the quarantine record still show who sent what. Reads at most the first
 * 64 KB, never throws, and decodes RFC 2047 encoded words leniently.
 */

const PEEK_BYTES = 64 * 1024;
const MAX_VALUE = 1000;

export interface HeaderPeek {
  from: string | null;
  subject: string | null;
  messageId: string | null;
}

/** The raw header block (up to the first empty line), as text; at most `maxLines` lines. */
export function headerBlock(raw: Uint8Array, maxLines = 100): string {
  const text = Buffer.from(raw.subarray(0, PEEK_BYTES)).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const block = end >= 0 ? text.slice(0, end) : text;
  const lines = block.split(/\r?\n/).slice(0, maxLines);
  // latin1 keeps every byte; show UTF-8 header bytes (RFC 6532) as the characters they are.
  return Buffer.from(lines.join('\n'), 'latin1').toString('utf8').replaceAll('\u0000', '');
}

function decodeWord(charset: string, encoding: string, text: string): string {
  let bytes: Buffer;
  if (encoding.toUpperCase() === 'B') {
    bytes = Buffer.from(text, 'base64');
  } else {
    const unescaped = text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    bytes = Buffer.from(unescaped, 'latin1');
  }
  try {
    return new TextDecoder(charset.split('*')[0]!.trim().toLowerCase() || 'utf-8', { fatal: false }).decode(bytes);
  } catch {
    return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  }
}

/** RFC 2047 encoded words, with the whitespace between two adjacent words dropped. */
export function decodeEncodedWords(value: string): string {
  return value
    .replace(/(=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g, (_m, charset: string, encoding: string, text: string) =>
      decodeWord(charset, encoding, text),
    );
}

function clean(value: string): string {
  return (
    value
      // eslint-disable-next-line no-control-regex -- stripping control characters is the point
      .replace(/[\u0000-\u001f\u007f]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, MAX_VALUE)
  );
}

/** From, Subject and Message-ID of the header block (first occurrence each), decoded. */
export function peekHeaders(raw: Uint8Array): HeaderPeek {
  const block = headerBlock(raw, 2000).replace(/\n[ \t]+/g, ' ');
  const fields = new Map<string, string>();
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!fields.has(name)) fields.set(name, line.slice(colon + 1));
  }
  const get = (name: string) => {
    const value = fields.get(name);
    return value === undefined ? null : clean(decodeEncodedWords(value)) || null;
  };
  const from = get('from');
  const address = from ? (/<([^<>\s]+@[^<>\s]+)>/.exec(from)?.[1] ?? /[^\s<>"]+@[^\s<>"]+/.exec(from)?.[0] ?? from) : null;
  const messageId = get('message-id');
  return {
    from: address ? address.toLowerCase().slice(0, 512) : null,
    subject: get('subject'),
    messageId: messageId
      ? messageId
          .replace(/^<+|>+$/g, '')
          .trim()
          .slice(0, 998) || null
      : null,
  };
}
