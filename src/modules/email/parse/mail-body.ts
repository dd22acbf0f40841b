import { MailParser, type AttachmentStream, type MessageText } from 'mailparser';
import type { MailLimits } from './parsed-mail.js';

/**
 * The MIME parsing proper, by mailparser: body text and HTML decoded to strings (transfer encoding,
 * charset, format=flowed) and attachments as bytes. simpleParser does the same but cannot be
 * stopped; this drives MailParser directly so a parse that runs out of time can be destroyed.
 * Everything mailparser would add for display (text-to-HTML, links, cid: to data: URLs, HTML to
 * text, checksums) is switched off: Baton does its own, once.
 */

export interface BodyAttachment {
  filename: string | null;
  contentType: string;
  content: Buffer;
  /** Content-ID without angle brackets. */
  cid: string | null;
}

export interface MailBody {
  /** text/plain parts joined; '' when there are none. */
  text: string;
  /** text/html parts joined; null when there are none. */
  html: string | null;
  attachments: BodyAttachment[];
}

export interface RunningParse {
  result: Promise<MailBody>;
  /** Stops the parser (after a timeout); the result then never settles. */
  abort(): void;
}

export function readMailBody(raw: Buffer, limits: MailLimits): RunningParse {
  const parser = new MailParser({
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipImageLinks: true,
    skipTextLinks: true,
    // the delivery-status part stays an attachment instead of being appended to the text
    keepDeliveryStatus: true,
    checksumAlgo: false,
    // the pre-scan enforced the real limits already; these only stop mailparser if it disagrees
    maxHeadSize: Math.max(limits.maxHeaderBytes * 2, 64 * 1024),
    maxChildNodes: limits.maxParts * 2 + 10,
  });
  const result = new Promise<MailBody>((resolve, reject) => {
    const body: MailBody = { text: '', html: null, attachments: [] };
    parser.on('error', reject);
    parser.on('data', (data: AttachmentStream | MessageText) => {
      if (data.type === 'text') {
        body.text = data.text ?? '';
        body.html = data.html ?? null;
        return;
      }
      const attachment: BodyAttachment = {
        filename: data.filename ?? null,
        contentType: data.contentType,
        content: Buffer.alloc(0),
        cid: data.cid ?? null,
      };
      body.attachments.push(attachment);
      const chunks: Buffer[] = [];
      let size = 0;
      data.content.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
      });
      data.content.on('error', reject);
      data.content.on('end', () => {
        attachment.content = Buffer.concat(chunks, size);
        data.release?.();
      });
    });
    parser.on('end', () => resolve(body));
  });
  parser.end(raw);
  return {
    result,
    abort: () => {
      parser.destroy();
    },
  };
}
