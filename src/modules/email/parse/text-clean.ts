/**
 * What every string the parser hands out goes through: PostgreSQL rejects NUL in text columns and
 * lone UTF-16 surrogates cannot be stored as UTF-8, so both go before anything leaves the parser.
 */

// A high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// C0 and C1 control characters (tab, line feed and carriage return included: names and subjects are one line).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]+/g;
// Bidirectional embedding/override/isolate controls and marks: they can reorder what an agent reads
// ("invoice\u202Efdp.exe" shows as "invoiceexe.pdf").
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** NUL-free, well-formed (every lone surrogate becomes U+FFFD). */
export function cleanText(value: string): string {
  let out = value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
  LONE_SURROGATE.lastIndex = 0;
  if (LONE_SURROGATE.test(out)) out = out.replace(LONE_SURROGATE, '\ufffd');
  LONE_SURROGATE.lastIndex = 0;
  return out;
}

/** One line of text: controls become spaces, whitespace runs collapse, trimmed, at most `max` characters. */
export function cleanLine(value: string, max: number): string {
  const line = cleanText(value).replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  return truncate(line, max);
}

/** A display name or file name: like `cleanLine`, and without bidirectional controls. */
export function cleanName(value: string, max: number): string {
  return cleanLine(value.replace(BIDI, ''), max);
}

/** At most `max` UTF-16 units, never ending in half a surrogate pair. */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  let cut = value.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut;
}
