import { decodeBytes, decodeRawHeader, decodeTransfer } from './charset.js';
import { messageIdOf, readHeaderBlock } from './headers.js';
import type { MimeEntity, MimeScan } from './mime-limits.js';
import type { BounceReport } from './parsed-mail.js';
import { cleanLine } from './text-clean.js';

/**
 * Delivery status notifications (RFC 3464 in a multipart/report, RFC 6522): the machine-readable
 * message/delivery-status part gives the recipients with action and status; the returned message
 * (message/rfc822) or its headers (text/rfc822-headers) give the Message-ID of the mail that bounced.
 * Read from the raw parts the pre-scan outlined, so an inline returned message (which mailparser
 * would merge into the text) is found as well.
 */

const MAX_STATUS_BYTES = 256 * 1024;
const MAX_RECIPIENTS = 100;
const STATUS_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const ORIGINAL_TYPES = new Set(['message/rfc822', 'message/global', 'text/rfc822-headers', 'message/global-headers']);

function within(scan: MimeScan, index: number, ancestor: number): boolean {
  for (let i = scan.entities[index]!.parent; i >= 0; i = scan.entities[i]!.parent) if (i === ancestor) return true;
  return false;
}

function bodyOf(raw: Buffer, entity: MimeEntity, max: number): Buffer {
  const end = Math.min(entity.bodyEnd, entity.bodyStart + max);
  return decodeTransfer(raw.subarray(entity.bodyStart, Math.max(end, entity.bodyStart)), entity.transferEncoding);
}

/** The field blocks of a delivery-status body: per-message fields, then one block per recipient. */
function fieldBlocks(text: string): Map<string, string>[] {
  const blocks: Map<string, string>[] = [];
  let block = new Map<string, string>();
  let last: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      if (block.size > 0) blocks.push(block);
      block = new Map();
      last = null;
      continue;
    }
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== null) {
      block.set(last, `${block.get(last)!} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (block.has(name)) {
      last = null;
      continue;
    }
    block.set(name, line.slice(colon + 1).trim());
    last = name;
  }
  if (block.size > 0) blocks.push(block);
  return blocks;
}

/** `rfc822; <User@Example.com>` -> `user@example.com` */
function recipientAddress(value: string | undefined): string {
  if (!value) return '';
  const semi = value.indexOf(';');
  const address = (semi >= 0 ? value.slice(semi + 1) : value).trim().replace(/^<|>$/g, '');
  return cleanLine(address, 254).toLowerCase();
}

function statusCode(status: string | undefined, diagnostic: string): string {
  const code = /\b([245]\.\d{1,3}\.\d{1,3})\b/;
  return code.exec(status ?? '')?.[1] ?? code.exec(diagnostic)?.[1] ?? '';
}

function originalMessageId(raw: Buffer, scan: MimeScan, report: number): string | null {
  for (let i = report + 1; i < scan.entities.length; i++) {
    const entity = scan.entities[i]!;
    if (!ORIGINAL_TYPES.has(entity.contentType) || !within(scan, i, report)) continue;
    // the body of message/rfc822 starts with the returned message's header block; text/rfc822-headers is one
    const field = readHeaderBlock(bodyOf(raw, entity, MAX_STATUS_BYTES), MAX_STATUS_BYTES).find((f) => f.name === 'message-id');
    return field ? messageIdOf(decodeRawHeader(field.value)) : null;
  }
  return null;
}

/** The bounce report of a DSN (multipart/report; report-type=delivery-status), or null. */
export function bounceReport(raw: Buffer, scan: MimeScan): BounceReport | null {
  const report = scan.entities.findIndex(
    (e, i) => e.contentType === 'multipart/report' && e.reportType === 'delivery-status' && (i === 0 || e.parent === 0),
  );
  if (report < 0) return null;
  const recipients: BounceReport['recipients'] = [];
  const statusIndex = scan.entities.findIndex((e, i) => i > report && STATUS_TYPES.has(e.contentType) && within(scan, i, report));
  if (statusIndex >= 0) {
    const text = decodeBytes(bodyOf(raw, scan.entities[statusIndex]!, MAX_STATUS_BYTES), 'utf-8');
    for (const block of fieldBlocks(text)) {
      if (!block.has('final-recipient') && !block.has('original-recipient')) continue;
      const action = cleanLine(block.get('action') ?? '', 50)
        .split(/[\s(]/)[0]!
        .toLowerCase();
      const diagnosticRaw = block.get('diagnostic-code') ?? '';
      const semi = diagnosticRaw.indexOf(';');
      const diagnostic = cleanLine(semi >= 0 && semi < 20 ? diagnosticRaw.slice(semi + 1) : diagnosticRaw, 1000);
      const status = statusCode(block.get('status'), diagnostic);
      if (action === 'delivered' || action === 'relayed' || action === 'expanded') continue;
      if (action === '' && !status) continue;
      const address = recipientAddress(block.get('original-recipient')) || recipientAddress(block.get('final-recipient'));
      if (!address) continue;
      recipients.push({ address, status, action: action || (status.startsWith('5.') ? 'failed' : 'delayed'), diagnostic });
      if (recipients.length >= MAX_RECIPIENTS) break;
    }
  }
  return {
    recipients,
    originalMessageId: originalMessageId(raw, scan, report),
    permanent: recipients.length > 0 && recipients.every((r) => r.action === 'failed' && r.status.startsWith('5.')),
  };
}
