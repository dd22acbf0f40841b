import { decodeBytes, decodeTransfer } from './charset.js';
import type { MimeScan } from './mime-limits.js';

/**
 * A second opinion on body text mailparser decoded with replacement characters: 8-bit text that
 * declares no charset (or us-ascii / utf-8 while being Latin-1), or a charset label its decoder
 * does not know but TextDecoder does. The text parts are decoded again from the raw bytes the
 * pre-scan outlined, with decodeBytes' lenient rules; the result is used only when it is better.
 */

const MAX_RECOVER_BYTES = 8 * 1024 * 1024;

function count(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i >= 0; i = text.indexOf(char, i + 1)) n++;
  return n;
}

/** `text` re-decoded from its raw parts when that has fewer U+FFFD; `text` itself otherwise. */
export function recoverText(raw: Buffer, scan: MimeScan, type: 'text/plain' | 'text/html', text: string): string {
  const bad = count(text, '\ufffd');
  if (bad === 0) return text;
  const parts: string[] = [];
  let bytes = 0;
  for (const entity of scan.entities) {
    const declared =
      entity.contentType || (entity.parent < 0 || scan.entities[entity.parent]!.contentType !== 'multipart/digest' ? 'text/plain' : '');
    if (declared !== type || entity.disposition === 'attachment') continue;
    bytes += entity.bodyEnd - entity.bodyStart;
    if (bytes > MAX_RECOVER_BYTES) return text;
    const body = decodeTransfer(raw.subarray(entity.bodyStart, entity.bodyEnd), entity.transferEncoding);
    parts.push(decodeBytes(body, entity.charset).replace(/\r?\n/g, '\n'));
  }
  const recovered = parts.join(type === 'text/html' ? '<br/>\n' : '\n');
  return parts.length > 0 && count(recovered, '\ufffd') < bad ? recovered : text;
}
