/**
 * Structured MIME header values (`Content-Type: multipart/mixed; boundary="b1"`), RFC 2045 with
 * RFC 2231 continuations, read leniently: quoted strings, comments outside quotes, missing values.
 * Only used for the few parameters the parser itself needs (charset, boundary, report-type); the
 * file names of attachments come from mailparser.
 */

export interface StructuredValue {
  /** The main value, lower-cased (`multipart/mixed`); '' when absent. */
  value: string;
  /** Parameters by lower-cased name, RFC 2231 continuations joined. */
  params: Map<string, string>;
  /** How many `;`-separated parameters the header carried (each continuation counts). */
  count: number;
}

/** Splits on `;` outside quoted strings, dropping comments. */
function segments(header: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  let comment = 0;
  for (let i = 0; i < header.length; i++) {
    const c = header[i]!;
    if (quoted) {
      if (c === '\\' && i + 1 < header.length) {
        current += header[++i]!;
      } else if (c === '"') {
        quoted = false;
        current += c;
      } else current += c;
    } else if (comment > 0) {
      if (c === '(') comment++;
      else if (c === ')') comment--;
    } else if (c === '"') {
      quoted = true;
      current += c;
    } else if (c === '(') {
      comment = 1;
    } else if (c === ';') {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out;
}

function unquote(value: string): string {
  const v = value.trim();
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}

function percentDecode(value: string): string {
  return value.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export function parseStructured(header: string): StructuredValue {
  const parts = segments(header);
  const value = (parts[0] ?? '').trim().toLowerCase();
  const params = new Map<string, string>();
  const continued = new Map<string, { index: number; text: string }[]>();
  let count = 0;
  for (const part of parts.slice(1)) {
    if (part.trim() === '') continue;
    count++;
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const rawName = part.slice(0, eq).trim().toLowerCase();
    let text = unquote(part.slice(eq + 1));
    const match = /^([^*]+)\*(?:(\d{1,3})\*?|)$/.exec(rawName);
    if (!match) {
      if (!params.has(rawName)) params.set(rawName, text);
      continue;
    }
    const name = match[1]!;
    const extended = rawName.endsWith('*');
    const index = match[2] === undefined ? 0 : Number(match[2]);
    if (extended) {
      // charset'language'%XX-encoded on the first segment; the bytes stay latin1 characters here
      if (index === 0) text = text.replace(/^[^']*'[^']*'/, '');
      text = percentDecode(text);
    }
    const list = continued.get(name) ?? [];
    list.push({ index, text });
    continued.set(name, list);
  }
  for (const [name, list] of continued) {
    list.sort((a, b) => a.index - b.index);
    params.set(name, list.map((s) => s.text).join(''));
  }
  return { value, params, count };
}
