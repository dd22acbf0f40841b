import type { BodyAttachment } from './mail-body.js';
import type { ParsedAttachment } from './parsed-mail.js';
import { cleanLine, cleanName, cleanText } from './text-clean.js';

/**
 * Attachments as intake stores them: a clean file name (no path, control or bidi characters;
 * CONVENTIONS.md), the declared type, the bytes, the Content-ID without brackets, and `inline`
 * when the HTML shows the part as a `cid:` image (so the UI does not list it twice).
 */

const MAX_FILENAME = 255;
const EXTENSIONS: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'image/bmp': '.bmp',
  'application/pdf': '.pdf',
  'text/plain': '.txt',
  'text/html': '.html',
  'text/calendar': '.ics',
  'text/csv': '.csv',
  'message/rfc822': '.eml',
  'message/global': '.eml',
  'message/delivery-status': '.txt',
  'message/global-delivery-status': '.txt',
  'text/rfc822-headers': '.txt',
  'message/disposition-notification': '.txt',
};

const BASE_NAMES: Record<string, string> = {
  'message/rfc822': 'message',
  'message/global': 'message',
  'message/delivery-status': 'delivery-status',
  'message/global-delivery-status': 'delivery-status',
  'text/rfc822-headers': 'headers',
};

function defaultName(contentType: string, position: number): string {
  return `${BASE_NAMES[contentType] ?? 'attachment'}-${position}${EXTENSIONS[contentType] ?? '.bin'}`;
}

function attachmentFilename(filename: string | null, contentType: string, position: number): string {
  // the last path segment only: "C:\\Users\\x\\report.pdf" and "../../etc/passwd" name a file, not a place
  const last = (filename ?? '').split(/[\\/]/).pop() ?? '';
  const name = cleanName(last, MAX_FILENAME).replace(/^\.+$/, '');
  return name === '' ? defaultName(contentType, position) : name;
}

function cleanContentId(cid: string | null): string | null {
  if (!cid) return null;
  // eslint-disable-next-line no-control-regex
  const id = cleanText(cid).replace(/[\s\u0000-\u001f<>]+/g, '');
  return id === '' ? null : id.slice(0, 995);
}

export function toParsedAttachments(list: BodyAttachment[], referencedCids: Set<string>): ParsedAttachment[] {
  const referenced = new Set([...referencedCids].map((cid) => cid.toLowerCase()));
  return list.map((attachment, i) => {
    const contentType = cleanLine(attachment.contentType, 255).toLowerCase() || 'application/octet-stream';
    const contentId = cleanContentId(attachment.cid);
    return {
      filename: attachmentFilename(attachment.filename, contentType, i + 1),
      contentType,
      bytes: attachment.content,
      contentId,
      inline: contentId !== null && referenced.has(contentId.toLowerCase()),
    };
  });
}
