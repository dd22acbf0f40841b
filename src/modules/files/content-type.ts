import { isUtf8 } from 'node:buffer';
import { fileTypeFromBuffer } from 'file-type';

const TEXT_PLAIN = 'text/plain';
const OCTET_STREAM = 'application/octet-stream';

/**
 * The content type of an upload, decided from its bytes only (the client's claimed type is never
 * trusted): a recognised binary signature, else UTF-8 text without NUL bytes is text/plain, else
 * application/octet-stream.
 */
export async function sniffContentType(bytes: Buffer): Promise<string> {
  const detected = await fileTypeFromBuffer(bytes);
  if (detected) return detected.mime;
  if (!bytes.includes(0) && isUtf8(bytes)) return TEXT_PLAIN;
  return OCTET_STREAM;
}

// Types a browser could render or run as a document of our origin.
const ACTIVE_CONTENT = /html|xml|svg|javascript|ecmascript|x-sh|wasm/i;

/** The Content-Type a download is served with: active content is never served as itself. */
export function servedContentType(stored: string): string {
  if (ACTIVE_CONTENT.test(stored)) return OCTET_STREAM;
  if (stored === TEXT_PLAIN) return 'text/plain; charset=utf-8';
  return stored;
}
